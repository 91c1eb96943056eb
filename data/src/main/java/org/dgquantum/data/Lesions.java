package org.dgquantum.data;

import java.util.SplittableRandom;

/** Inserts soft, irregular, lesion-like blobs into images (shared by the synthetic and MRI sources). */
public final class Lesions {
    private Lesions() {
    }

    /** Where and how a lesion was inserted (pixel units). */
    public record Placement(double cy, double cx, double radius, double contrast) {
    }

    /**
     * Adds one lesion inside the allowed mask (in place). The center is drawn uniformly among allowed
     * pixels; the contrast is relative to the full intensity range and signed (hyper/hypo-intense).
     *
     * @return the placement, or null if the mask allows no pixel
     */
    public static Placement insertLesion(float[] img, int h, int w, boolean[] allowed, LesionSpec spec,
            SplittableRandom rng) {
        int side = Math.min(h, w);
        double radius = Math.max(0.8, side * uniform(rng, spec.minRadius(), spec.maxRadius()));
        double contrast = uniform(rng, spec.minContrast(), spec.maxContrast());
        if (rng.nextDouble() >= spec.hyperProbability()) {
            contrast = -contrast;
        }
        return insertBlob(img, h, w, allowed, radius, contrast, rng);
    }

    /**
     * Adds 0..maxDistractors faint tiny spots (radius 0.3-0.6 of the smallest lesion's, contrast 0.3-0.8 of the
     * weakest lesion's), in place.
     */
    public static void insertDistractors(float[] img, int h, int w, boolean[] allowed, LesionSpec spec,
            SplittableRandom rng) {
        int n = rng.nextInt(spec.maxDistractors() + 1);
        int side = Math.min(h, w);
        for (int i = 0; i < n; i++) {
            double radius = Math.max(0.6, side * uniform(rng, 0.3 * spec.minRadius(), 0.6 * spec.minRadius()));
            double contrast = uniform(rng, 0.3, 0.8) * spec.minContrast();
            insertBlob(img, h, w, allowed, radius, contrast, rng);
        }
    }

    static Placement insertBlob(float[] img, int h, int w, boolean[] allowed, double radius, double contrast,
            SplittableRandom rng) {
        int count = 0;
        for (boolean b : allowed) {
            if (b) {
                count++;
            }
        }
        if (count == 0) {
            return null;
        }
        int pick = rng.nextInt(count);
        int idx = -1;
        for (int i = 0; i < allowed.length; i++) {
            if (allowed[i] && pick-- == 0) {
                idx = i;
                break;
            }
        }
        double cy = idx / w + rng.nextDouble() - 0.5;
        double cx = idx % w + rng.nextDouble() - 0.5;
        // Irregular outline: radius modulated by a low-order angular harmonic; soft (logistic) edge.
        int k = 2 + rng.nextInt(3);
        double phase = rng.nextDouble() * 2 * Math.PI;
        double irregular = uniform(rng, 0.0, 0.3);
        double aspect = uniform(rng, 0.7, 1.0);
        double rot = rng.nextDouble() * Math.PI;
        double cr = Math.cos(rot);
        double sr = Math.sin(rot);
        double edge = Math.max(0.3, 0.25 * radius);
        int reach = (int) Math.ceil(radius * 1.6 + 3 * edge);
        for (int y = Math.max(0, (int) cy - reach); y <= Math.min(h - 1, (int) cy + reach); y++) {
            for (int x = Math.max(0, (int) cx - reach); x <= Math.min(w - 1, (int) cx + reach); x++) {
                double dy = y - cy;
                double dx = x - cx;
                double u = cr * dx + sr * dy;
                double v = (-sr * dx + cr * dy) / aspect;
                double d = Math.sqrt(u * u + v * v);
                double phi = Math.atan2(v, u);
                double r = radius * (1 + irregular * Math.sin(k * phi + phase));
                double profile = 1 / (1 + Math.exp((d - r) / edge));
                img[y * w + x] += (float) (contrast * profile);
            }
        }
        return new Placement(cy, cx, radius, contrast);
    }

    static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
