package org.dgquantum.engine.internal;

/**
 * The passes over a whole state of the float64 kernel: gates, the entangler gather, the readout
 * fold and the adjoint's overlap. Two implementations: {@link ScalarLoopsF64}, always present, and
 * {@link VectorLoopsF64}, which does the same operations in the same order on whole vectors (same
 * bits) and hands a call to the scalar loop when its stride or lane count is not a whole number of
 * vectors. The kernel uses {@link #CHOSEN}, picked once per process, so no gate asks again.
 */
interface LoopsF64 {
    /** The loops of this process: the Vector API ones when {@link VectorSupport#enabled()}. */
    LoopsF64 CHOSEN = choose();

    /** The scalar loops, whatever the process uses (tests compare them with the vector ones). */
    static LoopsF64 scalar() {
        return ScalarLoopsF64.INSTANCE;
    }

    /** The Vector API loops; only when {@link VectorSupport#available()}, else the class cannot load. */
    static LoopsF64 vector() {
        if (!VectorSupport.available()) {
            throw new IllegalStateException("jdk.incubator.vector is not resolved in this JVM");
        }
        return VectorLoopsF64.INSTANCE;
    }

    // Typed as the interface so that VectorLoopsF64 is not loaded unless chosen.
    private static LoopsF64 choose() {
        if (VectorSupport.enabled()) {
            return VectorLoopsF64.INSTANCE;
        }
        return ScalarLoopsF64.INSTANCE;
    }

    /** Real 2x2 matrix on the pairs (i, i + stride) of one array. */
    void real(double[] a, int size, int stride, double m00, double m01, double m10, double m11);

    /** diag(m00, m11) on the pairs (i, i + stride). */
    void diagonal(double[] re, double[] im, int size, int stride, double m00r, double m00i, double m11r,
                  double m11i);

    /** General 2x2 complex matrix on the pairs (i, i + stride). */
    void general(double[] re, double[] im, int size, int stride, double m00r, double m00i, double m01r,
                 double m01i, double m10r, double m10i, double m11r, double m11i);

    /**
     * to[j] = from[M j] for every amplitude j (all its lanes), where {@code columns} are those of M.
     * Visits j in Gray-code order so that each source index is one XOR away from the last.
     */
    void gather(double[] from, double[] to, int[] columns, int size, int lanes);

    /**
     * One readout fold: acc[v] = sum_j prob[j + v] - prob[j + half + v], then prob[j + v] +=
     * prob[j + half + v], for j a multiple of lanes below half.
     */
    void fold(double[] prob, int half, int lanes, double[] acc);

    /**
     * Per lane, the overlap matrix of the qubit with this stride: K_ab = sum over the other qubits of
     * conj(lambda_a) psi_b, stored as k[entry * lanes + lane], entries 00r, 00i, 01r, 01i, 10r, 10i,
     * 11r, 11i. Real states read no imaginary parts and leave those entries 0.
     */
    void overlap(double[] re, double[] im, double[] lre, double[] lim, int size, int stride, int lanes,
                 double[] k, boolean real);
}
