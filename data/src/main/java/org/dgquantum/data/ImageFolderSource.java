package org.dgquantum.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

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

    /**
     * Pixels an image file may declare per byte of file. Deflate (PNG) compresses at most 1032:1 and JPEG far
     * less, so a header declaring more is corrupt (or the image degenerate, such as a constant 1-bit one); it
     * is refused before decoding, which would allocate for every declared pixel.
     */
    static final long MAX_PIXELS_PER_FILE_BYTE = 1100;

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
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DataException(file, "unreadable image: not a format ImageIO can decode (png, jpg, bmp, gif)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                long bytes = Files.size(file);
                if ((long) w * h > MAX_PIXELS_PER_FILE_BYTE * bytes) {
                    throw new DataException(file, "corrupt image header: " + w + " x " + h + " pixels in a file of "
                            + bytes + " bytes (at most " + MAX_PIXELS_PER_FILE_BYTE + " pixels a byte)");
                }
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (DataException e) {
            throw e;
        } catch (IOException | RuntimeException e) { // ImageIO's decoders throw both on corrupt files
            throw new DataException(file, "unreadable image", e);
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
