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
import org.dgquantum.engine.conformance.Conformance;

/**
 * For a GPU owner (bindings/gpu-check.sh runs it after the GPU tests): checks the CUDA backend against the
 * reference cases and the native CPU backend on random circuits ({@link Conformance}, the checks every
 * backend's tests make), then times every available backend and prints one
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
            System.err.println("gpu-check: " + cuda.name() + " matches the reference cases and agrees with " + cpu.name()
                    + " on random circuits n = 1..14");
            table(backends);
        } finally {
            for (QuantumBackend b : backends.values()) {
                b.close();
            }
        }
    }

    /**
     * The correctness gate: the device backend against the float64 reference cases and against a CPU backend on
     * random circuits n = 1..maxQubits (the shared {@link Conformance} checks). Returns the failures.
     */
    static List<String> check(QuantumBackend device, QuantumBackend cpu, int maxQubits) {
        List<String> failures = new ArrayList<>(Conformance.againstReference(device).failures());
        failures.addAll(Conformance.agree(device, cpu, 42, maxQubits).failures());
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
            float[] x = Conformance.f(Conformance.uniform(r, batch * n, Math.PI));
            float[] w = Conformance.f(Conformance.uniform(r, c.weightCount(), Math.PI));
            float[] g = Conformance.f(Conformance.uniform(r, batch * n, 1));
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
    }}
