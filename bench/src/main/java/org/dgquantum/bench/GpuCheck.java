package org.dgquantum.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.Backends;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Entangler;
import org.dgquantum.engine.Gate;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.JavaBackend;
import org.dgquantum.engine.QuantumBackend;

/**
 * For a GPU owner (bindings/gpu-check.sh runs it after the GPU tests): checks the CUDA backend against
 * the native CPU backend on random circuits, then times every available backend and prints one
 * Markdown table. Exit status 1, and no table, if any check fails; 2 if the CUDA backend is unavailable.
 * Not a benchmark harness (no JMH): medians of a few timed runs after warm-up, good to a few percent.
 */
public final class GpuCheck {
    private GpuCheck() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, QuantumBackend> backends = new LinkedHashMap<>();
        try {
            backends.put("cuda", Backends.open("cuda"));
        } catch (BackendUnavailableException e) {
            System.err.println("gpu-check: CUDA backend unavailable: " + e.getMessage());
            System.exit(2);
        }
        try {
            backends.put("native-cpu", Backends.open("native"));
        } catch (BackendUnavailableException e) {
            System.err.println("gpu-check: native CPU backend unavailable (" + e.getMessage() + "); comparing with java");
        }
        backends.put("java", new JavaBackend());
        QuantumBackend cuda = backends.get("cuda");
        QuantumBackend cpu = backends.containsKey("native-cpu") ? backends.get("native-cpu") : backends.get("java");
        try {
            List<String> failures = check(cuda, cpu, 14);
            if (!failures.isEmpty()) {
                System.err.println("gpu-check: FAILED: " + failures.size() + " correctness checks of " + cuda.name()
                        + " against " + cpu.name() + ":");
                failures.stream().limit(20).forEach(f -> System.err.println("  " + f));
                System.exit(1);
            }
            System.err.println("gpu-check: " + cuda.name() + " agrees with " + cpu.name() + " on random circuits n = 1..14");
            table(backends);
        } finally {
            for (QuantumBackend b : backends.values()) {
                b.close();
            }
        }
    }

    /** Random circuits n = 1..maxQubits, both precisions, both gradient methods (shift for n <= 6): returns the failures. */
    static List<String> check(QuantumBackend a, QuantumBackend b, int maxQubits) {
        List<String> failures = new ArrayList<>();
        Random r = new Random(42);
        for (int n = 1; n <= maxQubits; n++) {
            for (int rep = 0; rep < 3; rep++) {
                List<Gate> rot = new ArrayList<>();
                for (int k = 0, kk = 1 + r.nextInt(3); k < kk; k++) {
                    rot.add(Gate.values()[r.nextInt(3)]);
                }
                Circuit c = new Circuit(n, 1 + r.nextInt(4), r.nextBoolean() ? Gate.RX : Gate.RY, rot,
                        Entangler.values()[r.nextInt(3)]);
                int batch = 1 + r.nextInt(n <= 8 ? 64 : 8);
                double[] x = uniform(r, batch * n, Math.PI);
                double[] w = uniform(r, c.weightCount(), Math.PI);
                double[] g = uniform(r, batch * n, 1);
                String what = c + " B=" + batch;
                double[] za = new double[batch * n];
                double[] zb = new double[batch * n];
                a.forward(c, batch, x, w, za);
                b.forward(c, batch, x, w, zb);
                compare(failures, what + " float64 forward", za, zb, 1e-9);
                float[] zfa = new float[batch * n];
                float[] zfb = new float[batch * n];
                a.forward(c, batch, f(x), f(w), zfa);
                b.forward(c, batch, f(x), f(w), zfb);
                compare(failures, what + " float32 forward", d(zfa), d(zfb), 1e-4);
                for (Gradient m : n <= 6 ? List.of(Gradient.values()) : List.of(Gradient.ADJOINT)) {
                    double[] dxa = new double[batch * n];
                    double[] dxb = new double[batch * n];
                    double[] dwa = new double[c.weightCount()];
                    double[] dwb = new double[c.weightCount()];
                    a.backward(c, batch, x, w, g, dxa, dwa, m);
                    b.backward(c, batch, x, w, g, dxb, dwb, m);
                    compare(failures, what + " float64 " + m.id() + " dx", dxa, dxb, 1e-9);
                    compare(failures, what + " float64 " + m.id() + " dw", dwa, dwb, 1e-9 * batch);
                    float[] fxa = new float[batch * n];
                    float[] fxb = new float[batch * n];
                    float[] fwa = new float[c.weightCount()];
                    float[] fwb = new float[c.weightCount()];
                    a.backward(c, batch, f(x), f(w), f(g), fxa, fwa, m);
                    b.backward(c, batch, f(x), f(w), f(g), fxb, fwb, m);
                    compare(failures, what + " float32 " + m.id() + " dx", d(fxa), d(fxb), 1e-4);
                    compare(failures, what + " float32 " + m.id() + " dw", d(fwa), d(fwb), 1e-4 * Math.max(1, batch / 4.0));
                }
            }
        }
        return failures;
    }

    /** Times forward and adjoint, float32, L = 4, rotations RX RY RZ, ring (the sizes of docs/kernels.md). */
    static void table(Map<String, QuantumBackend> backends) {
        int[][] sizes = {{4, 4096}, {8, 4096}, {12, 512}, {14, 128}};
        List<String> names = new ArrayList<>(backends.keySet());
        StringBuilder out = new StringBuilder();
        out.append("Device: ").append(backends.get("cuda").name()).append("; float32, L = 4, rotations RX RY RZ, ring; ")
                .append("median wall time per batch (us) after warm-up\n\n");
        out.append("| n | B | method |");
        names.forEach(nm -> out.append(' ').append(nm).append(" |"));
        out.append(" cuda speed-up vs ").append(names.contains("native-cpu") ? "native-cpu" : "java").append(" |\n|---|---|---|");
        names.forEach(nm -> out.append("---|"));
        out.append("---|\n");
        for (int[] s : sizes) {
            int n = s[0];
            int batch = s[1];
            Circuit c = new Circuit(n, 4, Gate.RY, List.of(Gate.RX, Gate.RY, Gate.RZ), Entangler.RING);
            Random r = new Random(n);
            float[] x = f(uniform(r, batch * n, Math.PI));
            float[] w = f(uniform(r, c.weightCount(), Math.PI));
            float[] g = f(uniform(r, batch * n, 1));
            for (Gradient m : new Gradient[] {null, Gradient.ADJOINT}) {
                Map<String, Double> us = new LinkedHashMap<>();
                for (String nm : names) {
                    QuantumBackend b = backends.get(nm);
                    float[] z = new float[batch * n];
                    float[] dx = new float[batch * n];
                    float[] dw = new float[c.weightCount()];
                    Runnable run = m == null ? () -> b.forward(c, batch, x, w, z)
                            : () -> b.backward(c, batch, x, w, g, dx, dw, m);
                    us.put(nm, medianMicros(run));
                }
                out.append("| ").append(n).append(" | ").append(batch).append(" | ")
                        .append(m == null ? "forward" : m.id()).append(" |");
                names.forEach(nm -> out.append(' ').append(fmt(us.get(nm))).append(" |"));
                String base = names.contains("native-cpu") ? "native-cpu" : "java";
                out.append(' ').append(String.format(Locale.ROOT, "%.1fx", us.get(base) / us.get("cuda"))).append(" |\n");
            }
        }
        System.out.print(out);
    }

    private static double medianMicros(Runnable run) {
        for (int i = 0; i < 3; i++) {
            run.run();
        }
        List<Double> t = new ArrayList<>();
        long start = System.nanoTime();
        while (t.size() < 5 || (t.size() < 21 && System.nanoTime() - start < 2_000_000_000L)) {
            long t0 = System.nanoTime();
            run.run();
            t.add((System.nanoTime() - t0) / 1e3);
        }
        double[] a = t.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a[a.length / 2];
    }

    private static String fmt(double us) {
        return us >= 100 ? String.format(Locale.ROOT, "%.0f", us) : String.format(Locale.ROOT, "%.1f", us);
    }

    private static void compare(List<String> failures, String what, double[] a, double[] b, double tol) {
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - b[i]) <= tol)) {
                failures.add(what + ": [" + i + "] " + a[i] + " vs " + b[i] + " (tolerance " + tol + ")");
                return;
            }
        }
    }

    private static double[] uniform(Random r, int size, double scale) {
        double[] a = new double[size];
        for (int i = 0; i < size; i++) {
            a[i] = (2 * r.nextDouble() - 1) * scale;
        }
        return a;
    }

    private static float[] f(double[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = (float) a[i];
        }
        return r;
    }

    private static double[] d(float[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i];
        }
        return r;
    }
}
