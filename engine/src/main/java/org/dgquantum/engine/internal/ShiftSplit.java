package org.dgquantum.engine.internal;

/**
 * How the parameter-shift work of one group of lanes is cut into pieces that threads can share. The
 * work is a sequence of units: input qubit q (unit q, 2 circuits with that input shifted), then
 * weight i (unit n + i, 2 circuits with that weight shifted). A piece is a contiguous range of units;
 * it computes its own prefix state (the state before the first later-layer weight it covers) and
 * advances it layer by layer, as the whole group does. Pieces write disjoint entries of the outputs
 * (one input-gradient column per input unit, one weight-gradient entry per weight unit), so the
 * results do not depend on the split: it only moves work between threads, never changes a sum.
 * Precision-free, shared by both kernels.
 */
public final class ShiftSplit {
    private ShiftSplit() {
    }

    /** Units of one group: n input qubits, then every weight. */
    public static int units(CircuitProgram p) {
        return p.qubits + p.circuit.weightCount();
    }

    /**
     * Boundaries of at most {@code pieces} contiguous unit ranges of about equal estimated cost: piece
     * k is units {@code [b[k], b[k + 1])}. One piece (all units) when pieces &lt;= 1.
     */
    public static int[] split(CircuitProgram p, int pieces) {
        int units = units(p);
        int k = Math.max(1, Math.min(pieces, units));
        long[] cost = new long[units + 1];
        for (int u = 0; u < units; u++) {
            cost[u + 1] = cost[u] + cost(p, u);
        }
        int[] b = new int[k + 1];
        for (int j = 1; j < k; j++) {
            long target = cost[units] * j / k;
            // The first boundary whose cost before it reaches the target, leaving every piece at least one unit.
            int u = b[j - 1] + 1;
            while (u < units - (k - j) && cost[u] < target) {
                u++;
            }
            b[j] = u;
        }
        b[k] = units;
        return b;
    }

    /**
     * Estimated cost of one unit, in passes over a state: a layer is n block passes and one
     * entangler gather; preparation, the restore copy and readout a few passes more.
     */
    static long cost(CircuitProgram p, int unit) {
        int n = p.qubits;
        long layer = n + 1L;
        long full = 4 + Math.max(0, p.layers - 1) * layer;
        int i = unit - n;
        int perLayer = n * p.rotations;
        if (i < perLayer) {
            return 2 * full;
        }
        int l = i / perLayer;
        return 2 * (2 + (p.layers - l) * layer);
    }
}
