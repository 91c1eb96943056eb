package org.dgquantum.nd4j.layers;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch normalization of a dense c-order float32 NCHW array {@code x[n][c][hw]}, per channel over the batch and
 * the positions: statistics, the affine output and the backward pass. A channel's values are {@code n} runs of
 * {@code hw} contiguous floats; every loop below is a vector loop over one run. Sums run in float vectors within
 * a run and in double across runs, always in the same order, so results do not depend on how channels are split
 * over threads. Each method handles channels {@code from} (inclusive) to {@code to} (exclusive).
 */
final class BatchNormKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private BatchNormKernels() {
    }

    /**
     * mean[c] and the population variance var[c] (two passes: the squares are centred on the mean rounded to
     * float, the value the normalization uses).
     */
    static void statistics(MemorySegment x, int n, int channels, int hw, double[] mean, double[] var, int from,
                           int to) {
        for (int c = from; c < to; c++) {
            double s = 0;
            for (int b = 0; b < n; b++) {
                s += sum(x, ((long) b * channels + c) * hw, hw);
            }
            float m = (float) (s / ((double) n * hw));
            double q = 0;
            for (int b = 0; b < n; b++) {
                q += centredSquares(x, ((long) b * channels + c) * hw, hw, m);
            }
            mean[c] = s / ((double) n * hw);
            var[c] = q / ((double) n * hw);
        }
    }

    /** out = (x - mean[c]) * scale[c] + shift[c]. */
    static void affine(MemorySegment x, MemorySegment out, int n, int channels, int hw, float[] mean, float[] scale,
                       float[] shift, int from, int to) {
        for (int c = from; c < to; c++) {
            for (int b = 0; b < n; b++) {
                centredAffine(x, mean[c], null, out, ((long) b * channels + c) * hw, hw, scale[c], 0f, shift[c]);
            }
        }
    }

    /**
     * Sums of the backward pass: sumDy[c] = sum of dy, sumDyXc[c] = sum of dy * (x - mean[c]), i.e. dL/dbeta and
     * dL/dgamma * sqrt(var + eps).
     */
    static void gradientSums(MemorySegment x, MemorySegment dy, int n, int channels, int hw, float[] mean,
                             double[] sumDy, double[] sumDyXc, int from, int to) {
        for (int c = from; c < to; c++) {
            double sd = 0;
            double sx = 0;
            for (int b = 0; b < n; b++) {
                long base = ((long) b * channels + c) * hw;
                sd += sum(dy, base, hw);
                sx += dotCentred(dy, x, base, hw, mean[c]);
            }
            sumDy[c] = sd;
            sumDyXc[c] = sx;
        }
    }

    /** dx = bx[c] * (x - mean[c]) + a[c] * dy + k[c] (the input gradient once the sums are known, see the helper). */
    static void inputGradient(MemorySegment x, MemorySegment dy, MemorySegment dx, int n, int channels, int hw,
                              float[] mean, float[] a, float[] bx, float[] k, int from, int to) {
        for (int c = from; c < to; c++) {
            for (int b = 0; b < n; b++) {
                centredAffine(x, mean[c], dy, dx, ((long) b * channels + c) * hw, hw, bx[c], a[c], k[c]);
            }
        }
    }

    private static float sum(MemorySegment s, long base, int len) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int up = S.loopBound(len); i < up; i += S.length()) {
            acc = acc.add(FloatVector.fromMemorySegment(S, s, (base + i) * Float.BYTES, ORDER));
        }
        float r = lanesInOrder(acc);
        for (; i < len; i++) {
            r += s.getAtIndex(F, base + i);
        }
        return r;
    }

    private static float centredSquares(MemorySegment s, long base, int len, float m) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int up = S.loopBound(len); i < up; i += S.length()) {
            FloatVector d = FloatVector.fromMemorySegment(S, s, (base + i) * Float.BYTES, ORDER).sub(m);
            acc = d.fma(d, acc);
        }
        float r = lanesInOrder(acc);
        for (; i < len; i++) {
            float d = s.getAtIndex(F, base + i) - m;
            r = Math.fma(d, d, r);
        }
        return r;
    }

    private static float dotCentred(MemorySegment dy, MemorySegment x, long base, int len, float m) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int up = S.loopBound(len); i < up; i += S.length()) {
            long o = (base + i) * Float.BYTES;
            FloatVector d = FloatVector.fromMemorySegment(S, x, o, ORDER).sub(m);
            acc = d.fma(FloatVector.fromMemorySegment(S, dy, o, ORDER), acc);
        }
        float r = lanesInOrder(acc);
        for (; i < len; i++) {
            r = Math.fma(x.getAtIndex(F, base + i) - m, dy.getAtIndex(F, base + i), r);
        }
        return r;
    }

    /**
     * out = p * (x - m) + q * y + r over one run (y may be null when q is 0). x is centred first: with a small
     * variance p is large and x close to m, and p * x - p * m would cancel most of its digits.
     */
    private static void centredAffine(MemorySegment x, float m, MemorySegment y, MemorySegment out, long base,
                                      int len, float p, float q, float r) {
        FloatVector pv = FloatVector.broadcast(S, p);
        FloatVector qv = FloatVector.broadcast(S, q);
        FloatVector rv = FloatVector.broadcast(S, r);
        int i = 0;
        for (int up = S.loopBound(len); i < up; i += S.length()) {
            long o = (base + i) * Float.BYTES;
            FloatVector v = FloatVector.fromMemorySegment(S, x, o, ORDER).sub(m).fma(pv, rv);
            if (y != null) {
                v = FloatVector.fromMemorySegment(S, y, o, ORDER).fma(qv, v);
            }
            v.intoMemorySegment(out, o, ORDER);
        }
        for (; i < len; i++) {
            float v = Math.fma(x.getAtIndex(F, base + i) - m, p, r);
            if (y != null) {
                v = Math.fma(y.getAtIndex(F, base + i), q, v);
            }
            out.setAtIndex(F, base + i, v);
        }
    }

    /** The lanes' sum, added in lane order (reduceLanes leaves the order of a float sum unspecified). */
    private static float lanesInOrder(FloatVector v) {
        float r = 0;
        for (int l = 0; l < S.length(); l++) {
            r += v.lane(l);
        }
        return r;
    }
}
