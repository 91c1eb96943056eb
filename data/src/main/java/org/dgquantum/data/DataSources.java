package org.dgquantum.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * One entry point for the CLI: turns a data specification into a {@link DataBundle}.
 * <ul>
 *   <li>{@code synthetic} (default): the built-in multi-center generator ({@link SyntheticGenerator})</li>
 *   <li>{@code mri}: real MRI anatomy from Debian's mricron-data with synthetic lesions ({@link MriAnatomySource})</li>
 *   <li>{@code folder:DIR} or a directory: {@code DIR/<class>/*.png|jpg} or {@code DIR/<center>/<class>/...}
 *       ({@link ImageFolderSource})</li>
 *   <li>{@code npz:FILE} or a {@code .npz} file: a MedMNIST archive ({@link MedMnistSource})</li>
 *   <li>{@code dicom:DIR}: uncompressed DICOM files in the image-folder layout, {@code DIR/<class>/...} or
 *       {@code DIR/<center>/<class>/...} ({@link DicomSource})</li>
 * </ul>
 */
public final class DataSources {
    public static final String HELP = "synthetic | mri | folder:DIR | npz:FILE | dicom:DIR (a bare directory or .npz"
            + " path also works)";

    private DataSources() {
    }

    /**
     * Options shared by the sources; each uses what applies to it.
     *
     * @param imageSize        image side in pixels
     * @param perClass         images per class per training center (synthetic, mri); 0 = the source's default
     * @param perClassTest     images per class per unseen test center (synthetic, mri); 0 = the source's default
     * @param seed             generation / split seed
     * @param holdoutFraction  fraction held out as target when an image or DICOM folder has a single center
     * @param testCenters      centers to hold out as target (synthetic, mri, image and DICOM folders; empty = the
     *                         source's default split), checked by {@link #chooseTestCenters}
     * @param positiveLabel    MedMNIST label value of the lesion class (BreastMNIST: 0, PneumoniaMNIST: 1)
     * @param mriDirectory     directory of the mricron volumes, or null for {@link MriAnatomySource#defaultDirectory()}
     */
    public record Options(int imageSize, int perClass, int perClassTest, long seed, double holdoutFraction,
            List<String> testCenters, int positiveLabel, Path mriDirectory) {
        public Options {
            testCenters = testCenters == null ? List.of() : List.copyOf(testCenters);
            if (imageSize < 8 || perClass < 0 || perClassTest < 0) {
                throw new IllegalArgumentException("image size must be >= 8 and counts >= 0");
            }
        }

        public static Options defaults(long seed) {
            return new Options(64, 0, 0, seed, 0.2, List.of(), 1, null);
        }

        public Options withImageSize(int size) {
            return new Options(size, perClass, perClassTest, seed, holdoutFraction, testCenters, positiveLabel,
                    mriDirectory);
        }

        public Options withCounts(int train, int test) {
            return new Options(imageSize, train, test, seed, holdoutFraction, testCenters, positiveLabel,
                    mriDirectory);
        }

        public Options withTestCenters(List<String> centers) {
            return new Options(imageSize, perClass, perClassTest, seed, holdoutFraction, centers, positiveLabel,
                    mriDirectory);
        }
    }

    /** The command-line option that chooses the test centers, as errors name it. */
    public static final String TEST_CENTERS_OPTION = "--test-centers";

    /**
     * The one check of user-chosen test centers for every multi-center source: each of {@code chosen} must be one
     * of {@code known}, named once, and at least one known center must stay for training.
     *
     * @return the chosen centers in the order of {@code known} (so the split does not depend on how they were typed)
     */
    public static List<String> chooseTestCenters(List<String> known, List<String> chosen) {
        String value = String.join(",", chosen);
        String expected = String.join(", ", known);
        if (chosen.isEmpty()) {
            throw new DataException(TEST_CENTERS_OPTION + " " + value + ": no center given (expected some of "
                    + expected + ")");
        }
        List<String> unknown = chosen.stream().filter(c -> !known.contains(c)).toList();
        if (!unknown.isEmpty()) {
            throw new DataException(TEST_CENTERS_OPTION + " " + String.join(",", unknown) + ": unknown center"
                    + (unknown.size() > 1 ? "s" : "") + " (expected some of " + expected + ")");
        }
        if (new HashSet<>(chosen).size() != chosen.size()) {
            throw new DataException(TEST_CENTERS_OPTION + " " + value + ": a center named twice (expected each of "
                    + expected + " at most once)");
        }
        List<String> test = known.stream().filter(chosen::contains).toList();
        if (test.size() == known.size()) {
            throw new DataException(TEST_CENTERS_OPTION + " " + value + ": holds out every center (expected some of "
                    + expected + ", leaving at least one for training)");
        }
        return test;
    }

    public static DataBundle load(String spec, Options o) {
        String s = spec == null || spec.isBlank() ? "synthetic" : spec.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.equals("synthetic")) {
            SyntheticConfig cfg = SyntheticConfig.defaults(o.seed()).withImageSize(o.imageSize());
            if (!o.testCenters().isEmpty()) {
                cfg = cfg.withTestCenters(o.testCenters());
            }
            cfg = cfg.withCounts(o.perClass() > 0 ? o.perClass() : cfg.perClassPerCenter(),
                    o.perClassTest() > 0 ? o.perClassTest() : cfg.perClassPerTestCenter());
            return SyntheticGenerator.generate(cfg);
        }
        if (lower.equals("mri")) {
            MriAnatomySource.MriConfig cfg = MriAnatomySource.MriConfig.defaults(o.seed()).withImageSize(o.imageSize());
            cfg = cfg.withCounts(o.perClass() > 0 ? o.perClass() : cfg.perClassPerCenter(),
                    o.perClassTest() > 0 ? o.perClassTest() : cfg.perClassPerTestCenter());
            if (o.mriDirectory() != null) {
                cfg = cfg.withDirectory(o.mriDirectory());
            }
            if (!o.testCenters().isEmpty()) {
                cfg = cfg.withTestCenters(o.testCenters());
            }
            return MriAnatomySource.load(cfg);
        }
        if (lower.startsWith("folder:")) {
            return ImageFolderSource.load(Path.of(s.substring(7)), o.imageSize(), o.seed(), o.holdoutFraction(),
                    o.testCenters());
        }
        if (lower.startsWith("dicom:")) {
            return DicomSource.load(Path.of(s.substring(6)), o.imageSize(), o.seed(), o.holdoutFraction(),
                    o.testCenters());
        }
        if (lower.startsWith("npz:")) {
            refuseTestCenters(s, o);
            return MedMnistSource.load(Path.of(s.substring(4)), o.imageSize(), o.positiveLabel());
        }
        Path p = Path.of(s);
        if (Files.isDirectory(p)) {
            return ImageFolderSource.load(p, o.imageSize(), o.seed(), o.holdoutFraction(), o.testCenters());
        }
        if (lower.endsWith(".npz")) {
            refuseTestCenters(s, o);
            return MedMnistSource.load(p, o.imageSize(), o.positiveLabel());
        }
        throw new DataException("unknown data source '" + s + "'; expected " + HELP);
    }

    /** MedMNIST archives come with their own test split and no centers: there is nothing to choose from. */
    private static void refuseTestCenters(String spec, Options o) {
        if (!o.testCenters().isEmpty()) {
            throw new DataException(TEST_CENTERS_OPTION + " " + String.join(",", o.testCenters()) + ": " + spec
                    + " is a single-center MedMNIST archive with its own test split (expected no "
                    + TEST_CENTERS_OPTION + " with npz data)");
        }
    }
}
