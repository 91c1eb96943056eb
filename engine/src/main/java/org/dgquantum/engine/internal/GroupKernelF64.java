package org.dgquantum.engine.internal;

/**
 * Statevector simulation of one group of samples ("lanes") of a batch, in float64.
 *
 * <p>TEMPLATE: the build generates GroupKernelF32 from this file by replacing the primitive type
 * name, the suffix F64, "float64" and the lane count (see engine/pom.xml): edit only this file.
 * Locals whose precision must not change are declared with {@code var} (they hold Math results at
 * full precision), and the program's matrices are reached through {@link CircuitProgram} fields.
 *
 * <p>Layout: amplitude i of lane v is at {@code i * lanes + v}. All samples of a batch share the
 * weights, so every gate applies the same coefficients to every lane: the inner loops run over
 * contiguous memory and the JIT vectorises them, whatever qubit the gate acts on. Each lane is
 * computed with the same scalar operations, so a sample's result does not depend on its lane, its
 * group, the batch or the thread count.
 */
public final class GroupKernelF64 {
    /** Lanes per group (8 x 8 bytes: one cache line, one AVX-512 vector per amplitude). */
    public static final int MAX_LANES = 8;
    /** Up to this many qubits a group keeps all lanes (a state array: 2^16 x 8 x 8 bytes = 4 MiB). */
    private static final int FULL_LANES_UP_TO = 16;

    private GroupKernelF64() {
    }

    /**
     * Lanes per group for n qubits: all of them up to 16 qubits, so the lane-wise loops stay whole
     * vectors; above, fewer, so that memory stays bounded (n = 24: one lane).
     */
    public static int lanes(int qubits) {
        if (qubits <= FULL_LANES_UP_TO) {
            return MAX_LANES;
        }
        return Math.max(1, MAX_LANES >> (qubits - FULL_LANES_UP_TO));
    }

    /** Per-thread buffers, reused across calls while the qubit count stays the same. */
    public static final class Workspace {
        private static final ThreadLocal<Workspace> CACHE = new ThreadLocal<>();

        final int qubits;
        final int lanes;
        final int size;
        double[] re;
        double[] im;
        /** Target of permutations and readout; swapped with the array it replaces. */
        double[] scratch;
        double[] lre;
        double[] lim;
        final double[] far;
        final double[] fai;
        final double[] fbr;
        final double[] fbi;
        final double[] z;
        final double[] z2;
        final double[] k;
        final double[] acc;
        /** The Vector API may be used (for gates whose stride is a whole number of vectors). */
        final boolean vectorApi;
        /** The lane-wise loops (overlap, readout, permutation) may use it too: whole vectors of lanes. */
        final boolean vector;

        private Workspace(int qubits) {
            this.qubits = qubits;
            this.lanes = lanes(qubits);
            this.size = (1 << qubits) * lanes;
            this.vectorApi = VectorSupport.enabled();
            this.vector = vectorApi && lanes % VectorLoopsF64.LENGTH == 0;
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

        static Workspace get(int qubits) {
            Workspace w = CACHE.get();
            if (w == null || w.qubits != qubits || w.vectorApi != VectorSupport.enabled()) {
                w = new Workspace(qubits);
                CACHE.set(w);
            }
            return w;
        }

        double[] prefixRe;
        double[] prefixIm;

        /** The parameter-shift prefix state is allocated only when needed. */
        void needPrefix() {
            if (prefixRe == null) {
                prefixRe = new double[size];
                prefixIm = new double[size];
            }
        }

        /** The adjoint's bra lambda is allocated only when a backward pass needs it. */
        void needLambda() {
            if (lre == null) {
                lre = new double[size];
                lim = new double[size];
            }
        }
    }

    // ---------------------------------------------------------------- public entry points

    /** expectations of the rows of group {@code group}. */
    public static void forward(CircuitProgram p, int batch, double[] inputs, double[] out, int group) {
        Workspace w = Workspace.get(p.qubits);
        int row0 = group * w.lanes;
        int rows = Math.min(w.lanes, batch - row0);
        evolve(p, w, inputs, row0, rows, -1, 0);
        readout(p, w, w.z);
        store(w, w.z, out, row0, rows, p.qubits);
    }

