package org.dgquantum.engine.internal;

/**
 * Statevector simulation of one group of samples ("lanes") of a batch, in float32.
 *
 * <p>TEMPLATE: the build generates GroupKernelF32 from this file by replacing the primitive type
 * name, the suffix F32, "float32" and the lane count (see engine/pom.xml): edit only this file.
 * Locals whose precision must not change are declared with {@code var} (they hold Math results at
 * full precision), and the program's matrices are reached through {@link CircuitProgram} fields.
 *
 * <p>Layout: amplitude i of lane v is at {@code i * lanes + v}. All samples of a batch share the
 * weights, so every gate applies the same coefficients to every lane: the inner loops run over
 * contiguous memory and the JIT vectorises them, whatever qubit the gate acts on. Each lane is
 * computed with the same scalar operations, so a sample's result does not depend on its lane, its
 * group, the batch or the thread count.
 */
public final class GroupKernelF32 {
    /** Lanes per group for small circuits (16 x 4 bytes: one cache line per amplitude). */
    public static final int MAX_LANES = 16;

    private GroupKernelF32() {
    }

    /** Lanes per group for n qubits: fewer for big states, so one state stays within about 256 KiB. */
    public static int lanes(int qubits) {
        return Math.max(1, Math.min(MAX_LANES, 1 << Math.max(0, 15 - qubits)));
    }

    /** Per-thread buffers, reused across calls while the qubit count stays the same. */
    public static final class Workspace {
        private static final ThreadLocal<Workspace> CACHE = new ThreadLocal<>();

        final int qubits;
        final int lanes;
        final int size;
        float[] re;
        float[] im;
        /** Target of permutations and readout; swapped with the array it replaces. */
        float[] scratch;
        float[] lre;
        float[] lim;
        final float[] far;
        final float[] fai;
        final float[] fbr;
        final float[] fbi;
        final float[] z;
        final float[] z2;
        final float[] k;
        final float[] acc;
        /** The Vector API may be used (for gates whose stride is a whole number of vectors). */
        final boolean vectorApi;
        /** The lane-wise loops (overlap, readout, permutation) may use it too: whole vectors of lanes. */
        final boolean vector;

        private Workspace(int qubits) {
            this.qubits = qubits;
            this.lanes = lanes(qubits);
            this.size = (1 << qubits) * lanes;
            this.vectorApi = VectorSupport.enabled();
            this.vector = vectorApi && lanes % VectorLoopsF32.LENGTH == 0;
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

        static Workspace get(int qubits) {
            Workspace w = CACHE.get();
            if (w == null || w.qubits != qubits || w.vectorApi != VectorSupport.enabled()) {
                w = new Workspace(qubits);
                CACHE.set(w);
            }
            return w;
        }

        /** The adjoint's bra lambda is allocated only when a backward pass needs it. */
        void needLambda() {
            if (lre == null) {
                lre = new float[size];
                lim = new float[size];
            }
        }
    }

    // ---------------------------------------------------------------- public entry points

    /** expectations of the rows of group {@code group}. */
    public static void forward(CircuitProgram p, int batch, float[] inputs, float[] out, int group) {
        Workspace w = Workspace.get(p.qubits);
        int row0 = group * w.lanes;
        int rows = Math.min(w.lanes, batch - row0);
        evolve(p, w, inputs, row0, rows, -1, 0);
        readout(p, w, w.z);
        store(w, w.z, out, row0, rows, p.qubits);
    }

