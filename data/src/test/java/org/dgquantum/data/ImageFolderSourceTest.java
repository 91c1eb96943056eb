package org.dgquantum.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderSourceTest {
    @TempDir
    Path root;

    /** A w x h image of constant gray level (RGB or 8-bit gray). */
    static void image(Path file, int w, int h, int level, boolean rgb, String format) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, rgb ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (rgb) {
                    img.setRGB(x, y, (level << 16) | (level << 8) | level);
                } else {
                    img.getRaster().setSample(x, y, 0, level);
                }
            }
        }
        assertTrue(ImageIO.write(img, format, file.toFile()));
    }

    @Test
    void flatLayoutIsOneCenterWithAHoldout() throws IOException {
        for (int i = 0; i < 5; i++) {
            image(root.resolve("normal/n" + i + ".png"), 20, 10, 51, false, "png");
            image(root.resolve("lesion/l" + i + ".jpg"), 30, 30, 204, true, "jpg");
        }
        Files.writeString(root.resolve("normal/readme.txt"), "ignored");
        Files.writeString(root.resolve("lesion/.hidden.png"), "ignored");
        Dataset all = ImageFolderSource.loadAll(root, 16);
        assertEquals(10, all.size());
        assertArrayEquals(new int[] {5, 5}, all.classCounts());
        assertEquals(1, all.numDomains());
        for (Sample s : all.samples()) {
            assertEquals(16, s.height());
            assertEquals(s.isLesion() ? 0.8 : 0.2, ImageOps.mean(s.pixels()), 0.02, s.id());
        }
        DataBundle b = ImageFolderSource.load(root, 16, 1, 0.2, List.of());
        assertArrayEquals(new int[] {1, 1}, b.target().classCounts());
        assertArrayEquals(new int[] {4, 4}, b.source().classCounts());
    }

    @Test
    void centerLayoutHoldsOutTheLastOrNamedCenters() throws IOException {
        for (String c : List.of("siteA", "siteB", "siteC")) {
            for (int i = 0; i < 2; i++) {
                image(root.resolve(c + "/0/" + i + ".png"), 8, 8, 10, false, "png");
                image(root.resolve(c + "/1/" + i + ".png"), 8, 8, 200, false, "png");
            }
        }
        DataBundle b = ImageFolderSource.load(root, 8, 1, 0.2, List.of());
        assertEquals(List.of("siteA", "siteB"), b.source().domainNames());
        assertEquals(List.of("siteC"), b.target().domainNames());
        DataBundle named = ImageFolderSource.load(root, 8, 1, 0.2, List.of("siteA"));
        assertEquals(List.of("siteB", "siteC"), named.source().domainNames());
        assertEquals(4, named.target().size());
        assertEquals(200 / 255.0, named.target().samples().stream().filter(Sample::isLesion).findFirst().orElseThrow()
                .pixel(3, 3), 1e-6);
    }

    @Test
    void chosenTestCentersAreCheckedAgainstTheFolders() throws IOException {
        for (String c : List.of("siteA", "siteB", "siteC")) {
            for (int i = 0; i < 2; i++) {
                image(root.resolve(c + "/normal/" + i + ".png"), 8, 8, 10, false, "png");
                image(root.resolve(c + "/lesion/" + i + ".png"), 8, 8, 200, false, "png");
            }
        }
        DataBundle b = ImageFolderSource.load(root, 8, 1, 0.2, List.of("siteC", "siteA"));
        assertEquals(List.of("siteB"), b.source().domainNames());
        assertEquals(List.of("siteA", "siteC"), b.target().domainNames());
        assertEquals(4, b.source().size());
        assertEquals(8, b.target().size());
        DataException unknown = assertThrows(DataException.class,
                () -> ImageFolderSource.load(root, 8, 1, 0.2, List.of("siteD")));
        assertEquals("--test-centers siteD: unknown center (expected some of siteA, siteB, siteC)",
                unknown.getMessage());
        DataException all = assertThrows(DataException.class,
                () -> ImageFolderSource.load(root, 8, 1, 0.2, List.of("siteA", "siteB", "siteC")));
        assertTrue(all.getMessage().contains("holds out every center"), all.getMessage());
        // A flat folder is one center named after the root: holding it out leaves nothing to train on.
        Path flat = root.resolve("siteA");
        DataException lone = assertThrows(DataException.class,
                () -> ImageFolderSource.load(flat, 8, 1, 0.2, List.of("siteA")));
        assertTrue(lone.getMessage().contains("holds out every center"), lone.getMessage());
        DataException other = assertThrows(DataException.class,
                () -> ImageFolderSource.load(flat, 8, 1, 0.2, List.of("siteB")));
        assertEquals("--test-centers siteB: unknown center (expected some of siteA)", other.getMessage());
    }

    private void assertError(Path expectedFile, String expected) {
        DataException e = assertThrows(DataException.class, () -> ImageFolderSource.loadAll(root, 8));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(expectedFile.toString()), e.getMessage());
    }

    @Test
    void missingDirectory() {
        DataException e = assertThrows(DataException.class, () -> ImageFolderSource.loadAll(root.resolve("nope"), 8));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void noClassDirectories() {
        assertError(root, "no class directories");
    }

    @Test
    void emptyClass() throws IOException {
        image(root.resolve("normal/a.png"), 8, 8, 1, false, "png");
        Files.createDirectories(root.resolve("lesion"));
        assertError(root.resolve("lesion"), "empty class");
    }

    @Test
    void singleClass() throws IOException {
        image(root.resolve("normal/a.png"), 8, 8, 1, false, "png");
        assertError(root, "single class");
    }

    @Test
    void unreadableImage() throws IOException {
        image(root.resolve("normal/a.png"), 8, 8, 1, false, "png");
        image(root.resolve("lesion/b.png"), 8, 8, 1, false, "png");
        Path bad = root.resolve("lesion/broken.png");
        Files.writeString(bad, "this is not a png");
        assertError(bad, "unreadable image");
    }

    @Test
    void unknownOrMixedClassDirectories() throws IOException {
        image(root.resolve("normal/a.png"), 8, 8, 1, false, "png");
        image(root.resolve("weird/b.png"), 8, 8, 1, false, "png");
        assertError(root.resolve("weird"), "unknown class directory 'weird'");
    }

    @Test
    void unknownClassInsideACenter() throws IOException {
        image(root.resolve("siteA/normal/a.png"), 8, 8, 1, false, "png");
        image(root.resolve("siteA/sick/b.png"), 8, 8, 1, false, "png");
        assertError(root.resolve("siteA/sick"), "unknown class directory 'sick'");
    }
}
