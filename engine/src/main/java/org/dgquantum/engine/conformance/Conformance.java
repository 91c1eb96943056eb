package org.dgquantum.engine.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Entangler;
import org.dgquantum.engine.Gate;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.Precision;
import org.dgquantum.engine.QuantumBackend;

/**
 * The checks every backend must pass, in one place: against the float64 reference cases ({@link ReferenceCase})
 * and against another backend on random circuits, both precisions and both gradient methods. The backends'
 * tests assert on the {@link Report}; the GPU check (bench's GpuCheck, run by bindings/gpu-check.sh) prints its
 * failures and fails.
 */
public final class Conformance {
    /** The agreement every backend must reach with the float64 reference: float32 within 1e-4, float64 within 1e-9. */
    public static final double TOL32 = 1e-4;
    public static final double TOL64 = 1e-9;

    private Conformance() {
    }

    /** How many comparisons ran and which failed (one line each: what, worst error, where). */
    public record Report(int checks, List<String> failures) {
        public boolean passed() {
            return failures.isEmpty();
        }

        @Override
        public String toString() {
            return checks + " checks, " + failures.size() + " failed" + (failures.isEmpty() ? ""
                    : ":\n  " + String.join("\n  ", failures.subList(0, Math.min(20, failures.size()))));
        }
    }

    /** One backend against the float64 reference values: both precisions, both gradient methods. */
    public static Report againstReference(QuantumBackend b) {
        Checks checks = new Checks();
        for (ReferenceCase c : ReferenceCase.load()) {
            for (Gradient g : Gradient.values()) {
                for (Precision p : Precision.values()) {
                    String what = b.name() + " " + c.name() + " " + g.id() + " " + p.id();
                    double tol = p == Precision.FLOAT64 ? TOL64 : TOL32;
                    Outputs o = evaluate(b, c.circuit(), c.batch(), p, c.inputs(), c.weights(), c.upstream(), g);
                    checks.close(what + " expectations", o.z(), c.expectations(), tol);
                    checks.close(what + " inputGradients", o.dx(), c.inputGradients(), tol);
                    checks.close(what + " weightGradients", o.dw(), c.weightGradients(), tol);
                }
            }
        }
        return checks.report();
    }

    /** Two backends agree on random circuits (seeded), n = 1..maxQubits, both precisions and methods (shift for n &lt;= 6). */
    public static Report agree(QuantumBackend a, QuantumBackend b, long seed, int maxQubits) {
        Checks checks = new Checks();
        Random r = new Random(seed);
        for (int n = 1; n <= maxQubits; n++) {
            for (int rep = 0; rep < 3; rep++) {
                Circuit c = randomCircuit(r, n);
                int batch = 1 + r.nextInt(n <= 6 ? 20 : 5);
                double[] x = uniform(r, batch * n, Math.PI);
                double[] w = uniform(r, c.weightCount(), Math.PI);
                double[] g = uniform(r, batch * n, 1);
                String what = a.name() + " vs " + b.name() + " " + c + " B=" + batch;
                double[] z64 = null;
                for (Precision p : List.of(Precision.FLOAT64, Precision.FLOAT32)) {
                    double tol = p == Precision.FLOAT64 ? TOL64 : TOL32;
                    Outputs fa = evaluate(a, c, batch, p, x, w, null, null);
                    checks.close(what + " " + p.id() + " forward", fa.z(), evaluate(b, c, batch, p, x, w, null, null).z(), tol);
                    if (p == Precision.FLOAT64) {
                        z64 = fa.z();
                    } else {
                        checks.close(what + " float32 vs float64 forward", fa.z(), z64, TOL32);
                    }
                    for (Gradient m : n <= 6 ? List.of(Gradient.values()) : List.of(Gradient.ADJOINT)) {
                        Outputs oa = evaluate(a, c, batch, p, x, w, g, m);
                        Outputs ob = evaluate(b, c, batch, p, x, w, g, m);
                        checks.close(what + " " + p.id() + " " + m.id() + " inputGradients", oa.dx(), ob.dx(), tol);
                        // weight gradients are sums over the batch: the rounding grows with it
                        double tolW = p == Precision.FLOAT64 ? TOL64 * batch : TOL32 * Math.max(1, batch / 4.0);
                        checks.close(what + " " + p.id() + " " + m.id() + " weightGradients", oa.dw(), ob.dw(), tolW);
                    }
                }
            }
        }
        return checks.report();
    }

