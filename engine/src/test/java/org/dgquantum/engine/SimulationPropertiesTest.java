package org.dgquantum.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.dgquantum.engine.internal.CircuitProgram;
import org.dgquantum.engine.internal.GroupKernelF64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Physical invariants and determinism of the Java backend. */
class SimulationPropertiesTest {
    private final Circuit circuit = new Circuit(6, 3, Gate.RX, List.of(Gate.RX, Gate.RY, Gate.RZ), Entangler.RING);
    private final Random random = new Random(42);

    @Test
    void stateNormIsPreserved() {
        for (Circuit c : List.of(circuit, new Circuit(10, 4, Gate.RY, List.of(Gate.RY), Entangler.LINEAR))) {
            int batch = 11;
            double[] x = Arrays2.uniform(random, batch * c.qubits(), -3, 3);
            double[] w = Arrays2.uniform(random, c.weightCount(), -3, 3);
            CircuitProgram p = new CircuitProgram(c, w);
            int lanes = GroupKernelF64.lanes(c.qubits());
            for (int g = 0; g * lanes < batch; g++) {
                for (double norm : GroupKernelF64.norms(p, batch, x, g)) {
                    assertEquals(1.0, norm, 1e-13, c + " group " + g);
                }
            }
        }
    }

    @Test
    void expectationsAreWithinPlusMinusOneAndNotConstant() {
        try (JavaBackend b = new JavaBackend(2)) {
            int batch = 64;
            double[] x = Arrays2.uniform(random, batch * 6, -4, 4);
            double[] w = Arrays2.uniform(random, circuit.weightCount(), -4, 4);
            double[] z = new double[batch * 6];
            b.forward(circuit, batch, x, w, z);
            double min = 1;
            double max = -1;
            for (double v : z) {
                assertTrue(Math.abs(v) <= 1 + 1e-12, "|z| = " + Math.abs(v));
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertTrue(max - min > 0.5, "expectations should vary with the inputs, range " + min + ".." + max);
        }
    }

    @Test
    void rowResultsDoNotDependOnBatchCompositionOrThreadCount() {
        // Big enough (batch x 2^n x layers) that the backend really splits the work over threads.
        Circuit circuit = new Circuit(10, 3, Gate.RX, List.of(Gate.RX, Gate.RY, Gate.RZ), Entangler.RING);
        int n = circuit.qubits();
        int batch = 37;
        double[] x = Arrays2.uniform(random, batch * n, -3, 3);
        double[] w = Arrays2.uniform(random, circuit.weightCount(), -3, 3);
        double[] g = Arrays2.uniform(random, batch * n, -1, 1);
        double[] z1 = new double[batch * n];
        double[] dx1 = new double[batch * n];
        double[] dw1 = new double[circuit.weightCount()];
        double[] z2 = new double[batch * n];
        double[] dx2 = new double[batch * n];
        double[] dw2 = new double[circuit.weightCount()];
        try (JavaBackend one = new JavaBackend(1); JavaBackend three = new JavaBackend(3)) {
            one.forward(circuit, batch, x, w, z1);
            one.backward(circuit, batch, x, w, g, dx1, dw1, Gradient.ADJOINT);
            three.forward(circuit, batch, x, w, z2);
            three.backward(circuit, batch, x, w, g, dx2, dw2, Gradient.ADJOINT);
            assertArrayEquals(z1, z2, "thread count changed expectations");
            assertArrayEquals(dx1, dx2, "thread count changed input gradients");
            assertArrayEquals(dw1, dw2, "thread count changed weight gradients (reduction order)");

            // Row 20 alone, and row 20 placed first in a different batch: the same bits.
            int row = 20;
            double[] single = java.util.Arrays.copyOfRange(x, row * n, row * n + n);
            double[] zs = new double[n];
            one.forward(circuit, 1, single, w, zs);
            double[] shuffled = new double[5 * n];
            System.arraycopy(x, 3 * n, shuffled, 0, 4 * n);
            System.arraycopy(single, 0, shuffled, 4 * n, n);
            double[] zsh = new double[5 * n];
            three.forward(circuit, 5, shuffled, w, zsh);
            double[] expected = java.util.Arrays.copyOfRange(z1, row * n, row * n + n);
            assertArrayEquals(expected, zs, "row alone");
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(zsh, 4 * n, 5 * n), "row in another batch");
        }
    }

    /**
     * Small batches, n = 6..8: parameter shift at 1, 2 and 3 threads. With fewer groups than threads
     * (every batch here in float32, B <= 8 in float64 at 2 threads, B <= 16 at 3) the backend also cuts
     * each group's shifted circuits into pieces; every circuit is big enough (2 (P + n) B 2^n L >= 2^16)
     * that the work really goes to the pool.
     */
    static Stream<Arguments> smallShiftBatches() {
        List<Circuit> circuits = List.of(
                new Circuit(6, 6, Gate.RX, List.of(Gate.RX, Gate.RY, Gate.RZ), Entangler.RING),
                new Circuit(7, 4, Gate.RY, List.of(Gate.RZ, Gate.RY, Gate.RX), Entangler.LINEAR),
                new Circuit(8, 3, Gate.RY, List.of(Gate.RY, Gate.RY), Entangler.RING));
        return circuits.stream().flatMap(c -> Stream.of(1, 4, 16).map(b -> Arguments.of(c, b)));
    }

