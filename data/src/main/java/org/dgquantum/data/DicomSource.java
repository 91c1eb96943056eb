package org.dgquantum.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * DICOM images from folders laid out like {@link ImageFolderSource}: {@code root/<class>/...} or
 * {@code root/<center>/<class>/...}, with the same class names; below a class directory the files may sit in
 * any sub-directories (patient / study / series). A file is taken when its name ends in {@code .dcm} or it
 * starts with the DICOM preamble and "DICM" magic; hidden files and DICOMDIR indexes are skipped. Each file
 * is one sample (the middle frame of a multi-frame file, see {@link DicomReader}).
 * <p>
 * Intensities: DICOM values have no fixed display range (CT in Hounsfield units, MR in scanner units), so
 * each image is windowed to its own 0.1st..99.9th percentile and clamped to [0, 1], a robust scaling like
 * the MRI source's 99.9th percentile but with a lower bound, since CT values are negative. Then it is
 * resized to size x size (area averaging when shrinking).
 * <p>
 * Centers: from the directories in the {@code root/<center>/<class>/} layout. In the flat layout the headers
 * may name the centers instead ({@link DicomReader.Image#site()}: InstitutionName, else Manufacturer and
 * StationName); they do when the files name two or more sites and every site has both classes. Otherwise
 * root is the single center and a holdout is the target, as for image folders.
 */
public final class DicomSource {
    static final double LOW_PERCENTILE = 0.001;
    static final double HIGH_PERCENTILE = 0.999;
    private static final FolderLayout.FileKind DICOM = new FolderLayout.FileKind(DicomSource::isDicomFile, true,
            "*.dcm", "no DICOM files (*.dcm, or files starting with the DICOM preamble and \"DICM\")");

    private DicomSource() {
    }

    /** Loads a tree and splits it into source and target centers like {@link ImageFolderSource#load}. */
    public static DataBundle load(Path root, int size, long seed, double holdoutFraction, List<String> testCenters) {
        return FolderLayout.split("dicom", root, loadAll(root, size), seed, holdoutFraction, testCenters);
    }

    /** Every DICOM image under root, with centers from the layout (or the headers, see the class comment). */
    public static Dataset loadAll(Path root, int size) {
        FolderLayout.Scan scan = FolderLayout.scan(root, DICOM);
        List<Loaded> loaded = scan.entries().parallelStream().map(e -> {
            DicomReader.Image img = DicomReader.read(e.file());
            return new Loaded(e, img.site(), gray(img, size));
        }).toList();
        boolean bySite = scan.flat() && sitesUsable(loaded);
        List<Sample> samples = loaded.stream().map(l -> {
            String center = bySite ? l.site() : l.entry().center();
            // ids stay center/class/path, with the header's site as the center
            String id = bySite ? center + l.entry().id().substring(l.entry().center().length()) : l.entry().id();
            return new Sample(id, l.entry().label(), 0, center, size, size, l.pixels());
        }).toList();
        return FolderLayout.dataset("dicom:" + root, root, samples);
    }

    private record Loaded(FolderLayout.Entry entry, String site, float[] pixels) {
    }

    /** Header sites define the centers only when every file names one, there are >= 2, and each has both classes. */
    private static boolean sitesUsable(List<Loaded> loaded) {
        Map<String, Set<Integer>> classes = new HashMap<>();
        for (Loaded l : loaded) {
            if (l.site().isEmpty()) {
                return false;
            }
            classes.computeIfAbsent(l.site(), k -> new TreeSet<>()).add(l.entry().label());
        }
        return classes.size() >= 2 && classes.values().stream().allMatch(c -> c.size() == 2);
    }

    /** The image windowed to its 0.1st..99.9th percentile, in [0, 1], resized to size x size. */
    static float[] gray(DicomReader.Image img, int size) {
        float[] v = img.pixels();
        float[] sorted = v.clone();
        Arrays.sort(sorted);
        float lo = sorted[(int) Math.round(LOW_PERCENTILE * (sorted.length - 1))];
        float hi = sorted[(int) Math.round(HIGH_PERCENTILE * (sorted.length - 1))];
        float[] out = new float[v.length];
        if (hi > lo) { // a constant image stays all 0
            for (int i = 0; i < v.length; i++) {
                out[i] = (v[i] - lo) / (hi - lo);
            }
        }
        ImageOps.clamp01(out);
        return ImageOps.clamp01(ImageOps.resize(out, img.rows(), img.columns(), size, size));
    }

    /** *.dcm, or any other file with the DICM magic; never a DICOMDIR (an index without pixels). */
    static boolean isDicomFile(Path p) {
        String name = FolderLayout.name(p);
        if (name.equalsIgnoreCase("DICOMDIR")) {
            return false;
        }
        return name.toLowerCase(Locale.ROOT).endsWith(".dcm") || DicomReader.hasMagic(p);
    }
}
