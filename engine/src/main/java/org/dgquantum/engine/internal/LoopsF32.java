// GENERATED from LoopsF64.java by Float32Sources: do not edit. Edit LoopsF64.java, then run
// java engine/src/test/java/org/dgquantum/engine/internal/Float32Sources.java
package org.dgquantum.engine.internal;

/**
 * The passes over a whole state of the float32 kernel: gates, the entangler gather, the readout
 * fold and the adjoint's overlap. Two implementations: {@link ScalarLoopsF32}, always present, and
 * {@link VectorLoopsF32}, which does the same operations in the same order on whole vectors (same
 * bits) and hands a call to the scalar loop when its stride or lane count is not a whole number of
 * vectors. The kernel uses {@link #CHOSEN}, picked once per process, so no gate asks again.
 */
interface LoopsF32 {
    /** The loops of this process: the Vector API ones when {@link VectorSupport#enabled()}. */
    LoopsF32 CHOSEN = choose();

    /** The scalar loops, whatever the process uses (tests compare them with the vector ones). */
    static LoopsF32 scalar() {
        return ScalarLoopsF32.INSTANCE;
    }

    /** The Vector API loops; only when {@link VectorSupport#available()}, else the class cannot load. */
    static LoopsF32 vector() {
        if (!VectorSupport.available()) {
            throw new IllegalStateException("jdk.incubator.vector is not resolved in this JVM");
        }
        return VectorLoopsF32.INSTANCE;
    }

    // Typed as the interface so that VectorLoopsF32 is not loaded unless chosen.
    private static LoopsF32 choose() {
        if (VectorSupport.enabled()) {
            return VectorLoopsF32.INSTANCE;
        }
        return ScalarLoopsF32.INSTANCE;
    }

    /** Real 2x2 matrix on the pairs (i, i + stride) of one array. */
    void real(float[] a, int size, int stride, float m00, float m01, float m10, float m11);

    /** diag(m00, m11) on the pairs (i, i + stride). */
    void diagonal(float[] re, float[] im, int size, int stride, float m00r, float m00i, float m11r,
                  float m11i);

    /** General 2x2 complex matrix on the pairs (i, i + stride). */
    void general(float[] re, float[] im, int size, int stride, float m00r, float m00i, float m01r,
                 float m01i, float m10r, float m10i, float m11r, float m11i);

    /**
     * to[j] = from[M j] for every amplitude j (all its lanes), where {@code columns} are those of M.
     * Visits j in Gray-code order so that each source index is one XOR away from the last.
     */
    void gather(float[] from, float[] to, int[] columns, int size, int lanes);

    /**
     * One readout fold: acc[v] = sum_j prob[j + v] - prob[j + half + v], then prob[j + v] +=
     * prob[j + half + v], for j a multiple of lanes below half.
     */
    void fold(float[] prob, int half, int lanes, float[] acc);

    /**
     * Per lane, the overlap matrix of the qubit with this stride: K_ab = sum over the other qubits of
     * conj(lambda_a) psi_b, stored as k[entry * lanes + lane], entries 00r, 00i, 01r, 01i, 10r, 10i,
     * 11r, 11i. Real states read no imaginary parts and leave those entries 0.
     */
    void overlap(float[] re, float[] im, float[] lre, float[] lim, int size, int stride, int lanes,
                 float[] k, boolean real);
}