    @ParameterizedTest(name = "{0} B={1}")
    @MethodSource("smallShiftBatches")
    void parameterShiftAtSmallBatchesDoesNotDependOnThreadCount(Circuit c, int batch) {
        int n = c.qubits();
        Random r = new Random(31L * c.hashCode() + batch);
        double[] x = Arrays2.uniform(r, batch * n, -3, 3);
        double[] w = Arrays2.uniform(r, c.weightCount(), -3, 3);
        double[] g = Arrays2.uniform(r, batch * n, -1, 1);
        double[][] dx = new double[3][batch * n];
        double[][] dw = new double[3][c.weightCount()];
        float[][] dxf = new float[3][batch * n];
        float[][] dwf = new float[3][c.weightCount()];
        for (int t = 1; t <= 3; t++) {
            try (JavaBackend b = new JavaBackend(t)) {
                b.backward(c, batch, x, w, g, dx[t - 1], dw[t - 1], Gradient.PARAMETER_SHIFT);
                b.backward(c, batch, Arrays2.toFloat(x), Arrays2.toFloat(w), Arrays2.toFloat(g), dxf[t - 1],
                        dwf[t - 1], Gradient.PARAMETER_SHIFT);
            }
        }
        for (int t = 2; t <= 3; t++) {
            assertArrayEquals(dx[0], dx[t - 1], t + " threads changed float64 input gradients");
            assertArrayEquals(dw[0], dw[t - 1], t + " threads changed float64 weight gradients");
            assertArrayEquals(dxf[0], dxf[t - 1], t + " threads changed float32 input gradients");
            assertArrayEquals(dwf[0], dwf[t - 1], t + " threads changed float32 weight gradients");
        }
        // And they are the gradients: the adjoint's, at 3 threads.
        double[] dxA = new double[batch * n];
        double[] dwA = new double[c.weightCount()];
        float[] dxAf = new float[batch * n];
        float[] dwAf = new float[c.weightCount()];
        try (JavaBackend b = new JavaBackend(3)) {
            b.backward(c, batch, x, w, g, dxA, dwA, Gradient.ADJOINT);
            b.backward(c, batch, Arrays2.toFloat(x), Arrays2.toFloat(w), Arrays2.toFloat(g), dxAf, dwAf,
                    Gradient.ADJOINT);
        }
        assertEquals(0, Arrays2.maxAbsDiff(dxA, dx[2]), 1e-11, "float64 input gradients: adjoint vs shift");
        assertEquals(0, Arrays2.maxAbsDiff(dwA, dw[2]), 1e-11, "float64 weight gradients: adjoint vs shift");
        assertEquals(0, Arrays2.maxAbsDiff(Arrays2.toDouble(dxAf), Arrays2.toDouble(dxf[2])), 1e-4,
                "float32 input gradients: adjoint vs shift");
        assertEquals(0, Arrays2.maxAbsDiff(Arrays2.toDouble(dwAf), Arrays2.toDouble(dwf[2])), 1e-4 * batch,
                "float32 weight gradients: adjoint vs shift");
        assertTrue(Arrays2.maxAbsDiff(dw[0], new double[dw[0].length]) > 1e-3, "weight gradients must not be zero");
    }

    @Test
    void float32AgreesWithFloat64OnLargerCircuits() {
        Circuit c = new Circuit(12, 4, Gate.RY, List.of(Gate.RX, Gate.RY, Gate.RZ), Entangler.RING);
        int batch = 9;
        double[] x = Arrays2.uniform(random, batch * 12, -3, 3);
        double[] w = Arrays2.uniform(random, c.weightCount(), -3, 3);
        double[] g = Arrays2.uniform(random, batch * 12, -1, 1);
        try (JavaBackend b = new JavaBackend(2)) {
            double[] z = new double[batch * 12];
            double[] dx = new double[batch * 12];
            double[] dw = new double[c.weightCount()];
            b.forward(c, batch, x, w, z);
            b.backward(c, batch, x, w, g, dx, dw, Gradient.ADJOINT);
            float[] zf = new float[batch * 12];
            float[] dxf = new float[batch * 12];
            float[] dwf = new float[c.weightCount()];
            b.forward(c, batch, Arrays2.toFloat(x), Arrays2.toFloat(w), zf);
            b.backward(c, batch, Arrays2.toFloat(x), Arrays2.toFloat(w), Arrays2.toFloat(g), dxf, dwf, Gradient.ADJOINT);
            assertEquals(0, Arrays2.maxAbsDiff(z, Arrays2.toDouble(zf)), 1e-5, "z");
            assertEquals(0, Arrays2.maxAbsDiff(dx, Arrays2.toDouble(dxf)), 1e-5, "dx");
            assertEquals(0, Arrays2.maxAbsDiff(dw, Arrays2.toDouble(dwf)), 1e-4, "dw");
        }
    }

    @Test
    void emptyBatchIsAllowed() {
        try (JavaBackend b = new JavaBackend(2)) {
            double[] dw = {7, 7, 7};
            Circuit c = new Circuit(3, 1, Gate.RY, List.of(Gate.RY), Entangler.RING);
            b.forward(c, 0, new double[0], new double[3], new double[0]);
            b.backward(c, 0, new double[0], new double[3], new double[0], new double[0], dw, Gradient.ADJOINT);
            assertArrayEquals(new double[3], dw, "weight gradients are overwritten, not accumulated");
        }
    }
}
