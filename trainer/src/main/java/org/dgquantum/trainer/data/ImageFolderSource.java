package org.dgquantum.trainer.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Images from folders, either {@code root/<class>/*.png|jpg|...} (one center, named after root) or
 * {@code root/<center>/<class>/...}. Class directory names (case-insensitive): normal class
 * {@value #NEGATIVE_NAMES_TEXT}; lesion class {@value #POSITIVE_NAMES_TEXT}. Images are read with ImageIO,
 * converted to grayscale (8/16-bit gray kept exactly, colour via luminance), scaled to [0, 1] and resized to
 * size x size (area averaging when shrinking). Hidden files and files with other extensions are ignored.
 */
public final class ImageFolderSource {
    static final String NEGATIVE_NAMES_TEXT = "0, normal, negative, healthy, benign, control, no";
    static final String POSITIVE_NAMES_TEXT = "1, lesion, positive, abnormal, malignant, tumor, tumour, disease,"
            + " pneumonia, yes";
    private static final Set<String> NEGATIVE = Set.of("0", "normal", "negative", "healthy", "benign", "control", "no");
    private static final Set<String> POSITIVE = Set.of("1", "lesion", "positive", "abnormal", "malignant", "tumor",
            "tumour", "disease", "pneumonia", "yes");
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private ImageFolderSource() {
    }

    /** 0 or 1 for a class directory name, -1 if it is not one. */
    public static int classOf(String dirName) {
        String n = dirName.toLowerCase(Locale.ROOT);
        return NEGATIVE.contains(n) ? 0 : POSITIVE.contains(n) ? 1 : -1;
    }

    /**
     * Loads a folder tree and splits it. With two or more centers, the centers named in testCenters (or, if
     * that is empty, the last center in name order) form the target and the others the source. With a single
     * center, a stratified holdoutFraction of it (seeded) is the target.
     */
    public static DataBundle load(Path root, int size, long seed, double holdoutFraction, List<String> testCenters) {
        Dataset all = loadAll(root, size);
        if (all.numDomains() >= 2) {
            List<String> test = testCenters == null || testCenters.isEmpty()
                    ? List.of(all.domainNames().get(all.numDomains() - 1)) : testCenters;
            List<String> train = all.domainNames().stream().filter(n -> !test.contains(n)).toList();
            if (train.isEmpty()) {
                throw new DataException(root, "every center is a test center; keep at least one for training");
            }
            return new DataBundle("folder", all.onlyDomains(train).renamed("folder/source"),
                    all.onlyDomains(test).renamed("folder/target"));
        }
        Dataset.Split split = all.split(holdoutFraction, seed);
        return new DataBundle("folder", split.train().renamed("folder/source"),
                split.validation().renamed("folder/holdout"));
    }

    /** Every image under root, with centers from the layout. */
    public static Dataset loadAll(Path root, int size) {
        if (!Files.isDirectory(root)) {
            throw new DataException(root, "image directory not found");
        }
        List<Path> subdirs = subdirectories(root);
        if (subdirs.isEmpty()) {
            throw new DataException(root, "no class directories; expected root/<class>/*.png|jpg or"
                    + " root/<center>/<class>/*.png|jpg with classes " + NEGATIVE_NAMES_TEXT + " / " + POSITIVE_NAMES_TEXT);
        }
        long classDirs = subdirs.stream().filter(p -> classOf(name(p)) >= 0).count();
        List<Sample> samples = new ArrayList<>();
        List<String> centers = new ArrayList<>();
        if (classDirs == subdirs.size()) {
            String center = name(root.toAbsolutePath().normalize());
            centers.add(center);
            loadCenter(root, subdirs, center, 0, size, samples);
        } else if (classDirs == 0) {
            for (Path c : subdirs) {
                List<Path> cls = subdirectories(c);
                if (cls.isEmpty()) {
                    throw new DataException(c, "center directory has no class directories (" + NEGATIVE_NAMES_TEXT
                            + " / " + POSITIVE_NAMES_TEXT + ")");
                }
                for (Path p : cls) {
                    if (classOf(name(p)) < 0) {
                        throw new DataException(p, "unknown class directory '" + name(p) + "'; use one of "
                                + NEGATIVE_NAMES_TEXT + " (normal) or " + POSITIVE_NAMES_TEXT + " (lesion)");
                    }
                }
                centers.add(name(c));
                loadCenter(c, cls, name(c), centers.size() - 1, size, samples);
            }
        } else {
            Path odd = subdirs.stream().filter(p -> classOf(name(p)) < 0).findFirst().orElseThrow();
            throw new DataException(odd, "unknown class directory '" + name(odd) + "' next to class directories; use"
                    + " root/<class>/ or root/<center>/<class>/ with classes " + NEGATIVE_NAMES_TEXT + " / "
                    + POSITIVE_NAMES_TEXT);
        }
        Dataset ds = new Dataset("folder:" + root, samples, centers);
        int[] counts = ds.classCounts();
        if (counts[0] == 0 || counts[1] == 0) {
            throw new DataException(root, "single class: found " + counts[0] + " normal and " + counts[1]
                    + " lesion images; both classes are needed");
        }
        return ds;
    }

    private static void loadCenter(Path dir, List<Path> classDirs, String center, int centerIndex, int size,
            List<Sample> out) {
        for (Path cls : classDirs) {
            int label = classOf(name(cls));
            List<Path> files;
            try (Stream<Path> s = Files.list(cls)) {
                files = s.filter(Files::isRegularFile).filter(p -> !name(p).startsWith("."))
                        .filter(p -> EXTENSIONS.contains(extension(p))).sorted(Comparator.comparing(ImageFolderSource::name))
                        .toList();
            } catch (IOException e) {
                throw new DataException(cls, "cannot list directory", e);
            }
            if (files.isEmpty()) {
                throw new DataException(cls, "empty class: no images (" + String.join(", ", EXTENSIONS.stream().sorted()
                        .toList()) + ")");
            }
            List<Sample> loaded = files.parallelStream().map(f -> new Sample(center + "/" + name(cls) + "/" + name(f),
                    label, centerIndex, center, size, size, readGray(f, size))).toList();
            out.addAll(loaded);
        }
    }

    /** Reads one image as grayscale [0, 1] and resizes it to size x size. */
    public static float[] readGray(Path file, int size) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DataException(file, "unreadable image", e);
        }
        if (img == null) {
            throw new DataException(file, "unreadable image: not a format ImageIO can decode (png, jpg, bmp, gif)");
        }
        float[] g = ImageOps.toGray(img);
        return ImageOps.clamp01(ImageOps.resize(g, img.getHeight(), img.getWidth(), size, size));
    }

    private static List<Path> subdirectories(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !name(p).startsWith("."))
                    .sorted(Comparator.comparing(ImageFolderSource::name)).toList();
        } catch (IOException e) {
            throw new DataException(dir, "cannot list directory", e);
        }
    }

    private static String name(Path p) {
        Path f = p.getFileName();
        return f == null ? p.toString() : f.toString();
    }

    private static String extension(Path p) {
        String n = name(p);
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
