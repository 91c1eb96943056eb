package org.dgquantum.data;

import static org.dgquantum.data.ReaderFuzzing.assertReadsOrFailsCleanly;
import static org.dgquantum.data.ReaderFuzzing.forAll;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.dgquantum.data.DicomTestWriter.Syntax;
import org.dgquantum.data.ReaderFuzzing.Gen;
import org.dgquantum.data.ReaderFuzzing.Mutation;
import org.dgquantum.data.ReaderFuzzing.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.TestInfo;

/**
 * Fuzz tests of {@link DicomReader#read}: mutated valid files of every supported transfer syntax (with
 * sequences, multi-frame, RGB, rescaling, without preamble), images whose attributes (Rows, Columns,
 * BitsAllocated, NumberOfFrames, ...) take corrupt values, and random bytes. Each read returns or fails with a
 * DataException (see {@link ReaderFuzzing#assertReadsOrFailsCleanly}).
 */
class DicomFuzzTest {
    /** Allocation allowed per byte of file: the file's bytes, an inflated copy, 4-byte floats of 8-bit pixels. */
    private static final long BYTES_PER_FILE_BYTE = 16;

    /** One directory for the whole class: every try writes its own file (see ReaderFuzzing). */
    @TempDir
    static Path dir;

    private static void assertDicomReadsOrFailsCleanly(byte[] bytes) throws IOException {
        assertReadsOrFailsCleanly(dir, ".dcm", bytes, BYTES_PER_FILE_BYTE, DicomReader::read);
    }

    /** Valid files that between them use every part of the reader. */
    private static final List<byte[]> VALID_FILES = validFiles();

