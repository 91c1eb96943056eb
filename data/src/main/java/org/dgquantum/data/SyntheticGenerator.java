package org.dgquantum.data;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Built-in synthetic multi-center data: brain-like axial "slices" (scalp, skull, CSF, gyrified gray matter,
 * white matter with smooth texture, two ventricles of variable size) under random pose, half of them with a
 * small low-contrast lesion, every image of both classes with a few faint lesion-like distractor spots; then
 * each center's acquisition chain ({@link CenterProfile}). Each image is a pure function of (seed, split,
 * center index, image index), so results do not depend on the thread count.
 */
public final class SyntheticGenerator {
    private static final long TRAIN_STREAM = 0x5EED_0001L;
    private static final long TEST_STREAM = 0x5EED_0002L;

    private SyntheticGenerator() {
    }

    /** Source = the training centers, target = the unseen test centers. */
    public static DataBundle generate(SyntheticConfig cfg) {
        Dataset source = generateCenters(cfg, cfg.trainCenters(), cfg.perClassPerCenter(), TRAIN_STREAM,
                "synthetic/source");
        Dataset target = generateCenters(cfg, cfg.testCenters(), cfg.perClassPerTestCenter(), TEST_STREAM,
                "synthetic/target");
        return new DataBundle("synthetic", source, target);
    }

    /** perClass images of each class for every given center; classes alternate, order is deterministic. */
    public static Dataset generateCenters(SyntheticConfig cfg, List<CenterProfile> centers, int perClass,
            long stream, String name) {
        List<String> names = centers.stream().map(CenterProfile::name).toList();
        int perCenter = 2 * perClass;
        Sample[] out = new Sample[centers.size() * perCenter];
        IntStream.range(0, out.length).parallel().forEach(k -> {
            int c = k / perCenter;
            int i = k % perCenter;
            int label = i % 2;
            out[k] = sample(cfg, centers.get(c), c, i, label, stream);
        });
        return new Dataset(name, List.of(out), names);
    }

    /** One synthetic image. */
    public static Sample sample(SyntheticConfig cfg, CenterProfile center, int centerIndex, int index, int label,
            long stream) {
        int s = cfg.imageSize();
        SplittableRandom rng = new SplittableRandom(mix(cfg.seed(), stream, centerIndex, index));
        boolean[] tissue = new boolean[s * s];
        float[] img = anatomy(s, rng, tissue);
        Lesions.insertDistractors(img, s, s, tissue, cfg.lesion(), rng);
        if (label == Sample.LESION) {
            int lesions = 1 + rng.nextInt(cfg.lesion().maxLesions());
            for (int l = 0; l < lesions; l++) {
                Lesions.insertLesion(img, s, s, tissue, cfg.lesion(), rng);
            }
        }
        ImageOps.clamp01(img);
        float[] acquired = acquire(img, s, center, rng);
        String id = "synthetic/" + center.name() + "/" + index;
        return new Sample(id, label, centerIndex, center.name(), s, s, acquired);
    }

