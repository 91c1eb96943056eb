// GENERATED from ParameterShiftF64.java by Float32Sources: do not edit. Edit ParameterShiftF64.java, then run
// java engine/src/test/java/org/dgquantum/engine/internal/Float32Sources.java
package org.dgquantum.engine.internal;

/**
 * The parameter-shift VJP in float32: exact +-pi/2 shifts, 2 circuits per input angle (all lanes
 * shifted at once) and per weight. For weights of layer l >= 1 the state before layer l is computed
 * once and reused for all of that layer's shifted circuits.
 *
 * <p>The work of one group is a sequence of units (see {@link ShiftSplit}): input qubit q is unit q,
 * weight i is unit n + i. Any contiguous range of units can be run on its own: it writes only its
 * own entries of the input gradient (rows x qubits of its input units) and of the group's weight
 * gradient (one entry per weight unit), each computed by the same operations whatever the range, so
 * splitting a group's units over threads gives the same bits as running them all at once.
 */
final class ParameterShiftF32 {
    private ParameterShiftF32() {
    }

    /**
     * Writes the input gradients of rows row0.. for the input units among {@code from} (inclusive) to
     * {@code to} (exclusive), and adds the group's weight gradient of its weight units into
     * {@code weightGrad}: input qubit q is unit q, weight i unit n + i; {@code plus[i]}, {@code minus[i]}:
     * the program with weight i shifted by +-pi/2.
     */
    static void vjp(CircuitProgram p, CircuitProgram[] plus, CircuitProgram[] minus, WorkspaceF32 w,
                    float[] inputs, float[] upstream, float[] inputGrad, float[] weightGrad, int row0,
                    int rows, int from, int to) {
        int n = p.qubits;
        for (int q = from; q < Math.min(to, n); q++) {
            shiftedDifference(p, p, w, inputs, row0, rows, q);
            for (int v = 0; v < rows; v++) {
                inputGrad[(row0 + v) * n + q] = (float) laneProjection(w, upstream, row0 + v, v, n);
            }
        }
        // Weight indices of the range: [first, last).
        int first = Math.max(0, from - n);
        int last = Math.min(plus.length, to - n);
        // Layer-0 weights change the product state: those circuits start from scratch.
        int perLayer = n * p.rotations;
        for (int i = first; i < Math.min(perLayer, last); i++) {
            shiftedDifference(plus[i], minus[i], w, inputs, row0, rows, -1);
            weightGrad[i] += (float) groupProjection(w, upstream, row0, rows, n);
        }
        int firstLater = Math.max(first, perLayer);
        if (firstLater >= last) {
            return;
        }
        // Later layers: the state before layer l is the same for all of its shifted weights, so it
        // is computed once (and advanced layer by layer) instead of once per shifted circuit.
        w.needPrefix();
        int firstLayer = firstLater / perLayer;
        int lastLayer = (last - 1) / perLayer;
        GatesF32.start(p, w, inputs, row0, rows, -1, 0);
        GatesF32.runLayers(p, w, 1, firstLayer);
        for (int l = firstLayer; l <= lastLayer; l++) {
            savePrefix(w, p.real);
            for (int i = Math.max(firstLater, l * perLayer); i < Math.min(last, (l + 1) * perLayer); i++) {
                restorePrefix(w, p.real);
                GatesF32.runLayers(plus[i], w, l, p.layers);
                ReadoutF32.readout(plus[i], w, w.z);
                restorePrefix(w, p.real);
                GatesF32.runLayers(minus[i], w, l, p.layers);
                ReadoutF32.readout(minus[i], w, w.z2);
                weightGrad[i] += (float) groupProjection(w, upstream, row0, rows, n);
            }
            if (l < lastLayer) {
                restorePrefix(w, p.real);
                GatesF32.runLayers(p, w, l, l + 1);
            }
        }
    }

    private static void savePrefix(WorkspaceF32 w, boolean real) {
        System.arraycopy(w.re, 0, w.prefixRe, 0, w.size);
        if (!real) {
            System.arraycopy(w.im, 0, w.prefixIm, 0, w.size);
        }
    }

    private static void restorePrefix(WorkspaceF32 w, boolean real) {
        System.arraycopy(w.prefixRe, 0, w.re, 0, w.size);
        if (!real) {
            System.arraycopy(w.prefixIm, 0, w.im, 0, w.size);
        }
    }

    /** Forward with a +pi/2 and a -pi/2 shift (of input qubit shiftQubit, or baked into the programs): z+ in w.z, z- in w.z2. */
    private static void shiftedDifference(CircuitProgram plus, CircuitProgram minus, WorkspaceF32 w, float[] inputs,
                                          int row0, int rows, int shiftQubit) {
        GatesF32.evolve(plus, w, inputs, row0, rows, shiftQubit, (float) (Math.PI / 2));
        ReadoutF32.readout(plus, w, w.z);
        GatesF32.evolve(minus, w, inputs, row0, rows, shiftQubit, (float) (-Math.PI / 2));
        ReadoutF32.readout(minus, w, w.z2);
    }

    /** laneProjection summed over the rows of the group, in lane order. */
    private static float groupProjection(WorkspaceF32 w, float[] upstream, int row0, int rows, int n) {
        @Wide double g = 0.0;
        for (int v = 0; v < rows; v++) {
            g += laneProjection(w, upstream, row0 + v, v, n);
        }
        return (float) g;
    }

    /** sum_q g_q (z+_q - z-_q) / 2 for one lane. */
    private static float laneProjection(WorkspaceF32 w, float[] upstream, int row, int v, int n) {
        float sum = 0;
        for (int q = 0; q < n; q++) {
            sum += upstream[row * n + q] * (w.z[q * w.lanes + v] - w.z2[q * w.lanes + v]);
        }
        return (float) (0.5 * sum);
    }
}
