package org.dgquantum.data;

import java.lang.ref.SoftReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real MRI anatomy: axial slices of the T1 brain volumes that Debian's {@code mricron-data} package installs
 * in /usr/share/mricron/templates (ch2 = Colin27 1 mm with skull, ch2bet = the same brain skull-stripped,
 * ch2better = Colin27 0.5 mm, inia19-t1-brain = a macaque template at 0.5 mm, float32), with synthetic
 * lesions inserted for the positive class. Each center is a (volume, in-plane resolution) pair, so the
 * centers differ in subject/species, skull stripping, scanner resolution and intensity scale.
 */
public final class MriAnatomySource {
    /** System property that overrides the templates directory. */
    public static final String DIR_PROPERTY = "dgq.mricron.dir";
    /** Environment variable that overrides the templates directory. */
    public static final String DIR_ENV = "DGQ_MRICRON_DIR";
    public static final Path DEFAULT_DIR = Path.of("/usr/share/mricron/templates");
    public static final String INSTALL_HINT = "install Debian's mricron-data package (apt-get install mricron-data)"
            + " or point -D" + DIR_PROPERTY + " / " + DIR_ENV + " at a directory with the .nii.gz volumes";

    /**
     * One center: a volume file in the templates directory and the in-plane resolution (mm) it is acquired
     * at (0 = the volume's own resolution; a larger value simulates a lower-resolution scanner).
     */
    public record MriCenter(String name, String file, double resolutionMm) {
    }

    /** Parameters of the MRI track. */
    public record MriConfig(Path directory, int imageSize, int perClassPerCenter, int perClassPerTestCenter,
            long seed, List<MriCenter> trainCenters, List<MriCenter> testCenters, LesionSpec lesion) {
        public MriConfig {
            trainCenters = List.copyOf(trainCenters);
            testCenters = List.copyOf(testCenters);
            if (imageSize < 16 || perClassPerCenter < 1 || perClassPerTestCenter < 0 || trainCenters.isEmpty()) {
                throw new IllegalArgumentException("bad MRI config: image size >= 16, >= 1 image per class and"
                        + " >= 1 training center needed");
            }
        }

        /**
         * Training centers: ch2 (1 mm, with skull), ch2better (0.5 mm), inia19 (macaque, 0.5 mm); unseen test
         * centers: ch2bet (skull-stripped) and ch2 acquired at 5 mm in-plane.
         */
        public static MriConfig defaults(long seed) {
            return new MriConfig(defaultDirectory(), 64, 48, 48, seed,
                    List.of(new MriCenter("ch2-1mm", "ch2.nii.gz", 0), new MriCenter("ch2better-0.5mm",
                            "ch2better.nii.gz", 0), new MriCenter("inia19-macaque", "inia19-t1-brain.nii.gz", 0)),
                    List.of(new MriCenter("ch2bet-stripped", "ch2bet.nii.gz", 0),
                            new MriCenter("ch2-5mm", "ch2.nii.gz", 5.0)),
                    LesionSpec.defaults());
        }

        public MriConfig withImageSize(int size) {
            return new MriConfig(directory, size, perClassPerCenter, perClassPerTestCenter, seed, trainCenters,
                    testCenters, lesion);
        }

        public MriConfig withCounts(int perClassTrain, int perClassTest) {
            return new MriConfig(directory, imageSize, perClassTrain, perClassTest, seed, trainCenters, testCenters,
                    lesion);
        }

        /**
         * The same centers split anew: {@code names} (checked by {@link DataSources#chooseTestCenters}) become
         * the unseen test centers and the others the training centers, each list in the default order.
         */
        public MriConfig withTestCenters(List<String> names) {
            List<MriCenter> all = new java.util.ArrayList<>(trainCenters);
            all.addAll(testCenters);
            List<String> test = DataSources.chooseTestCenters(all.stream().map(MriCenter::name).toList(), names);
            return new MriConfig(directory, imageSize, perClassPerCenter, perClassPerTestCenter, seed,
                    all.stream().filter(c -> !test.contains(c.name())).toList(),
                    all.stream().filter(c -> test.contains(c.name())).toList(), lesion);
        }

        public MriConfig withDirectory(Path dir) {
            return new MriConfig(dir, imageSize, perClassPerCenter, perClassPerTestCenter, seed, trainCenters,
                    testCenters, lesion);
        }
    }

