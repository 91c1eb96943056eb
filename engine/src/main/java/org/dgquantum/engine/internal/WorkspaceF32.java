// GENERATED from WorkspaceF64.java by Float32Sources: do not edit. Edit WorkspaceF64.java, then run
// java engine/src/test/java/org/dgquantum/engine/internal/Float32Sources.java
package org.dgquantum.engine.internal;

/**
 * The state space of one group in float32: per-thread buffers, reused across calls while the qubit
 * count and the loops stay the same, and the {@link LoopsF32} that run over them. Amplitude i of
 * lane v is at {@code i * lanes + v}.
 */
final class WorkspaceF32 {
    private static final ThreadLocal<WorkspaceF32> CACHE = new ThreadLocal<>();

    final LoopsF32 loops;
    final int qubits;
    final int lanes;
    final int size;
    float[] re;
    float[] im;
    /** Target of permutations and readout; swapped with the array it replaces. */
    float[] scratch;
    /** The adjoint's bra lambda, allocated only when a backward pass needs it. */
    float[] lre;
    float[] lim;
    /** The parameter-shift prefix state, allocated only when needed. */
    float[] prefixRe;
    float[] prefixIm;
    /** Per qubit and lane, the one-qubit state (a, b) the product state is built from. */
    final float[] far;
    final float[] fai;
    final float[] fbr;
    final float[] fbi;
    /** Expectations per qubit and lane (parameter shift: z at +pi/2 here, at -pi/2 in z2). */
    final float[] z;
    final float[] z2;
    /** The adjoint's overlap matrix per lane (layout of {@link LoopsF32#overlap}). */
    final float[] k;
    /** One number per lane. */
    final float[] acc;

    private WorkspaceF32(int qubits, LoopsF32 loops) {
        this.loops = loops;
        this.qubits = qubits;
        this.lanes = GroupKernelF32.lanes(qubits);
        this.size = (1 << qubits) * lanes;
        re = new float[size];
        im = new float[size];
        scratch = new float[size];
        far = new float[qubits * lanes];
        fai = new float[qubits * lanes];
        fbr = new float[qubits * lanes];
        fbi = new float[qubits * lanes];
        z = new float[qubits * lanes];
        z2 = new float[qubits * lanes];
        k = new float[8 * lanes];
        acc = new float[lanes];
    }

    static WorkspaceF32 get(int qubits, LoopsF32 loops) {
        WorkspaceF32 w = CACHE.get();
        if (w == null || w.qubits != qubits || w.loops != loops) {
            w = new WorkspaceF32(qubits, loops);
            CACHE.set(w);
        }
        return w;
    }

    void needPrefix() {
        if (prefixRe == null) {
            prefixRe = new float[size];
            prefixIm = new float[size];
        }
    }

    void needLambda() {
        if (lre == null) {
            lre = new float[size];
            lim = new float[size];
        }
    }
}
