package org.dgquantum.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Entangler;
import org.dgquantum.engine.Gate;
import org.junit.jupiter.api.Test;

/**
 * Parameter shift cut into pieces of units (ShiftSplit) gives the bits of the whole group, for every
 * number of pieces: pieces write disjoint entries, and each entry is computed by the same operations
 * (the prefix state a piece rebuilds is the one the whole group advances to).
 */
class ShiftSplitTest {
    private static final List<Circuit> CIRCUITS = List.of(
            new Circuit(5, 3, Gate.RX, List.of(Gate.RX, Gate.RY, Gate.RZ), Entangler.RING),
            new Circuit(6, 4, Gate.RY, List.of(Gate.RY), Entangler.LINEAR),
            new Circuit(4, 2, Gate.RY, List.of(Gate.RZ, Gate.RY), Entangler.NONE),
            new Circuit(3, 1, Gate.RX, List.of(Gate.RY), Entangler.RING),
            new Circuit(3, 0, Gate.RX, List.of(Gate.RY), Entangler.RING));

    @Test
    void boundariesCoverEveryUnitOnceInOrder() {
        for (Circuit c : CIRCUITS) {
            CircuitProgram p = new CircuitProgram(c, new double[c.weightCount()]);
            int units = ShiftSplit.units(p);
            assertEquals(c.qubits() + c.weightCount(), units);
            for (int pieces = -1; pieces <= units + 3; pieces++) {
                int[] b = ShiftSplit.split(p, pieces);
                assertEquals(0, b[0], c + " pieces " + pieces);
                assertEquals(units, b[b.length - 1], c + " pieces " + pieces);
                assertEquals(Math.max(1, Math.min(pieces, units)), b.length - 1, c + " pieces " + pieces);
                for (int k = 1; k < b.length; k++) {
                    assertTrue(b[k] > b[k - 1], c + " pieces " + pieces + ": empty piece " + (k - 1));
                }
            }
        }
    }

    @Test
    void piecesCostAboutTheSame() {
        Circuit c = new Circuit(12, 4, Gate.RY, List.of(Gate.RX, Gate.RY, Gate.RZ), Entangler.RING);
        CircuitProgram p = new CircuitProgram(c, new double[c.weightCount()]);
        int[] b = ShiftSplit.split(p, 8);
        long total = 0;
        long max = 0;
        for (int k = 0; k + 1 < b.length; k++) {
            long cost = 0;
            for (int u = b[k]; u < b[k + 1]; u++) {
                cost += ShiftSplit.cost(p, u);
            }
            total += cost;
            max = Math.max(max, cost);
        }
        assertTrue(max <= total / 8 * 1.25, "largest piece " + max + " of " + total);
    }

    @Test
    void everySplitGivesTheBitsOfTheWholeGroup() {
        Random r = new Random(14);
        for (Circuit c : CIRCUITS) {
            int n = c.qubits();
            int batch = 11;
            double[] x = KernelInputs.uniform(r, batch * n, -3, 3);
            double[] w = KernelInputs.uniform(r, c.weightCount(), -3, 3);
            double[] g = KernelInputs.uniform(r, batch * n, -1, 1);
            CircuitProgram p = new CircuitProgram(c, w);
            CircuitProgram[] plus = KernelInputs.shifted(p, Math.PI / 2);
            CircuitProgram[] minus = KernelInputs.shifted(p, -Math.PI / 2);
            double[] dx = new double[x.length];
            double[] dw = new double[w.length];
            GroupKernelF64.parameterShift(p, plus, minus, batch, x, g, dx, dw, 0);
            float[] xf = KernelInputs.toFloat(x);
            float[] gf = KernelInputs.toFloat(g);
            float[] dxf = new float[x.length];
            float[] dwf = new float[w.length];
            GroupKernelF32.parameterShift(p, plus, minus, batch, xf, gf, dxf, dwf, 0);
            assertTrue(maxAbs(dw) + maxAbs(dx) > 1e-3, c + ": gradients must not be trivially zero");
            for (int pieces = 1; pieces <= ShiftSplit.units(p); pieces++) {
                int[] b = ShiftSplit.split(p, pieces);
                double[] dxs = new double[x.length];
                double[] dws = new double[w.length];
                float[] dxfs = new float[x.length];
                float[] dwfs = new float[w.length];
                // Last piece first: no piece may depend on state left behind by the one before it.
                for (int k = b.length - 2; k >= 0; k--) {
                    GroupKernelF64.parameterShift(p, plus, minus, batch, x, g, dxs, dws, 0, b[k], b[k + 1]);
                    GroupKernelF32.parameterShift(p, plus, minus, batch, xf, gf, dxfs, dwfs, 0, b[k], b[k + 1]);
                }
                assertArrayEquals(dx, dxs, c + " float64 dx, " + pieces + " pieces");
                assertArrayEquals(dw, dws, c + " float64 dw, " + pieces + " pieces");
                assertArrayEquals(dxf, dxfs, c + " float32 dx, " + pieces + " pieces");
                assertArrayEquals(dwf, dwfs, c + " float32 dw, " + pieces + " pieces");
            }
        }
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