    /** Diagnostic: sum of |amplitude|^2 of the final state of each row of the group (1 up to rounding). */
    public static float[] norms(CircuitProgram p, int batch, float[] inputs, int group) {
        Workspace w = Workspace.get(p.qubits);
        int row0 = group * w.lanes;
        int rows = Math.min(w.lanes, batch - row0);
        evolve(p, w, inputs, row0, rows, -1, 0);
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

    /**
     * Adjoint VJP of one group: writes the input gradients of its rows and adds its weight gradient
     * into {@code weightGrad} (the caller gives every group its own partial array).
     */
    public static void adjoint(CircuitProgram p, int batch, float[] inputs, float[] upstream,
                               float[] inputGrad, float[] weightGrad, int group) {
        Workspace w = Workspace.get(p.qubits);
        w.needLambda();
        int n = p.qubits;
        int lanes = w.lanes;
        int row0 = group * lanes;
        int rows = Math.min(lanes, batch - row0);
        evolve(p, w, inputs, row0, rows, -1, 0);
        applyObservable(p, w, upstream, row0, rows);
        int k = p.rotations;
        for (int l = p.layers - 1; l >= 1; l--) {
            if (p.entanglerColumns != null) {
                permute(p, w, p.entanglerColumns, true);
            }
            for (int q = n - 1; q >= 0; q--) {
                int b = l * n + q;
                overlap(p, w, q);
                for (int r = 0; r < k; r++) {
                    var g = 0.0;
                    for (int v = 0; v < lanes; v++) {
                        g += imTrace(p, false, (b * k + r) * 8, w.k, v, lanes);
                    }
                    weightGrad[b * k + r] += (float) g;
                }
                applyGate(w, w.re, w.im, q, p, b, true);
                applyGate(w, w.lre, w.lim, q, p, b, true);
            }
        }
        if (p.layers >= 1 && p.entanglerColumns != null) {
            permute(p, w, p.entanglerColumns, true);
        }
        // Now psi is the product state after the layer-0 block: encoding and layer-0 gradients.
        for (int q = 0; q < n; q++) {
            overlap(p, w, q);
            for (int v = 0; v < rows; v++) {
                inputGrad[(row0 + v) * n + q] = (float) imTrace(p, true, q * 8, w.k, v, lanes);
            }
            if (p.layers >= 1) {
                for (int r = 0; r < k; r++) {
                    var g = 0.0;
                    for (int v = 0; v < rows; v++) {
                        g += imTrace(p, false, (q * k + r) * 8, w.k, v, lanes);
                    }
                    weightGrad[q * k + r] += (float) g;
                }
            }
        }
    }

    /**
     * Parameter-shift VJP of one group: 2 circuits per input angle (all lanes shifted at once) and
     * per weight ({@code plus[i]}, {@code minus[i]}: the program with weight i shifted by +-pi/2).
     */
    public static void parameterShift(CircuitProgram p, CircuitProgram[] plus, CircuitProgram[] minus, int batch,
                                      float[] inputs, float[] upstream, float[] inputGrad, float[] weightGrad,
                                      int group) {
        Workspace w = Workspace.get(p.qubits);
        int n = p.qubits;
        int lanes = w.lanes;
        int row0 = group * lanes;
        int rows = Math.min(lanes, batch - row0);
        for (int q = 0; q < n; q++) {
            shiftedDifference(p, p, w, inputs, row0, rows, q);
            for (int v = 0; v < rows; v++) {
                inputGrad[(row0 + v) * n + q] = (float) laneProjection(w, upstream, row0 + v, v, n);
            }
        }
        for (int i = 0; i < plus.length; i++) {
            shiftedDifference(plus[i], minus[i], w, inputs, row0, rows, -1);
            var g = 0.0;
            for (int v = 0; v < rows; v++) {
                g += laneProjection(w, upstream, row0 + v, v, n);
            }
            weightGrad[i] += (float) g;
        }
    }

    // ---------------------------------------------------------------- circuit evolution

    /** Runs encoding and all layers for the group; leaves the final state in w.re/w.im. */
    private static void evolve(CircuitProgram p, Workspace w, float[] inputs, int row0, int rows,
                               int shiftQubit, float shift) {
        loadFactors(p, w, inputs, row0, rows, shiftQubit, shift);
        productState(p, w);
        if (p.layers >= 1 && p.entanglerColumns != null) {
            permute(p, w, p.entanglerInverseColumns, false);
        }
        int n = p.qubits;
        for (int l = 1; l < p.layers; l++) {
            for (int q = 0; q < n; q++) {
                int b = l * n + q;
                applyGate(w, w.re, w.im, q, p, b, false);
            }
            if (p.entanglerColumns != null) {
                permute(p, w, p.entanglerInverseColumns, false);
            }
        }
    }

    /**
     * Per lane and qubit, the one-qubit state U0_q E(x_q)|0> (U0 = the layer-0 block): before the
     * first entangler the state is a product of these, built directly instead of gate by gate.
     */
    private static void loadFactors(CircuitProgram p, Workspace w, float[] inputs, int row0, int rows,
                                    int shiftQubit, float shift) {
        int n = p.qubits;
        int lanes = w.lanes;
        boolean rx = p.circuit.encoding() == org.dgquantum.engine.Gate.RX;
        var m = p.layers >= 1 ? p.blocks : Mat2.identity();
        for (int q = 0; q < n; q++) {
            int o = p.layers >= 1 ? q * 8 : 0;
            for (int v = 0; v < lanes; v++) {
                float x = v < rows ? inputs[(row0 + v) * n + q] : 0;
                if (q == shiftQubit) {
                    x += shift;
                }
                var c = Math.cos(0.5 * x);
                var s = Math.sin(0.5 * x);
                // E(x)|0> = (c, s) for RY and (c, -i s) for RX.
                var e1r = rx ? 0.0 : s;
                var e1i = rx ? -s : 0.0;
                int i = q * lanes + v;
                w.far[i] = (float) (m[o] * c + m[o + 2] * e1r - m[o + 3] * e1i);
                w.fai[i] = (float) (m[o + 1] * c + m[o + 2] * e1i + m[o + 3] * e1r);
                w.fbr[i] = (float) (m[o + 4] * c + m[o + 6] * e1r - m[o + 7] * e1i);
                w.fbi[i] = (float) (m[o + 5] * c + m[o + 6] * e1i + m[o + 7] * e1r);
            }
        }
    }

    /** Tensor product of the per-qubit factors, doubling the filled part of the state once per qubit. */
    private static void productState(CircuitProgram p, Workspace w) {
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

    /** Applies a 2x2 matrix to one qubit of every lane; real circuits touch only the real parts. */
    private static void applyGate(Workspace w, float[] re, float[] im, int qubit, CircuitProgram p, int block,
                                  boolean dagger) {
        int size = w.size;
        int stride = (1 << qubit) * w.lanes;
        var mats = dagger ? p.blockDaggers : p.blocks;
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
        if (w.vectorApi && stride % VectorLoopsF32.LENGTH == 0) {
            if (realState || kind == CircuitProgram.REAL) {
                VectorLoopsF32.real(re, size, stride, m00r, m01r, m10r, m11r);
                if (!realState) {
                    VectorLoopsF32.real(im, size, stride, m00r, m01r, m10r, m11r);
                }
            } else if (kind == CircuitProgram.DIAGONAL) {
                VectorLoopsF32.diagonal(re, im, size, stride, m00r, m00i, m11r, m11i);
            } else {
                VectorLoopsF32.general(re, im, size, stride, m00r, m00i, m01r, m01i, m10r, m10i, m11r, m11i);
            }
            return;
        }
        for (int base = 0; base < size; base += 2 * stride) {
            int end = base + stride;
            if (realState) {
                realRotate(re, base, end, stride, m00r, m01r, m10r, m11r);
            } else if (kind == CircuitProgram.REAL) {
                realRotate(re, base, end, stride, m00r, m01r, m10r, m11r);
                realRotate(im, base, end, stride, m00r, m01r, m10r, m11r);
            } else if (kind == CircuitProgram.DIAGONAL) {
                for (int i0 = base; i0 < end; i0++) {
                    int i1 = i0 + stride;
                    float ar = re[i0];
                    float ai = im[i0];
                    float br = re[i1];
                    float bi = im[i1];
                    re[i0] = m00r * ar - m00i * ai;
                    im[i0] = m00r * ai + m00i * ar;
                    re[i1] = m11r * br - m11i * bi;
                    im[i1] = m11r * bi + m11i * br;
                }
            } else {
                for (int i0 = base; i0 < end; i0++) {
                    int i1 = i0 + stride;
                    float ar = re[i0];
                    float ai = im[i0];
                    float br = re[i1];
                    float bi = im[i1];
                    re[i0] = m00r * ar - m00i * ai + m01r * br - m01i * bi;
                    im[i0] = m00r * ai + m00i * ar + m01r * bi + m01i * br;
                    re[i1] = m10r * ar - m10i * ai + m11r * br - m11i * bi;
                    im[i1] = m10r * ai + m10i * ar + m11r * bi + m11i * br;
                }
            }
        }
    }

    private static void realRotate(float[] a, int base, int end, int stride, float m00, float m01, float m10,
                                   float m11) {
        for (int i0 = base; i0 < end; i0++) {
            int i1 = i0 + stride;
            float x = a[i0];
            float y = a[i1];
            a[i0] = m00 * x + m01 * y;
            a[i1] = m10 * x + m11 * y;
        }
    }

    /**
     * Applies an entangler layer (or undoes it) as one gather: amplitude j of the result is amplitude
     * M j of the input, where {@code columns} are those of M. Visits j in Gray-code order so that each
     * source index is one XOR away from the last.
     */
    private static void permute(CircuitProgram p, Workspace w, int[] columns, boolean withLambda) {
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
    private static float[] gathered(Workspace w, float[] from, int[] columns) {
        float[] to = w.scratch;
        gather(from, to, columns, w.size, w.lanes, w.vector);
        w.scratch = from;
        return to;
    }

    private static void gather(float[] from, float[] to, int[] columns, int size, int lanes, boolean vector) {
        int src = 0;
        int count = size / lanes;
        System.arraycopy(from, 0, to, 0, lanes);
        for (int j = 1; j < count; j++) {
            src ^= columns[Integer.numberOfTrailingZeros(j)];
            int d = (j ^ (j >>> 1)) * lanes;
            int s = src * lanes;
            if (vector) {
                VectorLoopsF32.copyLanes(from, s, to, d, lanes);
            } else {
                for (int v = 0; v < lanes; v++) {
                    to[d + v] = from[s + v];
                }
            }
        }
    }

    // ---------------------------------------------------------------- readout and gradients

    /**
     * z_q per lane. Folds the probabilities one qubit at a time from the top: z_top = P(lower half) -
     * P(upper half), then the halves are added and the next qubit is read from the folded array.
     * Uses the scratch array.
     */
    private static void readout(CircuitProgram p, Workspace w, float[] z) {
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
            if (w.vector) {
                VectorLoopsF32.fold(prob, half, lanes, acc);
                System.arraycopy(acc, 0, z, q * lanes, lanes);
                continue;
            }
            java.util.Arrays.fill(acc, 0);
            for (int j = 0; j < half; j += lanes) {
                for (int v = 0; v < lanes; v++) {
                    float a = prob[j + v];
                    float b = prob[j + half + v];
                    acc[v] += a - b;
                    prob[j + v] = a + b;
                }
            }
            System.arraycopy(acc, 0, z, q * lanes, lanes);
        }
    }

    private static void store(Workspace w, float[] z, float[] out, int row0, int rows, int n) {
        for (int v = 0; v < rows; v++) {
            for (int q = 0; q < n; q++) {
                out[(row0 + v) * n + q] = z[q * w.lanes + v];
            }
        }
    }

    /**
     * lambda = (sum_q g_q Z_q) psi: the diagonal s_i = sum_q g_q (1 - 2 b_q(i)) is built by doubling,
     * like the product state (in lre, then multiplied in place). Padded lanes get g = 0.
     */
    private static void applyObservable(CircuitProgram p, Workspace w, float[] upstream, int row0, int rows) {
        int lanes = w.lanes;
        int n = p.qubits;
        float[] s = w.lre;
        java.util.Arrays.fill(s, 0, lanes, (float) 0);
        for (int q = 0; q < n; q++) {
            int upper = (1 << q) * lanes;
            for (int v = 0; v < lanes; v++) {
                w.acc[v] = v < rows ? upstream[(row0 + v) * n + q] : 0;
            }
            for (int lo = 0; lo < upper; lo += lanes) {
                for (int v = 0; v < lanes; v++) {
                    float x = s[lo + v];
                    float g = w.acc[v];
                    s[lo + upper + v] = x - g;
                    s[lo + v] = x + g;
                }
            }
        }
        for (int i = 0; i < w.size; i++) {
            float x = s[i];
            w.lim[i] = p.real ? 0 : x * w.im[i];
            s[i] = x * w.re[i];
        }
    }

    /**
     * Per lane, the overlap matrix of qubit q: K_ab = sum over the other qubits of conj(lambda_a) psi_b,
     * stored in w.k as [entry 00r, 00i, 01r, 01i, 10r, 10i, 11r, 11i][lane].
     */
    private static void overlap(CircuitProgram p, Workspace w, int qubit) {
        int lanes = w.lanes;
        int stride = (1 << qubit) * lanes;
        float[] k = w.k;
        if (w.vector) {
            VectorLoopsF32.overlap(w.re, w.im, w.lre, w.lim, w.size, stride, lanes, k, p.real);
            return;
        }
        java.util.Arrays.fill(k, 0);
        float[] re = w.re;
        float[] im = w.im;
        float[] lre = w.lre;
        float[] lim = w.lim;
        for (int base = 0; base < w.size; base += 2 * stride) {
            for (int j = base; j < base + stride; j += lanes) {
                if (p.real) {
                    for (int v = 0; v < lanes; v++) {
                        int i0 = j + v;
                        int i1 = i0 + stride;
                        k[v] += lre[i0] * re[i0];
                        k[2 * lanes + v] += lre[i0] * re[i1];
                        k[4 * lanes + v] += lre[i1] * re[i0];
                        k[6 * lanes + v] += lre[i1] * re[i1];
                    }
                } else {
                    for (int v = 0; v < lanes; v++) {
                        int i0 = j + v;
                        int i1 = i0 + stride;
                        float l0r = lre[i0];
                        float l0i = lim[i0];
                        float l1r = lre[i1];
                        float l1i = lim[i1];
                        float p0r = re[i0];
                        float p0i = im[i0];
                        float p1r = re[i1];
                        float p1i = im[i1];
                        k[v] += l0r * p0r + l0i * p0i;
                        k[lanes + v] += l0r * p0i - l0i * p0r;
                        k[2 * lanes + v] += l0r * p1r + l0i * p1i;
                        k[3 * lanes + v] += l0r * p1i - l0i * p1r;
                        k[4 * lanes + v] += l1r * p0r + l1i * p0i;
                        k[5 * lanes + v] += l1r * p0i - l1i * p0r;
                        k[6 * lanes + v] += l1r * p1r + l1i * p1i;
                        k[7 * lanes + v] += l1r * p1i - l1i * p1r;
                    }
                }
            }
        }
    }

    /** Im tr(A K) for lane v: the derivative of sum_q g_q z_q with respect to the gate generated by A. */
    private static float imTrace(CircuitProgram p, boolean encoding, int o, float[] k, int v, int lanes) {
        var a = encoding ? p.encodingGenerators : p.generators;
        var sum = 0.0;
        for (int e = 0; e < 4; e++) {
            sum += a[o + 2 * e] * k[(2 * e + 1) * lanes + v] + a[o + 2 * e + 1] * k[2 * e * lanes + v];
        }
        return (float) sum;
    }

    /** Forward with a +pi/2 and a -pi/2 shift (of input qubit shiftQubit, or baked into the programs): z+ in w.z, z- in w.z2. */
    private static void shiftedDifference(CircuitProgram plus, CircuitProgram minus, Workspace w, float[] inputs,
                                          int row0, int rows, int shiftQubit) {
        evolve(plus, w, inputs, row0, rows, shiftQubit, (float) (Math.PI / 2));
        readout(plus, w, w.z);
        evolve(minus, w, inputs, row0, rows, shiftQubit, (float) (-Math.PI / 2));
        readout(minus, w, w.z2);
    }

    /** sum_q g_q (z+_q - z-_q) / 2 for one lane. */
    private static float laneProjection(Workspace w, float[] upstream, int row, int v, int n) {
        float sum = 0;
        for (int q = 0; q < n; q++) {
            sum += upstream[row * n + q] * (w.z[q * w.lanes + v] - w.z2[q * w.lanes + v]);
        }
        return (float) (0.5 * sum);
    }
}
