// GENERATED from ScalarLoopsF64.java by Float32Sources: do not edit. Edit ScalarLoopsF64.java, then run
// java engine/src/test/java/org/dgquantum/engine/internal/Float32Sources.java
package org.dgquantum.engine.internal;

/**
 * The scalar {@link LoopsF32}: always present, and the fallback of {@link VectorLoopsF32} for the
 * strides and lane counts that are not whole vectors. Extended only by VectorLoopsF32.
 */
class ScalarLoopsF32 implements LoopsF32 {
    static final ScalarLoopsF32 INSTANCE = new ScalarLoopsF32();

    ScalarLoopsF32() {
    }

    @Override
    public void real(float[] a, int size, int stride, float m00, float m01, float m10, float m11) {
        for (int base = 0; base < size; base += 2 * stride) {
            for (int i0 = base, end = base + stride; i0 < end; i0++) {
                int i1 = i0 + stride;
                float x = a[i0];
                float y = a[i1];
                a[i0] = m00 * x + m01 * y;
                a[i1] = m10 * x + m11 * y;
            }
        }
    }

    @Override
    public void diagonal(float[] re, float[] im, int size, int stride, float m00r, float m00i, float m11r,
                         float m11i) {
        for (int base = 0; base < size; base += 2 * stride) {
            for (int i0 = base, end = base + stride; i0 < end; i0++) {
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
        }
    }

    @Override
    public void general(float[] re, float[] im, int size, int stride, float m00r, float m00i, float m01r,
                        float m01i, float m10r, float m10i, float m11r, float m11i) {
        for (int base = 0; base < size; base += 2 * stride) {
            for (int i0 = base, end = base + stride; i0 < end; i0++) {
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

    @Override
    public void gather(float[] from, float[] to, int[] columns, int size, int lanes) {
        int src = 0;
        int count = size / lanes;
        System.arraycopy(from, 0, to, 0, lanes);
        for (int j = 1; j < count; j++) {
            src ^= columns[Integer.numberOfTrailingZeros(j)];
            int d = (j ^ (j >>> 1)) * lanes;
            int s = src * lanes;
            for (int v = 0; v < lanes; v++) {
                to[d + v] = from[s + v];
            }
        }
    }

    @Override
    public void fold(float[] prob, int half, int lanes, float[] acc) {
        java.util.Arrays.fill(acc, 0);
        for (int j = 0; j < half; j += lanes) {
            for (int v = 0; v < lanes; v++) {
                float a = prob[j + v];
                float b = prob[j + half + v];
                acc[v] += a - b;
                prob[j + v] = a + b;
            }
        }
    }

    @Override
    public void overlap(float[] re, float[] im, float[] lre, float[] lim, int size, int stride, int lanes,
                        float[] k, boolean real) {
        java.util.Arrays.fill(k, 0);
        for (int base = 0; base < size; base += 2 * stride) {
            for (int j = base; j < base + stride; j += lanes) {
                if (real) {
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
}
