// GENERATED from PreparationF64.java by Float32Sources: do not edit. Edit PreparationF64.java, then run
// java engine/src/test/java/org/dgquantum/engine/internal/Float32Sources.java
package org.dgquantum.engine.internal;

import org.dgquantum.engine.Gate;

/**
 * State preparation in float32: the encoding and the layer-0 rotations. Before the first
 * entangler the state is a product of one-qubit states, so it is built directly (2^(n+1) complex
 * products) instead of gate by gate.
 */
final class PreparationF32 {
    private PreparationF32() {
    }

    /**
     * Leaves in w.re/w.im the product state U0 E(x)|0...0> of every lane (U0 = the layer-0 blocks;
     * none when the circuit has no layer). Input qubit shiftQubit (-1: none) is encoded at x + shift.
     */
    static void productState(CircuitProgram p, WorkspaceF32 w, float[] inputs, int row0, int rows,
                             int shiftQubit, float shift) {
        loadFactors(p, w, inputs, row0, rows, shiftQubit, shift);
        tensor(p, w);
    }

    /**
     * Per lane and qubit, the one-qubit state U0_q E(x_q)|0>: Math and the program's matrices at
     * full precision, rounded once to the working precision.
     */
    private static void loadFactors(CircuitProgram p, WorkspaceF32 w, float[] inputs, int row0, int rows,
                                    int shiftQubit, float shift) {
        int n = p.qubits;
        int lanes = w.lanes;
        boolean rx = p.circuit.encoding() == Gate.RX;
        @Wide double[] m = p.layers >= 1 ? p.blocks : Mat2.identity();
        for (int q = 0; q < n; q++) {
            int o = p.layers >= 1 ? q * 8 : 0;
            for (int v = 0; v < lanes; v++) {
                float x = v < rows ? inputs[(row0 + v) * n + q] : 0;
                if (q == shiftQubit) {
                    x += shift;
                }
                @Wide double c = Math.cos(0.5 * x);
                @Wide double s = Math.sin(0.5 * x);
                // E(x)|0> = (c, s) for RY and (c, -i s) for RX.
                @Wide double e1r = rx ? 0.0 : s;
                @Wide double e1i = rx ? -s : 0.0;
                int i = q * lanes + v;
                w.far[i] = (float) (m[o] * c + m[o + 2] * e1r - m[o + 3] * e1i);
                w.fai[i] = (float) (m[o + 1] * c + m[o + 2] * e1i + m[o + 3] * e1r);
                w.fbr[i] = (float) (m[o + 4] * c + m[o + 6] * e1r - m[o + 7] * e1i);
                w.fbi[i] = (float) (m[o + 5] * c + m[o + 6] * e1i + m[o + 7] * e1r);
            }
        }
    }

    /** Tensor product of the per-qubit factors, doubling the filled part of the state once per qubit. */
    private static void tensor(CircuitProgram p, WorkspaceF32 w) {
        int lanes = w.lanes;
        float[] re = w.re;
        float[] im = w.im;
        for (int v = 0; v < lanes; v++) {
            re[v] = 1;
            im[v] = 0;
        }
        for (int q = 0; q < p.qubits; q++) {
            int upper = (1 << q) * lanes;
            int f = q * lanes;
            for (int lo = 0; lo < upper; lo += lanes) {
                int hi = lo + upper;
                if (p.real) {
                    for (int v = 0; v < lanes; v++) {
                        float r = re[lo + v];
                        re[hi + v] = r * w.fbr[f + v];
                        re[lo + v] = r * w.far[f + v];
                    }
                } else {
                    for (int v = 0; v < lanes; v++) {
                        float r = re[lo + v];
                        float i = im[lo + v];
                        float br = w.fbr[f + v];
                        float bi = w.fbi[f + v];
                        float ar = w.far[f + v];
                        float ai = w.fai[f + v];
                        re[hi + v] = r * br - i * bi;
                        im[hi + v] = r * bi + i * br;
                        re[lo + v] = r * ar - i * ai;
                        im[lo + v] = r * ai + i * ar;
                    }
                }
            }
        }
    }
}