    private MriAnatomySource() {
    }

    /** The templates directory: -Ddgq.mricron.dir, else $DGQ_MRICRON_DIR, else /usr/share/mricron/templates. */
    public static Path defaultDirectory() {
        String p = System.getProperty(DIR_PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(DIR_ENV);
        }
        return p == null || p.isBlank() ? DEFAULT_DIR : Path.of(p);
    }

    /** True when the default volumes are installed. */
    public static boolean available() {
        Path dir = defaultDirectory();
        return MriConfig.defaults(0).trainCenters().stream().allMatch(c -> Files.isRegularFile(dir.resolve(c.file())));
    }

    /** Source = training centers, target = unseen test centers. */
    public static DataBundle load(MriConfig cfg) {
        Path dir = cfg.directory();
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir, "MRI template directory not found; " + INSTALL_HINT);
        }
        Dataset source = centers(cfg, cfg.trainCenters(), cfg.perClassPerCenter(), 1, "mri/source");
        Dataset target = centers(cfg, cfg.testCenters(), cfg.perClassPerTestCenter(), 2, "mri/target");
        return new DataBundle("mri", source, target);
    }

    /** Prepared volumes by (absolute path, size, modification time); soft, so memory pressure clears them. */
    private static final Map<String, SoftReference<Prepared>> CACHE = new ConcurrentHashMap<>();

    private static Prepared prepared(Path file) {
        String key;
        try {
            key = file.toAbsolutePath().normalize() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file);
        } catch (java.io.IOException e) {
            throw new DataException(file, "cannot read MRI volume", e);
        }
        SoftReference<Prepared> ref = CACHE.get(key);
        Prepared p = ref == null ? null : ref.get();
        if (p == null) {
            p = prepare(NiftiReader.read(file));
            CACHE.put(key, new SoftReference<>(p));
        }
        return p;
    }

    private static Dataset centers(MriConfig cfg, List<MriCenter> centers, int perClass, long stream, String name) {
        List<Sample> out = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int c = 0; c < centers.size(); c++) {
            MriCenter center = centers.get(c);
            names.add(center.name());
            Path file = cfg.directory().resolve(center.file());
            if (!Files.isRegularFile(file)) {
                throw new DataException(file, "MRI volume not found; " + INSTALL_HINT);
            }
            Prepared vol = prepared(file);
            for (int i = 0; i < 2 * perClass; i++) {
                int label = i % 2;
                SplittableRandom rng = new SplittableRandom(SyntheticGenerator.mix(cfg.seed(), stream, c, i));
                int k = vol.usableSlices[rng.nextInt(vol.usableSlices.length)];
                float[] img = slice(vol, k, center.resolutionMm(), cfg.imageSize(), rng.nextBoolean());
                int s = cfg.imageSize();
                boolean[] mask = lesionMask(img, s);
                if (label == Sample.LESION) {
                    int lesions = 1 + rng.nextInt(cfg.lesion().maxLesions());
                    for (int l = 0; l < lesions; l++) {
                        Lesions.insertLesion(img, s, s, mask, cfg.lesion(), rng);
                    }
                }
                ImageOps.clamp01(img);
                out.add(new Sample("mri/" + center.name() + "/z" + k + "/" + i, label, c, center.name(), s, s, img));
            }
        }
        return new Dataset(name, out, names);
    }

    /** A volume with its intensity scale, brain bounding box and usable axial slices. */
    record Prepared(NiftiVolume volume, float scale, int i0, int i1, int j0, int j1, int[] usableSlices) {
    }

    static Prepared prepare(NiftiVolume v) {
        // Robust intensity scale: the 99.9th percentile of the positive voxels.
        float[] pos = new float[v.data().length];
        int n = 0;
        int stride = Math.max(1, v.data().length / 400_000);
        for (int i = 0; i < v.data().length; i += stride) {
            if (v.data()[i] > 0) {
                pos[n++] = v.data()[i];
            }
        }
        if (n == 0) {
            throw new DataException(v.file(), "MRI volume has no positive voxels");
        }
        float[] sorted = Arrays.copyOf(pos, n);
        Arrays.sort(sorted);
        float scale = sorted[Math.min(n - 1, (int) (0.999 * n))];
        float thr = 0.1f * scale;
        int i0 = v.nx(), i1 = -1, j0 = v.ny(), j1 = -1;
        int[] perSlice = new int[v.nz()];
        for (int k = 0; k < v.nz(); k++) {
            for (int j = 0; j < v.ny(); j++) {
                for (int i = 0; i < v.nx(); i++) {
                    if (v.get(i, j, k) > thr) {
                        perSlice[k]++;
                        i0 = Math.min(i0, i);
                        i1 = Math.max(i1, i);
                        j0 = Math.min(j0, j);
                        j1 = Math.max(j1, j);
                    }
                }
            }
        }
        int max = Arrays.stream(perSlice).max().orElse(0);
        int[] usable = java.util.stream.IntStream.range(0, v.nz()).filter(k -> perSlice[k] >= 0.6 * max).toArray();
        if (max == 0 || usable.length == 0) {
            throw new DataException(v.file(), "MRI volume has no usable axial slice");
        }
        return new Prepared(v, scale, i0, i1, j0, j1, usable);
    }

    /** Crops slice k to the brain box, pads it square in millimetres, optionally lowers its resolution, resizes. */
    static float[] slice(Prepared p, int k, double resolutionMm, int size, boolean flipLr) {
        NiftiVolume v = p.volume();
        int w = p.i1() - p.i0() + 1;
        int h = p.j1() - p.j0() + 1;
        float[] crop = new float[w * h];
        for (int r = 0; r < h; r++) {
            int j = p.j1() - r; // anterior (larger j) at the top
            for (int c = 0; c < w; c++) {
                int i = flipLr ? p.i1() - c : p.i0() + c;
                crop[r * w + c] = v.get(i, j, k) / p.scale();
            }
        }
        double d = Math.min(v.dx(), v.dy());
        int wIso = Math.max(1, (int) Math.round(w * v.dx() / d));
        int hIso = Math.max(1, (int) Math.round(h * v.dy() / d));
        if (wIso != w || hIso != h) {
            crop = ImageOps.resize(crop, h, w, hIso, wIso);
        }
        int side = Math.max(wIso, hIso) + 4;
        float[] sq = new float[side * side];
        int oy = (side - hIso) / 2;
        int ox = (side - wIso) / 2;
        for (int r = 0; r < hIso; r++) {
            System.arraycopy(crop, r * wIso, sq, (r + oy) * side + ox, wIso);
        }
        if (resolutionMm > d) {
            int low = Math.max(4, (int) Math.round(side * d / resolutionMm));
            sq = ImageOps.resize(sq, side, side, low, low);
            side = low;
        }
        return ImageOps.clamp01(ImageOps.resize(sq, side, side, size, size));
    }

    /** Tissue pixels (and their neighbours) in the central part of the head, where lesions may go. */
    static boolean[] lesionMask(float[] img, int s) {
        boolean[] m = new boolean[s * s];
        for (int y = 2; y < s - 2; y++) {
            for (int x = 2; x < s - 2; x++) {
                double py = (y + 0.5) / s * 2 - 1;
                double px = (x + 0.5) / s * 2 - 1;
                if (px * px + py * py > 0.45) {
                    continue;
                }
                boolean ok = true;
                for (int dy = -2; dy <= 2 && ok; dy++) {
                    for (int dx = -2; dx <= 2 && ok; dx++) {
                        ok = img[(y + dy) * s + x + dx] > 0.3f;
                    }
                }
                m[y * s + x] = ok;
            }
        }
        return m;
    }
}