    /** Diagnostic: sum of |amplitude|^2 of the final state of each row of the group (1 up to rounding). */
    public static double[] norms(CircuitProgram p, int batch, double[] inputs, int group) {
        Workspace w = Workspace.get(p.qubits);
        int row0 = group * w.lanes;
        int rows = Math.min(w.lanes, batch - row0);
        evolve(p, w, inputs, row0, rows, -1, 0);
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

    /**
     * Adjoint VJP of one group: writes the input gradients of its rows and adds its weight gradient
     * into {@code weightGrad} (the caller gives every group its own partial array).
     */
    public static void adjoint(CircuitProgram p, int batch, double[] inputs, double[] upstream,
                               double[] inputGrad, double[] weightGrad, int group) {
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
                    weightGrad[b * k + r] += (double) g;
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
                inputGrad[(row0 + v) * n + q] = (double) imTrace(p, true, q * 8, w.k, v, lanes);
            }
            if (p.layers >= 1) {
                for (int r = 0; r < k; r++) {
                    var g = 0.0;
                    for (int v = 0; v < rows; v++) {
                        g += imTrace(p, false, (q * k + r) * 8, w.k, v, lanes);
                    }
                    weightGrad[q * k + r] += (double) g;
                }
            }
        }
    }

    /**
     * Parameter-shift VJP of one group: 2 circuits per input angle (all lanes shifted at once) and
     * per weight ({@code plus[i]}, {@code minus[i]}: the program with weight i shifted by +-pi/2).
     */
    public static void parameterShift(CircuitProgram p, CircuitProgram[] plus, CircuitProgram[] minus, int batch,
                                      double[] inputs, double[] upstream, double[] inputGrad, double[] weightGrad,
                                      int group) {
        Workspace w = Workspace.get(p.qubits);
        int n = p.qubits;
        int lanes = w.lanes;
        int row0 = group * lanes;
        int rows = Math.min(lanes, batch - row0);
        for (int q = 0; q < n; q++) {
            shiftedDifference(p, p, w, inputs, row0, rows, q);
            for (int v = 0; v < rows; v++) {
                inputGrad[(row0 + v) * n + q] = (double) laneProjection(w, upstream, row0 + v, v, n);
            }
        }
        // Layer-0 weights change the product state: those circuits start from scratch.
        int perLayer = n * p.rotations;
        for (int i = 0; i < Math.min(perLayer, plus.length); i++) {
            shiftedDifference(plus[i], minus[i], w, inputs, row0, rows, -1);
            weightGrad[i] += (double) groupProjection(w, upstream, row0, rows, n);
        }
        if (p.layers < 2) {
            return;
        }
        // Later layers: the state before layer l is the same for all of its shifted weights, so it
        // is computed once (and advanced layer by layer) instead of once per shifted circuit.
        w.needPrefix();
        start(p, w, inputs, row0, rows, -1, 0);
        for (int l = 1; l < p.layers; l++) {
            savePrefix(w, p.real);
            for (int i = l * perLayer; i < (l + 1) * perLayer; i++) {
                restorePrefix(w, p.real);
                runLayers(plus[i], w, l, p.layers);
                readout(plus[i], w, w.z);
                restorePrefix(w, p.real);
                runLayers(minus[i], w, l, p.layers);
                readout(minus[i], w, w.z2);
                weightGrad[i] += (double) groupProjection(w, upstream, row0, rows, n);
            }
            restorePrefix(w, p.real);
            runLayers(p, w, l, l + 1);
        }
    }

    private static void savePrefix(Workspace w, boolean real) {
        System.arraycopy(w.re, 0, w.prefixRe, 0, w.size);
        if (!real) {
            System.arraycopy(w.im, 0, w.prefixIm, 0, w.size);
        }
    }

    private static void restorePrefix(Workspace w, boolean real) {
        System.arraycopy(w.prefixRe, 0, w.re, 0, w.size);
        if (!real) {
            System.arraycopy(w.prefixIm, 0, w.im, 0, w.size);
        }
    }

    // ---------------------------------------------------------------- circuit evolution

    /** Runs encoding and all layers for the group; leaves the final state in w.re/w.im. */
    private static void evolve(CircuitProgram p, Workspace w, double[] inputs, int row0, int rows,
                               int shiftQubit, double shift) {
        start(p, w, inputs, row0, rows, shiftQubit, shift);
        runLayers(p, w, 1, p.layers);
    }

    /** Encoding and layer 0 (a product state), then layer 0's entangler. */
    private static void start(CircuitProgram p, Workspace w, double[] inputs, int row0, int rows,
                              int shiftQubit, double shift) {
        loadFactors(p, w, inputs, row0, rows, shiftQubit, shift);
        productState(p, w);
        if (p.layers >= 1 && p.entanglerColumns != null) {
            permute(p, w, p.entanglerInverseColumns, false);
        }
    }

