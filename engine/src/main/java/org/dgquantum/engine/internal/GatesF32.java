// GENERATED from GatesF64.java by Float32Sources: do not edit. Edit GatesF64.java, then run
// java engine/src/test/java/org/dgquantum/engine/internal/Float32Sources.java
package org.dgquantum.engine.internal;

/**
 * Gate application in float32: the circuit after state preparation, as fused one-qubit blocks
 * (each one 2x2 matrix of {@link CircuitProgram}) and entanglers (each one index permutation).
 */
final class GatesF32 {
    private GatesF32() {
    }

    /** Runs encoding and all layers for the group; leaves the final state in w.re/w.im. */
    static void evolve(CircuitProgram p, WorkspaceF32 w, float[] inputs, int row0, int rows,
                       int shiftQubit, float shift) {
        start(p, w, inputs, row0, rows, shiftQubit, shift);
        runLayers(p, w, 1, p.layers);
    }

    /** Encoding and layer 0 (a product state), then layer 0's entangler. */
    static void start(CircuitProgram p, WorkspaceF32 w, float[] inputs, int row0, int rows,
                      int shiftQubit, float shift) {
        PreparationF32.productState(p, w, inputs, row0, rows, shiftQubit, shift);
        if (p.layers >= 1 && p.entanglerColumns != null) {
            permute(p, w, p.entanglerInverseColumns, false);
        }
    }

    /** Layers from (>= 1) up to, not including, to: rotation blocks then entangler. */
    static void runLayers(CircuitProgram p, WorkspaceF32 w, int from, int to) {
        int n = p.qubits;
        for (int l = from; l < to; l++) {
            for (int q = 0; q < n; q++) {
                int b = l * n + q;
                apply(w, w.re, w.im, q, p, b, false);
            }
            if (p.entanglerColumns != null) {
                permute(p, w, p.entanglerInverseColumns, false);
            }
        }
    }

    /**
     * Applies block {@code block} (or its conjugate transpose) to one qubit of every lane, by the
     * cheapest loop for its kind; real circuits touch only the real parts.
     */
    static void apply(WorkspaceF32 w, float[] re, float[] im, int qubit, CircuitProgram p, int block,
                      boolean dagger) {
        int size = w.size;
        int stride = (1 << qubit) * w.lanes;
        @Wide double[] mats = dagger ? p.blockDaggers : p.blocks;
        int o = block * 8;
        byte kind = p.kinds[block];
        boolean realState = p.real;
        float m00r = (float) mats[o];
        float m00i = (float) mats[o + 1];
        float m01r = (float) mats[o + 2];
        float m01i = (float) mats[o + 3];
        float m10r = (float) mats[o + 4];
        float m10i = (float) mats[o + 5];
        float m11r = (float) mats[o + 6];
        float m11i = (float) mats[o + 7];
        LoopsF32 loops = w.loops;
        if (realState || kind == CircuitProgram.REAL) {
            loops.real(re, size, stride, m00r, m01r, m10r, m11r);
            if (!realState) {
                loops.real(im, size, stride, m00r, m01r, m10r, m11r);
            }
        } else if (kind == CircuitProgram.DIAGONAL) {
            loops.diagonal(re, im, size, stride, m00r, m00i, m11r, m11i);
        } else {
            loops.general(re, im, size, stride, m00r, m00i, m01r, m01i, m10r, m10i, m11r, m11i);
        }
    }

    /**
     * Applies an entangler layer (or undoes it) as one gather: amplitude j of the result is amplitude
     * M j of the input, where {@code columns} are those of M. withLambda: the adjoint's lambda too.
     */
    static void permute(CircuitProgram p, WorkspaceF32 w, int[] columns, boolean withLambda) {
        w.re = gathered(w, w.re, columns);
        if (!p.real) {
            w.im = gathered(w, w.im, columns);
        }
        if (withLambda) {
            w.lre = gathered(w, w.lre, columns);
            if (!p.real) {
                w.lim = gathered(w, w.lim, columns);
            }
        }
    }

    /** Gathers {@code from} into the scratch array and returns it; {@code from} becomes the scratch. */
    private static float[] gathered(WorkspaceF32 w, float[] from, int[] columns) {
        float[] to = w.scratch;
        w.loops.gather(from, to, columns, w.size, w.lanes);
        w.scratch = from;
        return to;
    }
}
