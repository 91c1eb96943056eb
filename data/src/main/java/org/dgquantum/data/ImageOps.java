package org.dgquantum.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/** Small float-image utilities on row-major [h*w] arrays. All methods return new arrays. */
public final class ImageOps {
    private ImageOps() {
    }

    /**
     * Resizes to nh x nw: exact box (area) averaging along an axis that shrinks, bilinear interpolation along
     * one that grows (pixel centers aligned).
     */
    public static float[] resize(float[] src, int h, int w, int nh, int nw) {
        float[] rows = resizeAxis(src, h, w, nw, false);
        return resizeAxis(rows, h, nw, nh, true);
    }

    /** Resamples one axis: horizontal (vertical=false) changes width w -> n; vertical changes height h -> n. */
    private static float[] resizeAxis(float[] src, int h, int w, int n, boolean vertical) {
        int len = vertical ? h : w;
        int lines = vertical ? w : h;
        if (n == len) {
            return src.clone();
        }
        float[] out = vertical ? new float[n * w] : new float[h * n];
        double scale = (double) len / n;
        for (int line = 0; line < lines; line++) {
            for (int i = 0; i < n; i++) {
                double v;
                if (n < len) { // area average over [i*scale, (i+1)*scale)
                    double a = i * scale;
                    double b = (i + 1) * scale;
                    double sum = 0;
                    for (int k = (int) Math.floor(a); k < Math.ceil(b) && k < len; k++) {
                        double overlap = Math.min(b, k + 1) - Math.max(a, k);
                        if (overlap > 0) {
                            sum += overlap * get(src, w, vertical, line, k);
                        }
                    }
                    v = sum / scale;
                } else {
                    double pos = (i + 0.5) * scale - 0.5;
                    int k0 = (int) Math.floor(pos);
                    double t = pos - k0;
                    int ka = Math.max(0, Math.min(len - 1, k0));
                    int kb = Math.max(0, Math.min(len - 1, k0 + 1));
                    v = (1 - t) * get(src, w, vertical, line, ka) + t * get(src, w, vertical, line, kb);
                }
                if (vertical) {
                    out[i * w + line] = (float) v;
                } else {
                    out[line * n + i] = (float) v;
                }
            }
        }
        return out;
    }

    private static float get(float[] src, int w, boolean vertical, int line, int k) {
        return vertical ? src[k * w + line] : src[line * w + k];
    }

    /** Separable Gaussian blur (edge pixels replicated); sigma &lt;= 0.05 returns a copy. */
    public static float[] gaussianBlur(float[] src, int h, int w, double sigma) {
        if (sigma <= 0.05) {
            return src.clone();
        }
        int r = Math.max(1, (int) Math.ceil(3 * sigma));
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        float[] tmp = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int i = -r; i <= r; i++) {
                    int xx = Math.max(0, Math.min(w - 1, x + i));
                    acc += k[i + r] * src[y * w + xx];
                }
                tmp[y * w + x] = (float) acc;
            }
        }
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int i = -r; i <= r; i++) {
                    int yy = Math.max(0, Math.min(h - 1, y + i));
                    acc += k[i + r] * tmp[yy * w + x];
                }
                out[y * w + x] = (float) acc;
            }
        }
        return out;
    }

    /** 3x3 box blur (edge pixels replicated). */
    public static float[] boxBlur3(float[] src, int h, int w) {
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    int yy = Math.max(0, Math.min(h - 1, y + dy));
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = Math.max(0, Math.min(w - 1, x + dx));
                        acc += src[yy * w + xx];
                    }
                }
                out[y * w + x] = (float) (acc / 9);
            }
        }
        return out;
    }

    /** Clamps every value to [0, 1] in place and returns the array. */
    public static float[] clamp01(float[] a) {
        for (int i = 0; i < a.length; i++) {
            float v = a[i];
            a[i] = v < 0 ? 0 : (v > 1 ? 1 : (Float.isNaN(v) ? 0 : v));
        }
        return a;
    }

    public static double mean(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return a.length == 0 ? 0 : s / a.length;
    }

    public static double std(float[] a) {
        double m = mean(a);
        double s = 0;
        for (float v : a) {
            s += (v - m) * (v - m);
        }
        return a.length == 0 ? 0 : Math.sqrt(s / a.length);
    }

    /**
     * Robust high-frequency noise estimate: the median absolute value of the 4-neighbour Laplacian divided by
     * 0.6745 * sqrt(20) (the Laplacian of white noise of std s has std s*sqrt(20)).
     */
    public static double noiseSigma(float[] a, int h, int w) {
        float[] lap = new float[(h - 2) * (w - 2)];
        int n = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                float c = a[y * w + x];
                lap[n++] = Math.abs(4 * c - a[(y - 1) * w + x] - a[(y + 1) * w + x] - a[y * w + x - 1]
                        - a[y * w + x + 1]);
            }
        }
        java.util.Arrays.sort(lap);
        return lap.length == 0 ? 0 : lap[lap.length / 2] / (0.6745 * Math.sqrt(20));
    }

    /** Mean absolute 4-neighbour Laplacian over the interior: a simple sharpness (high-frequency) measure. */
    public static double meanAbsLaplacian(float[] a, int h, int w) {
        double s = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                s += Math.abs(4 * a[y * w + x] - a[(y - 1) * w + x] - a[(y + 1) * w + x] - a[y * w + x - 1]
                        - a[y * w + x + 1]);
            }
        }
        return h < 3 || w < 3 ? 0 : s / ((h - 2) * (w - 2));
    }

    /**
     * Grayscale intensities in [0, 1] of any ImageIO image: 8/16-bit gray rasters are read directly (full
     * precision); everything else through sRGB luminance 0.299 R + 0.587 G + 0.114 B.
     */
    public static float[] toGray(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[] out = new float[h * w];
        Raster r = img.getRaster();
        int type = img.getType();
        if (type == BufferedImage.TYPE_BYTE_GRAY || type == BufferedImage.TYPE_USHORT_GRAY) {
            double max = type == BufferedImage.TYPE_BYTE_GRAY ? 255.0 : 65535.0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (float) (r.getSample(x, y, 0) / max);
                }
            }
            return out;
        }
        int[] row = new int[w]; // one row at a time: getRGB(x, y) allocates for every pixel of indexed images
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int rgb = row[x];
                int rr = (rgb >> 16) & 0xff;
                int gg = (rgb >> 8) & 0xff;
                int bb = rgb & 0xff;
                out[y * w + x] = (float) ((0.299 * rr + 0.587 * gg + 0.114 * bb) / 255.0);
            }
        }
        return out;
    }

    /** Scales values linearly so that min -> 0 and max -> 1 (a constant image becomes all 0). */
    public static float[] minMaxNormalize(float[] a) {
        float mn = Float.POSITIVE_INFINITY;
        float mx = Float.NEGATIVE_INFINITY;
        for (float v : a) {
            mn = Math.min(mn, v);
            mx = Math.max(mx, v);
        }
        float[] out = new float[a.length];
        float range = mx - mn;
        if (range > 0) {
            for (int i = 0; i < a.length; i++) {
                out[i] = (a[i] - mn) / range;
            }
        }
        return out;
    }
}
