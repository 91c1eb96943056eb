// GENERATED from ReadoutF64.java by Float32Sources: do not edit. Edit ReadoutF64.java, then run
// java engine/src/test/java/org/dgquantum/engine/internal/Float32Sources.java
package org.dgquantum.engine.internal;

/** Readout in float32: the expectations z_q = <Z_q> of the group's final states. */
final class ReadoutF32 {
    private ReadoutF32() {
    }

    /**
     * z_q per lane, into z[q * lanes + lane]. Folds the probabilities one qubit at a time from the
     * top: z_top = P(lower half) - P(upper half), then the halves are added and the next qubit is
     * read from the folded array. Uses the scratch array.
     */
    static void readout(CircuitProgram p, WorkspaceF32 w, float[] z) {
        int lanes = w.lanes;
        float[] prob = w.scratch;
        float[] re = w.re;
        float[] im = w.im;
        if (p.real) {
            for (int i = 0; i < w.size; i++) {
                prob[i] = re[i] * re[i];
            }
        } else {
            for (int i = 0; i < w.size; i++) {
                prob[i] = re[i] * re[i] + im[i] * im[i];
            }
        }
        float[] acc = w.acc;
        for (int q = p.qubits - 1; q >= 0; q--) {
            int half = (1 << q) * lanes;
            w.loops.fold(prob, half, lanes, acc);
            System.arraycopy(acc, 0, z, q * lanes, lanes);
        }
    }

    /** Copies the group's expectations to rows row0.. of out ([batch][qubits]). */
    static void store(WorkspaceF32 w, float[] z, float[] out, int row0, int rows, int n) {
        for (int v = 0; v < rows; v++) {
            for (int q = 0; q < n; q++) {
                out[(row0 + v) * n + q] = z[q * w.lanes + v];
            }
        }
    }

    /** Sum of |amplitude|^2 of the final state of each of the first rows lanes. */
    static float[] norms(CircuitProgram p, WorkspaceF32 w, int rows) {
        float[] out = new float[rows];
        for (int v = 0; v < rows; v++) {
            float sum = 0;
            for (int i = v; i < w.size; i += w.lanes) {
                sum += w.re[i] * w.re[i] + (p.real ? 0 : w.im[i] * w.im[i]);
            }
            out[v] = sum;
        }
        return out;
    }
}
