package org.dgquantum.data;

import static org.dgquantum.data.ReaderFuzzing.assertReadsOrFailsCleanly;
import static org.dgquantum.data.ReaderFuzzing.forAll;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.dgquantum.data.ReaderFuzzing.Gen;
import org.dgquantum.data.ReaderFuzzing.Mutation;
import org.dgquantum.data.ReaderFuzzing.Sample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.TestInfo;

/**
 * Fuzz tests of the image files an image folder holds, read by {@link ImageFolderSource#readGray} through
 * ImageIO: mutated PNG (8-bit gray, 16-bit gray, RGB), JPEG (gray, RGB), BMP and GIF files, files whose header
 * declares other widths and heights, and random bytes. Each read returns or fails with a DataException (see
 * {@link ReaderFuzzing#assertReadsOrFailsCleanly}).
 */
class ImageFuzzTest {
    /**
     * Allocation allowed per byte of file: up to MAX_PIXELS_PER_FILE_BYTE pixels, each decoded (up to 8 bytes
     * for 16-bit RGB), as gray floats (4) and resized.
     */
    private static final long BYTES_PER_FILE_BYTE = 16 * ImageFolderSource.MAX_PIXELS_PER_FILE_BYTE;

    /** One directory for the whole class: every try writes its own file (see ReaderFuzzing). */
    @TempDir
    static Path dir;

    @BeforeAll
    static void initializeImageIo() throws IOException {
        for (Seed s : SEEDS) { // ImageIO's first use loads its plugins: not an allocation of the read
            ImageFolderSource.readGray(Files.write(dir.resolve("seed." + s.format()), s.bytes()), 8);
        }
    }

    /** A valid image file in one format. */
    record Seed(String format, int type, byte[] bytes) {
        @Override
        public String toString() {
            return "Seed[" + format + ", type " + type + ", " + bytes.length + " bytes]";
        }
    }

    private static Seed seed(String format, int type) {
        BufferedImage img = new BufferedImage(12, 9, type);
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 12; x++) {
                int v = (x * 21 + y * 13) & 0xff;
                if (type == BufferedImage.TYPE_INT_RGB) {
                    img.setRGB(x, y, v << 16 | (255 - v) << 8 | (v * 7 & 0xff));
                } else {
                    img.getRaster().setSample(x, y, 0, type == BufferedImage.TYPE_USHORT_GRAY ? v * 257 : v);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format + " type " + type);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Seed(format, type, out.toByteArray());
    }

    private static final List<Seed> SEEDS = List.of(seed("png", BufferedImage.TYPE_BYTE_GRAY),
            seed("png", BufferedImage.TYPE_USHORT_GRAY), seed("png", BufferedImage.TYPE_INT_RGB),
            seed("jpg", BufferedImage.TYPE_BYTE_GRAY), seed("jpg", BufferedImage.TYPE_INT_RGB),
            seed("bmp", BufferedImage.TYPE_INT_RGB), seed("gif", BufferedImage.TYPE_INT_RGB));

    private static void assertImageReadsOrFailsCleanly(byte[] bytes) throws IOException {
        assertReadsOrFailsCleanly(dir, ".png", bytes, BYTES_PER_FILE_BYTE, f -> ImageFolderSource.readGray(f, 8));
    }

    @Test
    void mutatedFilesReadOrFailCleanly(TestInfo test) {
        forAll(test, g -> {
            Seed seed = g.of(SEEDS);
            List<Mutation> mutations = g.mutations();
            return new Sample(seed + ", " + mutations, ReaderFuzzing.apply(seed.bytes(), mutations));
        }, ImageFuzzTest::assertImageReadsOrFailsCleanly);
    }

    /** Where a format's header holds the width and height: offset, size in bytes, byte order. */
    record Dimension(int offset, int width, boolean bigEndian) {
    }

