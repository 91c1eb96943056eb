package org.dgquantum.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The directory layout shared by the folder-based sources ({@link ImageFolderSource}, {@link DicomSource}):
 * {@code root/<class>/...} (one center, named after root) or {@code root/<center>/<class>/...}, the class-name
 * conventions, and the split into source and target centers. Each source only says which files it takes and
 * how it reads one.
 */
final class FolderLayout {
    static final String NEGATIVE_NAMES_TEXT = "0, normal, negative, healthy, benign, control, no";
    static final String POSITIVE_NAMES_TEXT = "1, lesion, positive, abnormal, malignant, tumor, tumour, disease,"
            + " pneumonia, yes";
    private static final Set<String> NEGATIVE = Set.of("0", "normal", "negative", "healthy", "benign", "control", "no");
    private static final Set<String> POSITIVE = Set.of("1", "lesion", "positive", "abnormal", "malignant", "tumor",
            "tumour", "disease", "pneumonia", "yes");

    /** One file to load, with the center and class its place in the layout gives it. */
    record Entry(Path file, String center, int label, String id) {
    }

    /** The files of a tree in (center, class, path) order; flat when root itself is the only center. */
    record Scan(List<Entry> entries, boolean flat) {
    }

    /**
     * Which files a source takes from a class directory.
     *
     * @param accepts   the files to load (hidden files and directories are always skipped)
     * @param recursive whether to look below the class directory too (DICOM exports nest series directories)
     * @param pattern   the files in the layout error messages, e.g. {@code *.png|jpg}
     * @param noFiles   what an empty class lacks, e.g. {@code no images (png, jpg)}
     */
    record FileKind(Predicate<Path> accepts, boolean recursive, String pattern, String noFiles) {
    }

    private FolderLayout() {
    }

    /** 0 or 1 for a class directory name, -1 if it is not one. */
    static int classOf(String dirName) {
        String n = dirName.toLowerCase(Locale.ROOT);
        return NEGATIVE.contains(n) ? 0 : POSITIVE.contains(n) ? 1 : -1;
    }

    /** Finds the centers, classes and files under root; layout problems are {@link DataException}s. */
    static Scan scan(Path root, FileKind kind) {
        if (!Files.isDirectory(root)) {
            throw new DataException(root, "image directory not found");
        }
        String classes = NEGATIVE_NAMES_TEXT + " / " + POSITIVE_NAMES_TEXT;
        List<Path> subdirs = subdirectories(root);
        if (subdirs.isEmpty()) {
            throw new DataException(root, "no class directories; expected root/<class>/" + kind.pattern()
                    + " or root/<center>/<class>/" + kind.pattern() + " with classes " + classes);
        }
        long classDirs = subdirs.stream().filter(p -> classOf(name(p)) >= 0).count();
        List<Entry> entries = new ArrayList<>();
        if (classDirs == subdirs.size()) {
            String center = name(root.toAbsolutePath().normalize());
            addCenter(subdirs, center, kind, entries);
            return new Scan(entries, true);
        }
        if (classDirs > 0) {
            Path odd = subdirs.stream().filter(p -> classOf(name(p)) < 0).findFirst().orElseThrow();
            throw new DataException(odd, "unknown class directory '" + name(odd) + "' next to class directories; use"
                    + " root/<class>/ or root/<center>/<class>/ with classes " + classes);
        }
        for (Path c : subdirs) {
            List<Path> cls = subdirectories(c);
            if (cls.isEmpty()) {
                throw new DataException(c, "center directory has no class directories (" + classes + ")");
            }
            for (Path p : cls) {
                if (classOf(name(p)) < 0) {
                    throw new DataException(p, "unknown class directory '" + name(p) + "'; use one of "
                            + NEGATIVE_NAMES_TEXT + " (normal) or " + POSITIVE_NAMES_TEXT + " (lesion)");
                }
            }
            addCenter(cls, name(c), kind, entries);
        }
        return new Scan(entries, false);
    }

    private static void addCenter(List<Path> classDirs, String center, FileKind kind, List<Entry> out) {
        for (Path cls : classDirs) {
            int label = classOf(name(cls));
            List<Path> found;
            try (Stream<Path> s = kind.recursive() ? Files.walk(cls) : Files.list(cls)) {
                found = s.filter(Files::isRegularFile).filter(p -> !hidden(cls.relativize(p)))
                        .filter(kind.accepts()).sorted(Comparator.comparing(p -> cls.relativize(p).toString()))
                        .toList();
            } catch (IOException | UncheckedIOException e) {
                throw new DataException(cls, "cannot list directory", e);
            }
            if (found.isEmpty()) {
                throw new DataException(cls, "empty class: " + kind.noFiles());
            }
            for (Path f : found) {
                String rel = cls.relativize(f).toString().replace('\\', '/');
                out.add(new Entry(f, center, label, center + "/" + name(cls) + "/" + rel));
            }
        }
    }

    /**
     * The samples as one dataset whose centers are in name order (so that "the last center" is well defined),
     * checked to hold both classes.
     */
    static Dataset dataset(String name, Path root, List<Sample> samples) {
        List<String> centers = new ArrayList<>(new TreeSet<>(samples.stream().map(Sample::domainName).toList()));
        List<Sample> indexed = samples.stream().map(s -> s.withDomain(centers.indexOf(s.domainName()),
                s.domainName())).toList();
        Dataset ds = new Dataset(name, indexed, centers);
        int[] counts = ds.classCounts();
        if (counts[0] == 0 || counts[1] == 0) {
            throw new DataException(root, "single class: found " + counts[0] + " normal and " + counts[1]
                    + " lesion images; both classes are needed");
        }
        return ds;
    }

    /**
     * Splits a loaded tree. With two or more centers, the centers named in testCenters (or, if that is empty,
     * the last center in name order) form the target and the others the source. With a single center, a
     * stratified holdoutFraction of it (seeded) is the target, and any testCenters are refused (holding out the
     * only center leaves nothing to train on).
     */
    static DataBundle split(String kind, Path root, Dataset all, long seed, double holdoutFraction,
            List<String> testCenters) {
        if (all.numDomains() >= 2) {
            List<String> test = testCenters == null || testCenters.isEmpty()
                    ? List.of(all.domainNames().get(all.numDomains() - 1))
                    : DataSources.chooseTestCenters(all.domainNames(), testCenters);
            List<String> train = all.domainNames().stream().filter(n -> !test.contains(n)).toList();
            return new DataBundle(kind, all.onlyDomains(train).renamed(kind + "/source"),
                    all.onlyDomains(test).renamed(kind + "/target"));
        }
        if (testCenters != null && !testCenters.isEmpty()) {
            DataSources.chooseTestCenters(all.domainNames(), testCenters); // names the lone center in its refusal
        }
        Dataset.Split split = all.split(holdoutFraction, seed);
        return new DataBundle(kind, split.train().renamed(kind + "/source"),
                split.validation().renamed(kind + "/holdout"));
    }

    private static List<Path> subdirectories(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !name(p).startsWith("."))
                    .sorted(Comparator.comparing(FolderLayout::name)).toList();
        } catch (IOException e) {
            throw new DataException(dir, "cannot list directory", e);
        }
    }

    /** True when any part of a relative path starts with a dot. */
    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    static String name(Path p) {
        Path f = p.getFileName();
        return f == null ? p.toString() : f.toString();
    }
}
