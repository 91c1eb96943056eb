package org.dgquantum.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Entangler;
import org.dgquantum.engine.Gate;
import org.junit.jupiter.api.Test;

/**
 * The Vector API loops and the scalar loops perform the same operations in the same order, so they
 * must give the same bits. Both are reached explicitly (the process-wide choice is made once), on
 * general, real and diagonal blocks, the real fast path, and n = 17 where the lanes are fewer than a
 * vector and only wide-stride gates are vectorised.
 */
class VectorPathTest {
    private static final List<Circuit> CIRCUITS = List.of(
            new Circuit(5, 3, Gate.RX, List.of(Gate.RX, Gate.RY, Gate.RZ), Entangler.RING),
            new Circuit(8, 4, Gate.RY, List.of(Gate.RY), Entangler.LINEAR),
            new Circuit(6, 2, Gate.RY, List.of(Gate.RZ), Entangler.RING),
            new Circuit(13, 2, Gate.RY, List.of(Gate.RY, Gate.RZ), Entangler.RING),
            new Circuit(14, 1, Gate.RX, List.of(Gate.RX), Entangler.NONE),
            new Circuit(17, 1, Gate.RY, List.of(Gate.RY, Gate.RZ), Entangler.RING));
    /** Parameter shift runs 2 circuits per weight: the small ones only. */
    private static final int SHIFT_UP_TO_QUBITS = 8;

    @Test
    void vectorApiIsResolvedAndChosenInTheTestJvm() {
        assertTrue(VectorSupport.available(), "surefire must pass --add-modules=jdk.incubator.vector, or the vector loops go untested");
        // The other engine tests then run the vector loops, like production.
        assertSame(LoopsF64.vector(), LoopsF64.CHOSEN);
        assertSame(LoopsF32.vector(), LoopsF32.CHOSEN);
    }

    @Test
    void vectorAndScalarLoopsGiveIdenticalBits() {
        Random r = new Random(7);
        for (Circuit c : CIRCUITS) {
            int batch = 19;
            int n = c.qubits();
            double[] x = KernelInputs.uniform(r, batch * n, -3, 3);
            double[] w = KernelInputs.uniform(r, c.weightCount(), -3, 3);
            double[] g = KernelInputs.uniform(r, batch * n, -1, 1);
            boolean shift = n <= SHIFT_UP_TO_QUBITS;
            double[][] scalar = run64(LoopsF64.scalar(), c, batch, x, w, g, shift);
            double[][] vector = run64(LoopsF64.vector(), c, batch, x, w, g, shift);
            float[][] scalarF = run32(LoopsF32.scalar(), c, batch, x, w, g, shift);
            float[][] vectorF = run32(LoopsF32.vector(), c, batch, x, w, g, shift);
            for (int i = 0; i < scalar.length; i++) {
                assertArrayEquals(scalar[i], vector[i], c + " float64 output " + i);
                assertArrayEquals(scalarF[i], vectorF[i], c + " float32 output " + i);
            }
        }
    }

    /** z, adjoint dx and dw, then (if shift) parameter-shift dx and dw, every group in turn. */
    private static double[][] run64(LoopsF64 loops, Circuit c, int batch, double[] x, double[] w, double[] g,
                                    boolean shift) {
        CircuitProgram p = new CircuitProgram(c, w);
        int groups = (batch + GroupKernelF64.lanes(c.qubits()) - 1) / GroupKernelF64.lanes(c.qubits());
        double[] z = new double[x.length];
        double[] dx = new double[x.length];
        double[] dw = new double[w.length];
        double[] sx = new double[x.length];
        double[] sw = new double[w.length];
        for (int k = 0; k < groups; k++) {
            GroupKernelF64.forward(loops, p, batch, x, z, k);
            GroupKernelF64.adjoint(loops, p, batch, x, g, dx, dw, k);
            if (shift) {
                GroupKernelF64.parameterShift(loops, p, KernelInputs.shifted(p, Math.PI / 2), KernelInputs.shifted(p, -Math.PI / 2), batch,
                        x, g, sx, sw, k);
            }
        }
        return new double[][] {z, dx, dw, sx, sw};
    }

    private static float[][] run32(LoopsF32 loops, Circuit c, int batch, double[] x64, double[] w64, double[] g64,
                                   boolean shift) {
        float[] x = KernelInputs.toFloat(x64);
        float[] g = KernelInputs.toFloat(g64);
        // As JavaBackend does: the program is compiled from the float32 weights, in float64.
        double[] w = new double[w64.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) w64[i];
        }
        CircuitProgram p = new CircuitProgram(c, w);
        int groups = (batch + GroupKernelF32.lanes(c.qubits()) - 1) / GroupKernelF32.lanes(c.qubits());
        float[] z = new float[x.length];
        float[] dx = new float[x.length];
        float[] dw = new float[w.length];
        float[] sx = new float[x.length];
        float[] sw = new float[w.length];
        for (int k = 0; k < groups; k++) {
            GroupKernelF32.forward(loops, p, batch, x, z, k);
            GroupKernelF32.adjoint(loops, p, batch, x, g, dx, dw, k);
            if (shift) {
                GroupKernelF32.parameterShift(loops, p, KernelInputs.shifted(p, Math.PI / 2), KernelInputs.shifted(p, -Math.PI / 2), batch,
                        x, g, sx, sw, k);
            }
        }
        return new float[][] {z, dx, dw, sx, sw};
    }
}