    /** Layers from (>= 1) up to, not including, to: rotation blocks then entangler. */
    private static void runLayers(CircuitProgram p, Workspace w, int from, int to) {
        int n = p.qubits;
        for (int l = from; l < to; l++) {
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
    private static void loadFactors(CircuitProgram p, Workspace w, double[] inputs, int row0, int rows,
                                    int shiftQubit, double shift) {
        int n = p.qubits;
        int lanes = w.lanes;
        boolean rx = p.circuit.encoding() == org.dgquantum.engine.Gate.RX;
        var m = p.layers >= 1 ? p.blocks : Mat2.identity();
        for (int q = 0; q < n; q++) {
            int o = p.layers >= 1 ? q * 8 : 0;
            for (int v = 0; v < lanes; v++) {
                double x = v < rows ? inputs[(row0 + v) * n + q] : 0;
                if (q == shiftQubit) {
                    x += shift;
                }
                var c = Math.cos(0.5 * x);
                var s = Math.sin(0.5 * x);
                // E(x)|0> = (c, s) for RY and (c, -i s) for RX.
                var e1r = rx ? 0.0 : s;
                var e1i = rx ? -s : 0.0;
                int i = q * lanes + v;
                w.far[i] = (double) (m[o] * c + m[o + 2] * e1r - m[o + 3] * e1i);
                w.fai[i] = (double) (m[o + 1] * c + m[o + 2] * e1i + m[o + 3] * e1r);
                w.fbr[i] = (double) (m[o + 4] * c + m[o + 6] * e1r - m[o + 7] * e1i);
                w.fbi[i] = (double) (m[o + 5] * c + m[o + 6] * e1i + m[o + 7] * e1r);
            }
        }
    }

    /** Tensor product of the per-qubit factors, doubling the filled part of the state once per qubit. */
    private static void productState(CircuitProgram p, Workspace w) {
        int lanes = w.lanes;
        double[] re = w.re;
        double[] im = w.im;
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
                        double r = re[lo + v];
                        re[hi + v] = r * w.fbr[f + v];
                        re[lo + v] = r * w.far[f + v];
                    }
                } else {
                    for (int v = 0; v < lanes; v++) {
                        double r = re[lo + v];
                        double i = im[lo + v];
                        double br = w.fbr[f + v];
                        double bi = w.fbi[f + v];
                        double ar = w.far[f + v];
                        double ai = w.fai[f + v];
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
    private static void applyGate(Workspace w, double[] re, double[] im, int qubit, CircuitProgram p, int block,
                                  boolean dagger) {
        int size = w.size;
        int stride = (1 << qubit) * w.lanes;
        var mats = dagger ? p.blockDaggers : p.blocks;
        int o = block * 8;
        byte kind = p.kinds[block];
        boolean realState = p.real;
        double m00r = (double) mats[o];
        double m00i = (double) mats[o + 1];
        double m01r = (double) mats[o + 2];
        double m01i = (double) mats[o + 3];
        double m10r = (double) mats[o + 4];
        double m10i = (double) mats[o + 5];
        double m11r = (double) mats[o + 6];
        double m11i = (double) mats[o + 7];
        if (w.vectorApi && stride % VectorLoopsF64.LENGTH == 0) {
            if (realState || kind == CircuitProgram.REAL) {
                VectorLoopsF64.real(re, size, stride, m00r, m01r, m10r, m11r);
                if (!realState) {
                    VectorLoopsF64.real(im, size, stride, m00r, m01r, m10r, m11r);
                }
            } else if (kind == CircuitProgram.DIAGONAL) {
                VectorLoopsF64.diagonal(re, im, size, stride, m00r, m00i, m11r, m11i);
            } else {
                VectorLoopsF64.general(re, im, size, stride, m00r, m00i, m01r, m01i, m10r, m10i, m11r, m11i);
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
                    double ar = re[i0];
                    double ai = im[i0];
                    double br = re[i1];
                    double bi = im[i1];
                    re[i0] = m00r * ar - m00i * ai;
                    im[i0] = m00r * ai + m00i * ar;
                    re[i1] = m11r * br - m11i * bi;
                    im[i1] = m11r * bi + m11i * br;
                }
            } else {
                for (int i0 = base; i0 < end; i0++) {
                    int i1 = i0 + stride;
                    double ar = re[i0];
                    double ai = im[i0];
                    double br = re[i1];
                    double bi = im[i1];
                    re[i0] = m00r * ar - m00i * ai + m01r * br - m01i * bi;
                    im[i0] = m00r * ai + m00i * ar + m01r * bi + m01i * br;
                    re[i1] = m10r * ar - m10i * ai + m11r * br - m11i * bi;
                    im[i1] = m10r * ai + m10i * ar + m11r * bi + m11i * br;
                }
            }
        }
    }

    private static void realRotate(double[] a, int base, int end, int stride, double m00, double m01, double m10,
                                   double m11) {
        for (int i0 = base; i0 < end; i0++) {
            int i1 = i0 + stride;
            double x = a[i0];
            double y = a[i1];
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
    private static double[] gathered(Workspace w, double[] from, int[] columns) {
        double[] to = w.scratch;
        gather(from, to, columns, w.size, w.lanes, w.vector);
        w.scratch = from;
        return to;
    }

    private static void gather(double[] from, double[] to, int[] columns, int size, int lanes, boolean vector) {
        int src = 0;
        int count = size / lanes;
        System.arraycopy(from, 0, to, 0, lanes);
        for (int j = 1; j < count; j++) {
            src ^= columns[Integer.numberOfTrailingZeros(j)];
            int d = (j ^ (j >>> 1)) * lanes;
            int s = src * lanes;
            if (vector) {
                VectorLoopsF64.copyLanes(from, s, to, d, lanes);
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
    private static void readout(CircuitProgram p, Workspace w, double[] z) {
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
            if (w.vector) {
                VectorLoopsF64.fold(prob, half, lanes, acc);
                System.arraycopy(acc, 0, z, q * lanes, lanes);
                continue;
            }
            java.util.Arrays.fill(acc, 0);
            for (int j = 0; j < half; j += lanes) {
                for (int v = 0; v < lanes; v++) {
                    double a = prob[j + v];
                    double b = prob[j + half + v];
                    acc[v] += a - b;
                    prob[j + v] = a + b;
                }
            }
            System.arraycopy(acc, 0, z, q * lanes, lanes);
        }
    }

    private static void store(Workspace w, double[] z, double[] out, int row0, int rows, int n) {
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
    private static void applyObservable(CircuitProgram p, Workspace w, double[] upstream, int row0, int rows) {
        int lanes = w.lanes;
        int n = p.qubits;
        double[] s = w.lre;
        java.util.Arrays.fill(s, 0, lanes, (double) 0);
        for (int q = 0; q < n; q++) {
            int upper = (1 << q) * lanes;
            for (int v = 0; v < lanes; v++) {
                w.acc[v] = v < rows ? upstream[(row0 + v) * n + q] : 0;
            }
            for (int lo = 0; lo < upper; lo += lanes) {
                for (int v = 0; v < lanes; v++) {
                    double x = s[lo + v];
                    double g = w.acc[v];
                    s[lo + upper + v] = x - g;
                    s[lo + v] = x + g;
                }
            }
        }
        for (int i = 0; i < w.size; i++) {
            double x = s[i];
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
        double[] k = w.k;
        if (w.vector) {
            VectorLoopsF64.overlap(w.re, w.im, w.lre, w.lim, w.size, stride, lanes, k, p.real);
            return;
        }
        java.util.Arrays.fill(k, 0);
        double[] re = w.re;
        double[] im = w.im;
        double[] lre = w.lre;
        double[] lim = w.lim;
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
                        double l0r = lre[i0];
                        double l0i = lim[i0];
                        double l1r = lre[i1];
                        double l1i = lim[i1];
                        double p0r = re[i0];
                        double p0i = im[i0];
                        double p1r = re[i1];
                        double p1i = im[i1];
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
    private static double imTrace(CircuitProgram p, boolean encoding, int o, double[] k, int v, int lanes) {
        var a = encoding ? p.encodingGenerators : p.generators;
        var sum = 0.0;
        for (int e = 0; e < 4; e++) {
            sum += a[o + 2 * e] * k[(2 * e + 1) * lanes + v] + a[o + 2 * e + 1] * k[2 * e * lanes + v];
        }
        return (double) sum;
    }

    /** Forward with a +pi/2 and a -pi/2 shift (of input qubit shiftQubit, or baked into the programs): z+ in w.z, z- in w.z2. */
    private static void shiftedDifference(CircuitProgram plus, CircuitProgram minus, Workspace w, double[] inputs,
                                          int row0, int rows, int shiftQubit) {
        evolve(plus, w, inputs, row0, rows, shiftQubit, (double) (Math.PI / 2));
        readout(plus, w, w.z);
        evolve(minus, w, inputs, row0, rows, shiftQubit, (double) (-Math.PI / 2));
        readout(minus, w, w.z2);
    }

    /** laneProjection summed over the rows of the group, in lane order. */
    private static double groupProjection(Workspace w, double[] upstream, int row0, int rows, int n) {
        var g = 0.0;
        for (int v = 0; v < rows; v++) {
            g += laneProjection(w, upstream, row0 + v, v, n);
        }
        return (double) g;
    }

    /** sum_q g_q (z+_q - z-_q) / 2 for one lane. */
    private static double laneProjection(Workspace w, double[] upstream, int row, int v, int n) {
        double sum = 0;
        for (int q = 0; q < n; q++) {
            sum += upstream[row * n + q] * (w.z[q * w.lanes + v] - w.z2[q * w.lanes + v]);
        }
        return (double) (0.5 * sum);
    }
}
