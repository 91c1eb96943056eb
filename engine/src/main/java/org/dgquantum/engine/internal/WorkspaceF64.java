package org.dgquantum.engine.internal;

/**
 * The state space of one group in float64: per-thread buffers, reused across calls while the qubit
 * count and the loops stay the same, and the {@link LoopsF64} that run over them. Amplitude i of
 * lane v is at {@code i * lanes + v}.
 */
final class WorkspaceF64 {
    private static final ThreadLocal<WorkspaceF64> CACHE = new ThreadLocal<>();

    final LoopsF64 loops;
    final int qubits;
    final int lanes;
    final int size;
    double[] re;
    double[] im;
    /** Target of permutations and readout; swapped with the array it replaces. */
    double[] scratch;
    /** The adjoint's bra lambda, allocated only when a backward pass needs it. */
    double[] lre;
    double[] lim;
    /** The parameter-shift prefix state, allocated only when needed. */
    double[] prefixRe;
    double[] prefixIm;
    /** Per qubit and lane, the one-qubit state (a, b) the product state is built from. */
    final double[] far;
    final double[] fai;
    final double[] fbr;
    final double[] fbi;
    /** Expectations per qubit and lane (parameter shift: z at +pi/2 here, at -pi/2 in z2). */
    final double[] z;
    final double[] z2;
    /** The adjoint's overlap matrix per lane (layout of {@link LoopsF64#overlap}). */
    final double[] k;
    /** One number per lane. */
    final double[] acc;

    private WorkspaceF64(int qubits, LoopsF64 loops) {
        this.loops = loops;
        this.qubits = qubits;
        this.lanes = GroupKernelF64.lanes(qubits);
        this.size = (1 << qubits) * lanes;
        re = new double[size];
        im = new double[size];
        scratch = new double[size];
        far = new double[qubits * lanes];
        fai = new double[qubits * lanes];
        fbr = new double[qubits * lanes];
        fbi = new double[qubits * lanes];
        z = new double[qubits * lanes];
        z2 = new double[qubits * lanes];
        k = new double[8 * lanes];
        acc = new double[lanes];
    }

    static WorkspaceF64 get(int qubits, LoopsF64 loops) {
        WorkspaceF64 w = CACHE.get();
        if (w == null || w.qubits != qubits || w.loops != loops) {
            w = new WorkspaceF64(qubits, loops);
            CACHE.set(w);
        }
        return w;
    }

    void needPrefix() {
        if (prefixRe == null) {
            prefixRe = new double[size];
            prefixIm = new double[size];
        }
    }

    void needLambda() {
        if (lre == null) {
            lre = new double[size];
            lim = new double[size];
        }
    }
}