    /** A random circuit: n qubits, 0..3 layers, RX/RY encoding, 1..3 rotations, any entangler. */
    public static Circuit randomCircuit(Random r, int n) {
        List<Gate> rot = new ArrayList<>();
        int k = 1 + r.nextInt(3);
        for (int i = 0; i < k; i++) {
            rot.add(Gate.values()[r.nextInt(3)]);
        }
        return new Circuit(n, r.nextInt(4), r.nextBoolean() ? Gate.RX : Gate.RY, rot, Entangler.values()[r.nextInt(3)]);
    }

    /** Forward (and, with a method, backward) results in float64, whatever precision they were computed in. */
    public record Outputs(double[] z, double[] dx, double[] dw) {
    }

    /**
     * The one place the checks call a backend: forward, then backward when {@code method} is not null, in the
     * given precision (float32 inputs are the float64 ones rounded).
     */
    public static Outputs evaluate(QuantumBackend b, Circuit c, int batch, Precision p, double[] x, double[] w, double[] g,
                                   Gradient method) {
        int n = c.qubits();
        if (p == Precision.FLOAT64) {
            double[] z = new double[batch * n];
            b.forward(c, batch, x, w, z);
            if (method == null) {
                return new Outputs(z, null, null);
            }
            double[] dx = new double[batch * n];
            double[] dw = new double[c.weightCount()];
            b.backward(c, batch, x, w, g, dx, dw, method);
            return new Outputs(z, dx, dw);
        }
        float[] xf = f(x);
        float[] wf = f(w);
        float[] z = new float[batch * n];
        b.forward(c, batch, xf, wf, z);
        if (method == null) {
            return new Outputs(d(z), null, null);
        }
        float[] dx = new float[batch * n];
        float[] dw = new float[c.weightCount()];
        b.backward(c, batch, xf, wf, f(g), dx, dw, method);
        return new Outputs(d(z), d(dx), d(dw));
    }

    /** The largest absolute difference and where, or null when every element is within tol (NaN fails). */
    public static String mismatch(String what, double[] actual, double[] expected, double tol) {
        if (actual.length != expected.length) {
            return what + ": length " + actual.length + " vs " + expected.length;
        }
        double worst = 0;
        int at = -1;
        for (int i = 0; i < actual.length; i++) {
            double e = Math.abs(actual[i] - expected[i]);
            if (!(e <= worst)) {
                worst = e;
                at = i;
            }
        }
        return worst <= tol ? null : what + ": max abs error " + worst + " > " + tol + " at [" + at + "]: "
                + actual[at] + " vs " + expected[at];
    }

    /** Values uniform in [-scale, scale]. */
    public static double[] uniform(Random r, int size, double scale) {
        double[] a = new double[size];
        for (int i = 0; i < size; i++) {
            a[i] = (2 * r.nextDouble() - 1) * scale;
        }
        return a;
    }

    public static float[] f(double[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = (float) a[i];
        }
        return r;
    }

    public static double[] d(float[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i];
        }
        return r;
    }

    /** Counts comparisons and collects failures. */
    private static final class Checks {
        private int count;
        private final List<String> failures = new ArrayList<>();

        void close(String what, double[] actual, double[] expected, double tol) {
            count++;
            String m = mismatch(what, actual, expected, tol);
            if (m != null) {
                failures.add(m);
            }
        }

        Report report() {
            return new Report(count, List.copyOf(failures));
        }
    }
}
