package org.dgquantum.bindings;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Entangler;
import org.dgquantum.engine.Gate;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.QuantumBackend;
import org.dgquantum.engine.ReferenceCases;

/** Checks shared by every backend's tests: the reference cases and agreement on random circuits. */
final class Conformance {
    /** The agreement every backend must reach with the float64 reference: float32 within 1e-4, float64 within 1e-9. */
    static final double TOL32 = 1e-4;
    static final double TOL64 = 1e-9;

    private Conformance() {
    }

    /** One backend against the float64 reference values: both precisions, both gradient methods. Returns checks made. */
    static int againstReference(QuantumBackend b) {
        int checks = 0;
        for (ReferenceCases c : ReferenceCases.load()) {
            int n = c.circuit().qubits();
            for (Gradient g : Gradient.values()) {
                String what = b.name() + " " + c.name() + " " + g.id();
                double[] z = new double[c.batch() * n];
                double[] dx = new double[c.batch() * n];
                double[] dw = new double[c.circuit().weightCount()];
                b.forward(c.circuit(), c.batch(), c.inputs(), c.weights(), z);
                b.backward(c.circuit(), c.batch(), c.inputs(), c.weights(), c.upstream(), dx, dw, g);
                close(what + " float64 expectations", z, c.expectations(), TOL64);
                close(what + " float64 inputGradients", dx, c.inputGradients(), TOL64);
                close(what + " float64 weightGradients", dw, c.weightGradients(), TOL64);

                float[] zf = new float[c.batch() * n];
                float[] dxf = new float[c.batch() * n];
                float[] dwf = new float[c.circuit().weightCount()];
                float[] in = f(c.inputs());
                float[] w = f(c.weights());
                b.forward(c.circuit(), c.batch(), in, w, zf);
                b.backward(c.circuit(), c.batch(), in, w, f(c.upstream()), dxf, dwf, g);
                close(what + " float32 expectations", d(zf), c.expectations(), TOL32);
                close(what + " float32 inputGradients", d(dxf), c.inputGradients(), TOL32);
                close(what + " float32 weightGradients", d(dwf), c.weightGradients(), TOL32);
                checks += 6;
            }
        }
        return checks;
    }

    /** A random circuit: n qubits, 0..3 layers, RX/RY encoding, 1..3 rotations, any entangler. */
    static Circuit randomCircuit(Random r, int n) {
        List<Gate> rot = new ArrayList<>();
        int k = 1 + r.nextInt(3);
        for (int i = 0; i < k; i++) {
            rot.add(Gate.values()[r.nextInt(3)]);
        }
        return new Circuit(n, r.nextInt(4), r.nextBoolean() ? Gate.RX : Gate.RY, rot,
                Entangler.values()[r.nextInt(3)]);
    }

    /** Two backends agree on random circuits, n = 1..maxQubits, both precisions and methods. Returns checks made. */
    static int agree(QuantumBackend a, QuantumBackend b, long seed, int maxQubits) {
        Random r = new Random(seed);
        int checks = 0;
        for (int n = 1; n <= maxQubits; n++) {
            for (int rep = 0; rep < 3; rep++) {
                Circuit c = randomCircuit(r, n);
                int batch = 1 + r.nextInt(n <= 6 ? 20 : 5);
                double[] x = uniform(r, batch * n, Math.PI);
                double[] w = uniform(r, c.weightCount(), Math.PI);
                double[] g = uniform(r, batch * n, 1);
                List<Gradient> methods = n <= 6 ? List.of(Gradient.values()) : List.of(Gradient.ADJOINT);
                String what = a.name() + " vs " + b.name() + " " + c + " B=" + batch;
                // float64
                double[] za = new double[batch * n];
                double[] zb = new double[batch * n];
                a.forward(c, batch, x, w, za);
                b.forward(c, batch, x, w, zb);
                close(what + " float64 forward", za, zb, TOL64);
                for (Gradient m : methods) {
                    double[] dxa = new double[batch * n];
                    double[] dxb = new double[batch * n];
                    double[] dwa = new double[c.weightCount()];
                    double[] dwb = new double[c.weightCount()];
                    a.backward(c, batch, x, w, g, dxa, dwa, m);
                    b.backward(c, batch, x, w, g, dxb, dwb, m);
                    close(what + " float64 " + m.id() + " inputGradients", dxa, dxb, TOL64);
                    close(what + " float64 " + m.id() + " weightGradients", dwa, dwb, TOL64 * batch);
                    checks += 2;
                }
                // float32
                float[] xf = f(x);
                float[] wf = f(w);
                float[] gf = f(g);
                float[] zfa = new float[batch * n];
                float[] zfb = new float[batch * n];
                a.forward(c, batch, xf, wf, zfa);
                b.forward(c, batch, xf, wf, zfb);
                close(what + " float32 forward", d(zfa), d(zfb), TOL32);
                close(what + " float32 vs float64 forward", d(zfa), za, TOL32);
                for (Gradient m : methods) {
                    float[] dxa = new float[batch * n];
                    float[] dxb = new float[batch * n];
                    float[] dwa = new float[c.weightCount()];
                    float[] dwb = new float[c.weightCount()];
                    a.backward(c, batch, xf, wf, gf, dxa, dwa, m);
                    b.backward(c, batch, xf, wf, gf, dxb, dwb, m);
                    close(what + " float32 " + m.id() + " inputGradients", d(dxa), d(dxb), TOL32);
                    // weight gradients are sums over the batch: the rounding grows with it
                    close(what + " float32 " + m.id() + " weightGradients", d(dwa), d(dwb), TOL32 * Math.max(1, batch / 4.0));
                    checks += 2;
                }
                checks += 3;
            }
        }
        return checks;
    }

    static double[] uniform(Random r, int size, double scale) {
        double[] a = new double[size];
        for (int i = 0; i < size; i++) {
            a[i] = (2 * r.nextDouble() - 1) * scale;
        }
        return a;
    }

    static void close(String what, double[] actual, double[] expected, double tol) {
        assertTrue(actual.length == expected.length, what + ": length " + actual.length + " vs " + expected.length);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < actual.length; i++) {
            double e = Math.abs(actual[i] - expected[i]);
            if (!(e <= worst)) {
                worst = e;
                at = i;
            }
        }
        if (!(worst <= tol)) {
            throw new AssertionError(what + ": max abs error " + worst + " > " + tol + " at [" + at + "]: "
                    + actual[at] + " vs " + expected[at]);
        }
    }

    static float[] f(double[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = (float) a[i];
        }
        return r;
    }

    static double[] d(float[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i];
        }
        return r;
    }
}
