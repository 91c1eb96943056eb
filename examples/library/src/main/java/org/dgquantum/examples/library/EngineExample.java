package org.dgquantum.examples.library;

import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.Backends;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.JavaBackend;
import org.dgquantum.engine.QuantumBackend;

import java.util.Arrays;
import java.util.List;

/**
 * The simulator alone, on plain Java arrays: a batched forward pass (expectations) and the vector-Jacobian
 * product (gradients) of one circuit, in float32 on the best backend and in float64 on the Java backend.
 * Layouts (the engine's Circuit javadoc): inputs, expectations and upstream gradients row-major [batch][qubits];
 * weights and weight gradients [layers][qubits][rotations].
 */
public final class EngineExample {
    private EngineExample() {
    }

    /** Expectations z [batch][qubits] and the gradients of sum(upstream * z): dx [batch][qubits], dw [weights]. */
    public record Pass(double[] z, double[] dx, double[] dw) {
    }

    static Circuit circuit() {
        return Circuit.of(4, 2, "RY", List.of("RY", "RZ"), "ring");
    }

    /** Input angles for a batch: sample b, qubit q. */
    static double angle(int b, int q) {
        return 0.3 * (b + 1) - 0.2 * q;
    }

    static double weight(int i) {
        return 0.1 * i - 0.5;
    }

    /** float32 on the best backend (Backends.best(): -Ddgq.backend= or DGQ_BACKEND= forces one). */
    public static Pass float32(int batch) throws BackendUnavailableException {
        // snippet: engine
        Circuit circuit = Circuit.of(4, 2, "RY", List.of("RY", "RZ"), "ring");
        int n = circuit.qubits();
        float[] x = new float[batch * n];                // input angles [batch][qubits]
        float[] w = new float[circuit.weightCount()];    // [layers][qubits][rotations]
        for (int b = 0; b < batch; b++) {
            for (int q = 0; q < n; q++) {
                x[b * n + q] = (float) angle(b, q);
            }
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) weight(i);
        }
        float[] z = new float[batch * n];                // <Z_q> per sample [batch][qubits]
        float[] upstream = new float[batch * n];         // dLoss/dz, here loss = sum(z)
        Arrays.fill(upstream, 1f);
        float[] dx = new float[batch * n];               // dLoss/dx [batch][qubits]
        float[] dw = new float[w.length];                // dLoss/dw summed over the batch
        try (QuantumBackend backend = Backends.best()) {
            backend.forward(circuit, batch, x, w, z);
            backend.backward(circuit, batch, x, w, upstream, dx, dw, Gradient.ADJOINT);
        }
        // end snippet
        return new Pass(doubles(z), doubles(dx), doubles(dw));
    }

    /** float64 on the Java backend with the given gradient method and upstream gradient. */
    public static Pass float64(Circuit circuit, int batch, double[] x, double[] w, double[] upstream, Gradient method) {
        int n = circuit.qubits();
        double[] z = new double[batch * n];
        double[] dx = new double[batch * n];
        double[] dw = new double[circuit.weightCount()];
        try (JavaBackend backend = new JavaBackend()) {
            backend.forward(circuit, batch, x, w, z);
            backend.backward(circuit, batch, x, w, upstream, dx, dw, method);
        }
        return new Pass(z, dx, dw);
    }

    /** The float32 example's inputs in float64. */
    static double[][] inputs(int batch) {
        Circuit c = circuit();
        double[] x = new double[batch * c.qubits()];
        for (int b = 0; b < batch; b++) {
            for (int q = 0; q < c.qubits(); q++) {
                x[b * c.qubits() + q] = angle(b, q);
            }
        }
        double[] w = new double[c.weightCount()];
        for (int i = 0; i < w.length; i++) {
            w[i] = weight(i);
        }
        double[] up = new double[x.length];
        Arrays.fill(up, 1);
        return new double[][] {x, w, up};
    }

    private static double[] doubles(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    static double maxDifference(double[] a, double[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    private static void check(String what, double difference, double tolerance) {
        System.out.printf("%s: max difference %.3g (tolerance %.0g)%n", what, difference, tolerance);
        if (!(difference <= tolerance)) {
            throw new IllegalStateException(what + ": max difference " + difference + " > " + tolerance);
        }
    }

    public static void main(String[] args) throws Exception {
        int batch = 3;
        Pass f32 = float32(batch);
        double[][] in = inputs(batch);
        Pass adjoint = float64(circuit(), batch, in[0], in[1], in[2], Gradient.ADJOINT);
        Pass shift = float64(circuit(), batch, in[0], in[1], in[2], Gradient.PARAMETER_SHIFT);
        System.out.println("z (float32)   = " + Arrays.toString(f32.z()));
        System.out.println("dw (float32)  = " + Arrays.toString(f32.dw()));
        System.out.println("dw (adjoint)  = " + Arrays.toString(adjoint.dw()));
        System.out.println("dw (shift)    = " + Arrays.toString(shift.dw()));
        // Adjoint and parameter shift compute the same gradient; float32 agrees with float64 to float rounding.
        check("parameter shift vs adjoint (float64)", maxDifference(shift.dw(), adjoint.dw()), 1e-9);
        check("float32 vs float64 dw", maxDifference(f32.dw(), adjoint.dw()), 1e-4);
        check("float32 vs float64 dx", maxDifference(f32.dx(), adjoint.dx()), 1e-4);
        check("float32 vs float64 z", maxDifference(f32.z(), adjoint.z()), 1e-5);
    }
}
