package org.dgquantum.trainer.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Images from folders, either {@code root/<class>/*.png|jpg|...} (one center, named after root) or
 * {@code root/<center>/<class>/...}. Class directory names (case-insensitive): normal class
 * {@value #NEGATIVE_NAMES_TEXT}; lesion class {@value #POSITIVE_NAMES_TEXT}. Images are read with ImageIO,
 * converted to grayscale (8/16-bit gray kept exactly, colour via luminance), scaled to [0, 1] and resized to
 * size x size (area averaging when shrinking). Hidden files and files with other extensions are ignored.
 */
public final class ImageFolderSource {
    static final String NEGATIVE_NAMES_TEXT = FolderLayout.NEGATIVE_NAMES_TEXT;
    static final String POSITIVE_NAMES_TEXT = FolderLayout.POSITIVE_NAMES_TEXT;
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");
    private static final FolderLayout.FileKind IMAGES = new FolderLayout.FileKind(
            p -> EXTENSIONS.contains(extension(p)), false, "*.png|jpg",
            "no images (" + String.join(", ", EXTENSIONS.stream().sorted().toList()) + ")");

    private ImageFolderSource() {
    }

    /** 0 or 1 for a class directory name, -1 if it is not one. */
    public static int classOf(String dirName) {
        return FolderLayout.classOf(dirName);
    }

    /**
     * Loads a folder tree and splits it. With two or more centers, the centers named in testCenters (or, if
     * that is empty, the last center in name order) form the target and the others the source. With a single
     * center, a stratified holdoutFraction of it (seeded) is the target.
     */
    public static DataBundle load(Path root, int size, long seed, double holdoutFraction, List<String> testCenters) {
        return FolderLayout.split("folder", root, loadAll(root, size), seed, holdoutFraction, testCenters);
    }

    /** Every image under root, with centers from the layout. */
    public static Dataset loadAll(Path root, int size) {
        List<Sample> samples = FolderLayout.scan(root, IMAGES).entries().parallelStream()
                .map(e -> new Sample(e.id(), e.label(), 0, e.center(), size, size, readGray(e.file(), size)))
                .toList();
        return FolderLayout.dataset("folder:" + root, root, samples);
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

    private static String extension(Path p) {
        String n = FolderLayout.name(p);
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