    private static List<byte[]> validFiles() {
        DicomTestWriter item = DicomReaderTest.iconItem(Syntax.IMPLICIT);
        List<DicomTestWriter> files = List.of(
                DicomTestWriter.image(Syntax.EXPLICIT, 3, 4, 16, 12, false, "MONOCHROME2", 0, 1, 2, 3, 4, 5, 6, 7,
                        8, 9, 10, 4095)
                        .string(DicomReader.INSTITUTION, "LO", "St. Elsewhere")
                        .string(DicomReader.RESCALE_SLOPE, "DS", "0.5")
                        .string(DicomReader.RESCALE_INTERCEPT, "DS", "-10")
                        .sequence(0x00082112, "SQ", false, DicomReaderTest.iconItem(Syntax.EXPLICIT))
                        .sequence(0x00091010, "UN", false, item),
                DicomTestWriter.image(Syntax.IMPLICIT, 2, 3, 8, 8, true, "MONOCHROME1", -128, -1, 0, 1, 100, 127)
                        .sequence(0x00880200, "SQ", true, item).noPreamble(false),
                DicomTestWriter.image(Syntax.BIG, 2, 2, 32, 32, true, "MONOCHROME2", -70000, -1, 0, 70000)
                        .string(DicomReader.MANUFACTURER, "LO", "ACME"),
                DicomTestWriter.image(Syntax.DEFLATED, 2, 3, 16, 16, true, "MONOCHROME2", -32768, -1, 0, 1, 2, 32767)
                        .sequence(0x00082112, "SQ", false, DicomReaderTest.iconItem(Syntax.EXPLICIT)),
                new DicomTestWriter(Syntax.EXPLICIT).imageAttributes(2, 2, 3, 8, 8, false, "RGB")
                        .us(DicomReader.PLANAR_CONFIGURATION, 1).pixels(8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
                DicomTestWriter.image(Syntax.EXPLICIT, 1, 2, 8, 8, false, "MONOCHROME2", 1, 2, 3, 4, 5, 6)
                        .string(DicomReader.FRAMES, "IS", "3").noPreamble(true));
        return files.stream().map(DicomTestWriter::bytes).toList();
    }

    @Test
    void mutatedFilesReadOrFailCleanly(TestInfo test) {
        forAll(test, g -> {
            int file = g.between(0, VALID_FILES.size() - 1);
            List<Mutation> mutations = g.mutations();
            return new Sample("valid file " + file + ", " + mutations,
                    ReaderFuzzing.apply(VALID_FILES.get(file), mutations));
        }, DicomFuzzTest::assertDicomReadsOrFailsCleanly);
    }

    /** A US value, or (for the 32-bit path of the reader) a 4-byte UL one. */
    private record Number(int tag, long value, boolean fourBytes) {
        DicomTestWriter addTo(DicomTestWriter w, ByteOrder order) {
            return fourBytes ? w.raw(tag, "UL", ByteBuffer.allocate(4).order(order).putInt((int) value).array())
                    : w.us(tag, (int) value);
        }

        @Override
        public String toString() {
            return String.format("(%04X,%04X) %s %d", tag >>> 16, tag & 0xFFFF, fourBytes ? "UL" : "US", value);
        }
    }

    /** A US value, or sometimes (1 in 4) a 4-byte UL one. */
    private static Number number(Gen g, int tag, Function<Gen, Long> values) {
        return new Number(tag, values.apply(g), g.oneIn(4));
    }

    /** A size: mostly (2 in 3) 1 to 5, else a boundary value. */
    private static long size(Gen g) {
        return g.oneIn(3) ? g.boundaryNumber() : g.between(1L, 5L);
    }

    /**
     * An image whose attributes take valid, boundary and nonsense values (mostly valid ones: a corrupt attribute
     * is then seen past the checks of the others), with pixel data of any length.
     */
    private static Sample corruptAttributes(Gen g) {
        Syntax syntax = g.of(Syntax.values());
        List<Number> numbers = List.of(
                number(g, DicomReader.ROWS, DicomFuzzTest::size),
                number(g, DicomReader.COLUMNS, DicomFuzzTest::size),
                number(g, DicomReader.BITS_ALLOCATED, x -> x.mostly(y -> y.of(8L, 16L, 32L), 0L, 1L, 12L, 64L, 65535L)),
                number(g, DicomReader.BITS_STORED, x -> x.mostly(y -> y.of(8L, 12L, 16L), 0L, 1L, 33L, 65535L)),
                number(g, DicomReader.PIXEL_REPRESENTATION, x -> x.mostly(y -> y.of(0L, 1L), 2L, 65535L)),
                number(g, DicomReader.SAMPLES_PER_PIXEL, x -> x.mostly(y -> y.of(1L, 3L), 0L, 2L, 4L, 65535L)),
                number(g, DicomReader.PLANAR_CONFIGURATION, x -> x.mostly(y -> y.of(0L, 1L), 2L, 65535L)));
        List<String> texts = strings(g);
        byte[] pixels = g.randomBytes(200);
        return new Sample(syntax + " " + numbers + " " + texts + ", " + pixels.length + " pixel data bytes",
                image(syntax, numbers, texts, pixels));
    }

    /** PhotometricInterpretation, NumberOfFrames, RescaleSlope, RescaleIntercept ("": absent). */
    private static List<String> strings(Gen g) {
        String photometric = g.mostly(x -> x.of("MONOCHROME1", "MONOCHROME2", "RGB", ""), "rgb", "YBR_FULL",
                "PALETTE COLOR");
        String frames = g.mostly(x -> x.of("", "1", "2"), "0", "-1", "2147483647", "4294967297", "x", "3\\4", " 2 ");
        Function<Gen, String> decimal = x -> x.mostly(y -> y.of("", "1", "0.5", "-1024", "-0"), "NaN", "Infinity",
                "1e400", "abc", "2\\3");
        return List.of(photometric, frames, decimal.apply(g), decimal.apply(g));
    }

    private static byte[] image(Syntax syntax, List<Number> numbers, List<String> texts, byte[] pixels) {
        DicomTestWriter w = new DicomTestWriter(syntax);
        for (Number n : numbers) {
            w = n.addTo(w, syntax.order);
        }
        int[] textTags = {DicomReader.PHOTOMETRIC, DicomReader.FRAMES, DicomReader.RESCALE_SLOPE,
            DicomReader.RESCALE_INTERCEPT};
        String[] vrs = {"CS", "IS", "DS", "DS"};
        for (int i = 0; i < textTags.length; i++) {
            if (!texts.get(i).isEmpty()) {
                w = w.string(textTags[i], vrs[i], texts.get(i));
            }
        }
        return w.raw(DicomReader.PIXEL_DATA, "OB", pixels.length % 2 == 0 ? pixels : java.util.Arrays.copyOf(pixels,
                pixels.length + 1)).bytes();
    }

    @Test
    void corruptAttributesReadOrFailCleanly(TestInfo test) {
        forAll(test, DicomFuzzTest::corruptAttributes, DicomFuzzTest::assertDicomReadsOrFailsCleanly);
    }

    @Test
    void randomBytesReadOrFailCleanly(TestInfo test) {
        byte[] preamble = new byte[132];
        preamble[128] = 'D';
        preamble[129] = 'I';
        preamble[130] = 'C';
        preamble[131] = 'M';
        forAll(test, g -> switch (g.between(0, 3)) {
            case 0 -> new Sample("random bytes", g.randomBytes(400));
            case 1 -> new Sample("random bytes after a preamble and DICM", g.randomBytesAfter(preamble, 400));
            case 2 -> new Sample("random bytes after group 0008", g.randomBytesAfter(new byte[] {8, 0}, 400));
            default -> new Sample("random bytes after (0002,0010) UI",
                    g.randomBytesAfter(new byte[] {2, 0, 0x10, 0, 'U', 'I'}, 400));
        }, DicomFuzzTest::assertDicomReadsOrFailsCleanly);
    }

    // Inputs the fuzzers found (or that stand for a class of them), kept as examples.

    private static DataException readError(byte[] bytes) throws IOException {
        Path f = Files.write(dir.resolve("found.dcm"), bytes);
        return assertThrows(DataException.class, () -> DicomReader.read(f));
    }

    private static void assertMentions(DataException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
        }
    }

