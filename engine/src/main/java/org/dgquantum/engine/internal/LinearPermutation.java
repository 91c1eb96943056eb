package org.dgquantum.engine.internal;

/**
 * A layer of CNOTs as one permutation of basis indices. CNOT(c -> t) flips bit t when bit c is set,
 * which is linear over GF(2), so any sequence of CNOTs is a linear map M on index bit vectors,
 * stored by its columns (the image of each single bit). A whole entangler layer then costs one pass
 * over the state instead of one pass per CNOT, and source indices are walked in Gray-code order so
 * that each one is a single XOR away from the previous one.
 */
public final class LinearPermutation {
    private final int[] forward;
    private final int[] inverse;

    private LinearPermutation(int[] forward, int[] inverse) {
        this.forward = forward;
        this.inverse = inverse;
    }

    /** The map that the CNOTs {control, target}, applied in order, perform on basis indices. */
    public static LinearPermutation ofCnots(int qubits, int[][] cnots) {
        int[] fwd = new int[qubits];
        int[] inv = new int[qubits];
        for (int b = 0; b < qubits; b++) {
            int x = 1 << b;
            for (int[] g : cnots) {
                x = cnot(x, g);
            }
            fwd[b] = x;
            int y = 1 << b;
            for (int i = cnots.length - 1; i >= 0; i--) {
                y = cnot(y, cnots[i]);
            }
            inv[b] = y;
        }
        return new LinearPermutation(fwd, inv);
    }

    private static int cnot(int index, int[] g) {
        return ((index >>> g[0]) & 1) != 0 ? index ^ (1 << g[1]) : index;
    }

    /** Columns of M: applying the layer moves amplitude i to M i, so new[j] = old[M^-1 j] uses {@link #inverseColumns()}. */
    public int[] forwardColumns() {
        return forward.clone();
    }

    /** Columns of M^-1 (the CNOTs in reverse order; each CNOT is its own inverse). */
    public int[] inverseColumns() {
        return inverse.clone();
    }

    /** Image of an index under the map with the given columns. */
    public static int apply(int[] columns, int index) {
        int r = 0;
        for (int b = 0; b < columns.length; b++) {
            if (((index >>> b) & 1) != 0) {
                r ^= columns[b];
            }
        }
        return r;
    }
}