    /**
     * A clean brain-like phantom in [0, 1]. Marks in {@code lesionMask} the white-matter pixels away from the
     * ventricles and the cortex where a lesion may go.
     */
    public static float[] anatomy(int s, SplittableRandom rng, boolean[] lesionMask) {
        double cx = u(rng, -0.05, 0.05);
        double cy = u(rng, -0.05, 0.05);
        double a = u(rng, 0.66, 0.78);
        double b = u(rng, 0.80, 0.90);
        double rot = u(rng, -0.2, 0.2);
        double cr = Math.cos(rot);
        double sr = Math.sin(rot);
        int gyri = 7 + rng.nextInt(6);
        double gyriPhase = u(rng, 0, 2 * Math.PI);
        double gyriDepth = u(rng, 0.025, 0.05);
        double wm = u(rng, 0.62, 0.70);
        double gm = u(rng, 0.42, 0.50);
        double csf = u(rng, 0.12, 0.22);
        double scalp = u(rng, 0.45, 0.60);
        double bone = u(rng, 0.05, 0.12);
        // Ventricles: two tilted ellipses, size varies (atrophy).
        double vScale = u(rng, 0.7, 1.4);
        double vx = u(rng, 0.09, 0.14);
        double vy = u(rng, -0.08, 0.02);
        double va = 0.07 * vScale;
        double vb = u(rng, 0.16, 0.24) * vScale;
        double vTilt = u(rng, 0.15, 0.4);
        // Smooth texture: a few low-frequency cosines.
        int waves = 6;
        double[][] tex = new double[waves][4];
        for (double[] t : tex) {
            double f = u(rng, 1.0, 4.0);
            double th = u(rng, 0, Math.PI);
            t[0] = f * Math.cos(th);
            t[1] = f * Math.sin(th);
            t[2] = u(rng, 0, 2 * Math.PI);
            t[3] = u(rng, 0.006, 0.012);
        }
        float[] img = new float[s * s];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                double px = (x + 0.5) / s * 2 - 1 - cx;
                double py = (y + 0.5) / s * 2 - 1 - cy;
                double xr = cr * px + sr * py;
                double yr = -sr * px + cr * py;
                double rho = Math.sqrt((xr / a) * (xr / a) + (yr / b) * (yr / b));
                double phi = Math.atan2(yr, xr);
                double v;
                boolean lesionOk = false;
                if (rho > 1.07) {
                    v = 0.0;
                } else if (rho > 1.0) {
                    v = scalp;
                } else if (rho > 0.93) {
                    v = bone;
                } else if (rho > 0.89) {
                    v = csf;
                } else {
                    double gmEdge = 0.76 + gyriDepth * Math.sin(gyri * phi + gyriPhase);
                    v = rho > gmEdge ? gm : wm;
                    double t = 0;
                    for (double[] w : tex) {
                        t += w[3] * Math.cos(Math.PI * (w[0] * xr + w[1] * yr) + w[2]);
                    }
                    v += t;
                    boolean inVentricle = false;
                    for (int side = -1; side <= 1; side += 2) {
                        double ex = xr - side * vx;
                        double ey = yr - vy;
                        double tilt = side * vTilt;
                        double eu = Math.cos(tilt) * ex + Math.sin(tilt) * ey;
                        double ev = -Math.sin(tilt) * ex + Math.cos(tilt) * ey;
                        double q = (eu / va) * (eu / va) + (ev / vb) * (ev / vb);
                        if (q < 1) {
                            v = csf + 0.02 * (1 - q);
                            inVentricle = true;
                        } else if (q < 1.8) {
                            inVentricle = true; // keep lesions off the ventricle rim
                        }
                    }
                    lesionOk = !inVentricle && rho < gmEdge - 0.05;
                }
                img[y * s + x] = (float) v;
                if (lesionMask != null) {
                    lesionMask[y * s + x] = lesionOk;
                }
            }
        }
        return img;
    }

    /** Applies a center's acquisition chain (see {@link CenterProfile}) to a clean image; returns a new one. */
    public static float[] acquire(float[] clean, int s, CenterProfile p, SplittableRandom rng) {
        double gamma = p.gamma() * (1 + u(rng, -p.jitter(), p.jitter()));
        double noise = p.noiseLevel() * (1 + u(rng, -p.jitter(), p.jitter()));
        double blur = p.blurSigma() * (1 + u(rng, -p.jitter(), p.jitter()));
        float[] img = new float[clean.length];
        for (int i = 0; i < img.length; i++) {
            double v = (clean[i] - 0.5) * p.contrast() + 0.5 + p.brightness();
            v = Math.max(0, Math.min(1, v));
            img[i] = (float) Math.pow(v, gamma);
        }
        if (p.biasStrength() > 0) {
            double gx = u(rng, -1, 1);
            double gy = u(rng, -1, 1);
            double f1 = u(rng, 0.3, 0.8);
            double ph = u(rng, 0, 2 * Math.PI);
            double th = u(rng, 0, Math.PI);
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    double px = (x + 0.5) / s * 2 - 1;
                    double py = (y + 0.5) / s * 2 - 1;
                    double field = 0.5 * (gx * px + gy * py) / Math.sqrt(2)
                            + 0.5 * Math.cos(Math.PI * f1 * (Math.cos(th) * px + Math.sin(th) * py) + ph);
                    img[y * s + x] *= (float) (1 + p.biasStrength() * field);
                }
            }
        }
        if (p.resolutionFactor() > 1.001) {
            int low = Math.max(4, (int) Math.round(s / p.resolutionFactor()));
            img = ImageOps.resize(ImageOps.resize(img, s, s, low, low), low, low, s, s);
        }
        img = ImageOps.gaussianBlur(img, s, s, blur);
        if (p.ghosting() > 0) {
            float[] g = img.clone();
            int shift = s / 2;
            for (int y = 0; y < s; y++) {
                int yy = (y + shift) % s;
                for (int x = 0; x < s; x++) {
                    img[y * s + x] = g[y * s + x] + (float) (p.ghosting() * g[yy * s + x]);
                }
            }
        }
        if (noise > 0) {
            for (int i = 0; i < img.length; i++) {
                double v = img[i];
                img[i] = (float) switch (p.noiseType()) {
                    case GAUSSIAN -> v + noise * rng.nextGaussian();
                    case RICIAN -> Math.hypot(v + noise * rng.nextGaussian(), noise * rng.nextGaussian());
                    case SPECKLE -> v * (1 + noise * rng.nextGaussian());
                    case POISSON -> v + noise * Math.sqrt(Math.max(0, v)) * rng.nextGaussian();
                };
            }
        }
        if (p.ringArtifact() > 0) {
            double period = s / u(rng, 9, 13);
            double phase = u(rng, 0, 2 * Math.PI);
            double c = (s - 1) / 2.0;
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    double r = Math.hypot(y - c, x - c);
                    img[y * s + x] += (float) (p.ringArtifact() * Math.sin(2 * Math.PI * r / period + phase));
                }
            }
        }
        return ImageOps.clamp01(img);
    }

    /** A well-mixed 64-bit seed from several longs (SplitMix64 finaliser chain). */
    public static long mix(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long p : parts) {
            h = splitmix(h ^ splitmix(p + 0x632BE59BD9B4E019L));
        }
        return h;
    }

    private static long splitmix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double u(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
