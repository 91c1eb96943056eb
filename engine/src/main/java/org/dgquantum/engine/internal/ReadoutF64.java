package org.dgquantum.engine.internal;

/** Readout in float64: the expectations z_q = <Z_q> of the group's final states. */
final class ReadoutF64 {
    private ReadoutF64() {
    }

    /**
     * z_q per lane, into z[q * lanes + lane]. Folds the probabilities one qubit at a time from the
     * top: z_top = P(lower half) - P(upper half), then the halves are added and the next qubit is
     * read from the folded array. Uses the scratch array.
     */
    static void readout(CircuitProgram p, WorkspaceF64 w, double[] z) {
        int lanes = w.lanes;
        double[] prob = w.scratch;
        double[] re = w.re;
        double[] im = w.im;
        if (p.real) {
            for (int i = 0; i < w.size; i++) {
                prob[i] = re[i] * re[i];
            }
        } else {
            for (int i = 0; i < w.size; i++) {
                prob[i] = re[i] * re[i] + im[i] * im[i];
            }
        }
        double[] acc = w.acc;
        for (int q = p.qubits - 1; q >= 0; q--) {
            int half = (1 << q) * lanes;
            w.loops.fold(prob, half, lanes, acc);
            System.arraycopy(acc, 0, z, q * lanes, lanes);
        }
    }

    /** Copies the group's expectations to rows row0.. of out ([batch][qubits]). */
    static void store(WorkspaceF64 w, double[] z, double[] out, int row0, int rows, int n) {
        for (int v = 0; v < rows; v++) {
            for (int q = 0; q < n; q++) {
                out[(row0 + v) * n + q] = z[q * w.lanes + v];
            }
        }
    }

    /** Sum of |amplitude|^2 of the final state of each of the first rows lanes. */
    static double[] norms(CircuitProgram p, WorkspaceF64 w, int rows) {
        double[] out = new double[rows];
        for (int v = 0; v < rows; v++) {
            double sum = 0;
            for (int i = v; i < w.size; i += w.lanes) {
                sum += w.re[i] * w.re[i] + (p.real ? 0 : w.im[i] * w.im[i]);
            }
            out[v] = sum;
        }
        return out;
    }
}
