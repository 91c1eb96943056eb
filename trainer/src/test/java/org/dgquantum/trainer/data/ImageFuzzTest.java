package org.dgquantum.trainer.data;

import static org.dgquantum.trainer.data.ReaderFuzzing.assertReadsOrFailsCleanly;
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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

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

    private static Path dir;

    @BeforeContainer
    static void createDirAndInitializeImageIo() throws IOException {
        dir = ReaderFuzzing.tempDir("image-fuzz");
        for (Seed s : SEEDS) { // ImageIO's first use loads its plugins: not an allocation of the read
            ImageFolderSource.readGray(Files.write(dir.resolve("seed." + s.format()), s.bytes()), 8);
        }
    }

    @AfterContainer
    static void deleteDir() throws IOException {
        ReaderFuzzing.delete(dir);
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

    @Provide
    Arbitrary<Seed> seeds() {
        return Arbitraries.of(SEEDS);
    }

    @Provide
    Arbitrary<List<ReaderFuzzing.Mutation>> mutations() {
        return ReaderFuzzing.mutations();
    }

    @Property
    void mutatedFilesReadOrFailCleanly(@ForAll("seeds") Seed seed,
            @ForAll("mutations") List<ReaderFuzzing.Mutation> mutations) throws IOException {
        assertImageReadsOrFailsCleanly(ReaderFuzzing.apply(seed.bytes(), mutations));
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

    /** Sizes an image header may declare: small, large, the largest a field holds, negative. */
    private static Arbitrary<Long> sizes() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 20),
                Arbitraries.of(1000L, 4096L, 10_000L, 20_000L, 46_341L, 65_535L, 100_000L, 1L << 20, 1L << 30),
                ReaderFuzzing.boundaryNumbers());
    }

    @Property
    void declaredDimensionsReadOrFailCleanly(@ForAll("seeds") Seed seed, @ForAll("dimensionSizes") List<Long> sizes)
            throws IOException {
        List<Dimension> dims = dimensions(seed);
        List<ReaderFuzzing.Mutation> set = new ArrayList<>();
        for (int i = 0; i < dims.size(); i++) {
            Dimension d = dims.get(i);
            set.add(new ReaderFuzzing.SetNumber(d.offset(), sizes.get(i % sizes.size()), d.width(), d.bigEndian()));
        }
        assertImageReadsOrFailsCleanly(ReaderFuzzing.apply(seed.bytes(), set));
    }

    /** One size for each dimension field (width and height; a GIF's screen and image). */
    @Provide
    Arbitrary<List<Long>> dimensionSizes() {
        return sizes().list().ofSize(4);
    }

    @Provide
    Arbitrary<byte[]> randomFiles() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        return Arbitraries.oneOf(ReaderFuzzing.randomBytes(400), ReaderFuzzing.randomBytesAfter(png, 400),
                ReaderFuzzing.randomBytesAfter(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, 400),
                ReaderFuzzing.randomBytesAfter(new byte[] {'B', 'M'}, 400),
                ReaderFuzzing.randomBytesAfter("GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 400));
    }

    @Property
    void randomBytesReadOrFailCleanly(@ForAll("randomFiles") byte[] file) throws IOException {
        assertImageReadsOrFailsCleanly(file);
    }

    // An input the fuzzers found, kept as an example.

    @Example
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