    @Test
    void frameCountWhoseProductOverflowsIsRefused() throws IOException {
        // 65535 x 65535 x 2 bytes x 2147483647 frames wraps to a negative long: the old check let it through.
        byte[] file = DicomTestWriter.image(Syntax.EXPLICIT, 65535, 65535, 16, 16, false, "MONOCHROME2", 1, 2)
                .string(DicomReader.FRAMES, "IS", "2147483647").bytes();
        assertMentions(readError(file), "found.dcm", "pixel data has 4 bytes", "65535 x 65535 x 1 x 2147483647 x 2");
    }

    @Test
    void deeplyNestedSequencesAreRefused() throws IOException {
        // Each level of undefined-length sequence and item is a recursion of the reader: 20 bytes a level.
        ByteArrayOutputStream nest = new ByteArrayOutputStream();
        ByteBuffer level = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x0008)
                .putShort((short) 0x1250).put((byte) 'S').put((byte) 'Q').putShort((short) 0).putInt(-1)
                .putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(-1);
        for (int i = 0; i < 100_000; i++) {
            nest.writeBytes(level.array());
        }
        byte[] head = new DicomTestWriter(Syntax.EXPLICIT).bytes();
        byte[] file = java.util.Arrays.copyOf(head, head.length + nest.size());
        System.arraycopy(nest.toByteArray(), 0, file, head.length, nest.size());
        assertMentions(readError(file), "found.dcm", "nested more than 64 deep");
    }

    @Test
    void nonFiniteRescaleSlopeIsRefused() throws IOException {
        byte[] file = DicomTestWriter.image(Syntax.EXPLICIT, 1, 2, 8, 8, false, "MONOCHROME2", 1, 2)
                .string(DicomReader.RESCALE_SLOPE, "DS", "NaN").bytes();
        assertMentions(readError(file), "found.dcm", "(0028,1053)", "'NaN'");
    }
}