    static List<Dimension> dimensions(Seed s) {
        byte[] b = s.bytes();
        List<Dimension> out = new ArrayList<>();
        switch (s.format()) {
            case "png" -> { // IHDR: width, height
                out.add(new Dimension(16, 4, true));
                out.add(new Dimension(20, 4, true));
            }
            case "bmp" -> { // BITMAPINFOHEADER: width, height (negative: top-down)
                out.add(new Dimension(18, 4, false));
                out.add(new Dimension(22, 4, false));
            }
            case "gif" -> { // logical screen; the image descriptor follows the colour table and extensions
                out.add(new Dimension(6, 2, false));
                out.add(new Dimension(8, 2, false));
                for (int i = 13; i + 9 < b.length; i++) {
                    if (b[i] == 0x2C && b[i - 1] == 0) { // ',' after a block terminator
                        out.add(new Dimension(i + 5, 2, false));
                        out.add(new Dimension(i + 7, 2, false));
                        break;
                    }
                }
            }
            default -> { // JPEG: the frame header (SOF0 or SOF2): height, width
                for (int i = 0; i + 8 < b.length; i++) {
                    if ((b[i] & 0xff) == 0xFF && ((b[i + 1] & 0xff) == 0xC0 || (b[i + 1] & 0xff) == 0xC2)) {
                        out.add(new Dimension(i + 5, 2, true));
                        out.add(new Dimension(i + 7, 2, true));
                        break;
                    }
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no dimensions found in " + s);
        }
        return out;
    }

    /** A size an image header may declare: small, large, the largest a field holds, negative. */
    private static long size(Gen g) {
        return g.oneOf(x -> x.between(0L, 20L),
                x -> x.of(1000L, 4096L, 10_000L, 20_000L, 46_341L, 65_535L, 100_000L, 1L << 20, 1L << 30),
                Gen::boundaryNumber);
    }

    /** Each dimension field (width and height; a GIF's screen and image) of a valid file set to a size. */
    @Test
    void declaredDimensionsReadOrFailCleanly(TestInfo test) {
        forAll(test, g -> {
            Seed seed = g.of(SEEDS);
            List<Dimension> dims = dimensions(seed);
            List<ReaderFuzzing.Mutation> set = new ArrayList<>();
            for (Dimension d : dims) {
                set.add(new ReaderFuzzing.SetNumber(d.offset(), size(g), d.width(), d.bigEndian()));
            }
            return new Sample(seed + ", " + set, ReaderFuzzing.apply(seed.bytes(), set));
        }, ImageFuzzTest::assertImageReadsOrFailsCleanly);
    }

    @Test
    void randomBytesReadOrFailCleanly(TestInfo test) {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        forAll(test, g -> switch (g.between(0, 4)) {
            case 0 -> new Sample("random bytes", g.randomBytes(400));
            case 1 -> new Sample("random bytes after a PNG signature", g.randomBytesAfter(png, 400));
            case 2 -> new Sample("random bytes after a JPEG SOI", g.randomBytesAfter(new byte[] {(byte) 0xFF,
                (byte) 0xD8, (byte) 0xFF}, 400));
            case 3 -> new Sample("random bytes after BM", g.randomBytesAfter(new byte[] {'B', 'M'}, 400));
            default -> new Sample("random bytes after GIF89a",
                    g.randomBytesAfter("GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 400));
        }, ImageFuzzTest::assertImageReadsOrFailsCleanly);
    }

    // An input the fuzzers found, kept as an example.

    @Test
    void headerDeclaringMorePixelsThanTheFileHoldsIsRefused() throws IOException {
        Seed png = SEEDS.get(0);
        byte[] b = ReaderFuzzing.apply(png.bytes(), List.of(new ReaderFuzzing.SetNumber(16, 30_000, 4, true),
                new ReaderFuzzing.SetNumber(20, 30_000, 4, true))); // IHDR width and height
        Path f = Files.write(dir.resolve("found.png"), b);
        DataException e = assertThrows(DataException.class, () -> ImageFolderSource.readGray(f, 8));
        assertTrue(e.getMessage().contains("found.png: corrupt image header: 30000 x 30000 pixels in a file of "
                + b.length + " bytes"), e.getMessage());
    }
}
