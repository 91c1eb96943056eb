package org.dgquantum.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.dgquantum.data.DicomTestWriter.Syntax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class DicomReaderTest {
    @TempDir
    Path dir;

    /** Six stored values spanning the range of each pixel format, including both extremes. */
    static long[] values(int bits, boolean signed) {
        return switch (bits * (signed ? -1 : 1)) {
            case 8 -> new long[] {0, 1, 127, 128, 200, 255};
            case -8 -> new long[] {-128, -1, 0, 1, 100, 127};
            case 16 -> new long[] {0, 1, 255, 256, 40000, 65535};
            case -16 -> new long[] {-32768, -1000, -1, 0, 1234, 32767};
            case 32 -> new long[] {0, 1, 65536, 1 << 24, 3_000_000_000L, 0xFFFFFFFFL};
            default -> new long[] {Integer.MIN_VALUE, -70000, -1, 0, 70000, Integer.MAX_VALUE};
        };
    }

    static float[] floats(long... v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i];
        }
        return f;
    }

    @ParameterizedTest(name = "{0}, {1} bits, signed={2}")
    @CsvSource({
        "IMPLICIT, 8, false", "IMPLICIT, 8, true", "IMPLICIT, 16, false", "IMPLICIT, 16, true",
        "EXPLICIT, 8, false", "EXPLICIT, 8, true", "EXPLICIT, 16, false", "EXPLICIT, 16, true",
        "EXPLICIT, 32, false", "EXPLICIT, 32, true",
        "BIG, 8, true", "BIG, 16, false", "BIG, 16, true", "BIG, 32, true",
        "DEFLATED, 8, false", "DEFLATED, 16, true"})
    void decodesStoredValuesExactly(Syntax syntax, int bits, boolean signed) throws IOException {
        long[] v = values(bits, signed);
        Path f = DicomTestWriter.image(syntax, 2, 3, bits, bits, signed, "MONOCHROME2", v).write(dir.resolve("a.dcm"));
        DicomReader.Image img = DicomReader.read(f);
        assertEquals(syntax.uid, img.transferSyntax());
        assertEquals(2, img.rows());
        assertEquals(3, img.columns());
        assertEquals(bits, img.bitsAllocated());
        assertEquals(signed, img.signed());
        assertArrayEquals(floats(v), img.pixels());
    }

    @Test
    void masksToBitsStoredAndSignExtends() throws IOException {
        // 12 of 16 bits: the top 4 bits are garbage the reader must drop before sign extension.
        long[] stored = {0x0FFF, 0x0800, 0x07FF, 0xF123, 0x0000, 0xA001};
        Path f = DicomTestWriter.image(Syntax.EXPLICIT, 1, 6, 16, 12, true, "MONOCHROME2", stored)
                .write(dir.resolve("b12.dcm"));
        assertArrayEquals(floats(-1, -2048, 2047, 0x123, 0, 1), DicomReader.read(f).pixels());
        Path u = DicomTestWriter.image(Syntax.IMPLICIT, 1, 6, 16, 12, false, "MONOCHROME2", stored)
                .write(dir.resolve("u12.dcm"));
        assertArrayEquals(floats(4095, 2048, 2047, 0x123, 0, 1), DicomReader.read(u).pixels());
    }

    @Test
    void monochrome1IsMirroredWithinTheStoredRange() throws IOException {
        Path u8 = DicomTestWriter.image(Syntax.EXPLICIT, 1, 3, 8, 8, false, "MONOCHROME1", 0, 55, 255)
                .write(dir.resolve("m1-u8.dcm"));
        assertArrayEquals(floats(255, 200, 0), DicomReader.read(u8).pixels());
        Path u12 = DicomTestWriter.image(Syntax.IMPLICIT, 1, 3, 16, 12, false, "MONOCHROME1", 0, 1000, 4095)
                .write(dir.resolve("m1-u12.dcm"));
        assertArrayEquals(floats(4095, 3095, 0), DicomReader.read(u12).pixels());
        Path s16 = DicomTestWriter.image(Syntax.EXPLICIT, 1, 3, 16, 16, true, "MONOCHROME1", -32768, 0, 32767)
                .write(dir.resolve("m1-s16.dcm"));
        DicomReader.Image img = DicomReader.read(s16);
        assertEquals("MONOCHROME1", img.photometric());
        assertArrayEquals(floats(32767, -1, -32768), img.pixels());
    }

    @ParameterizedTest
    @EnumSource(value = Syntax.class, names = {"IMPLICIT", "EXPLICIT", "BIG"})
    void appliesRescaleSlopeAndIntercept(Syntax syntax) throws IOException {
        Path ct = DicomTestWriter.image(syntax, 1, 4, 16, 16, true, "MONOCHROME2", -2000, 0, 1024, 3071)
                .string(DicomReader.RESCALE_INTERCEPT, "DS", "-1024").string(DicomReader.RESCALE_SLOPE, "DS", "1")
                .write(dir.resolve("ct.dcm"));
        assertArrayEquals(floats(-3024, -1024, 0, 2047), DicomReader.read(ct).pixels());
        // Slope after MONOCHROME1 mirroring: stored 10 -> 245 -> 0.5 * 245 + 10.
        Path m1 = DicomTestWriter.image(syntax, 1, 2, 8, 8, false, "MONOCHROME1", 10, 255)
                .string(DicomReader.RESCALE_INTERCEPT, "DS", "10 ").string(DicomReader.RESCALE_SLOPE, "DS", "0.5")
                .write(dir.resolve("m1.dcm"));
        DicomReader.Image img = DicomReader.read(m1);
        assertEquals(0.5, img.slope());
        assertEquals(10, img.intercept());
        assertArrayEquals(new float[] {132.5f, 10f}, img.pixels());
    }

    /** An item with its own Rows, Columns and PixelData (an icon) and a nested sequence of undefined length. */
    static DicomTestWriter iconItem(Syntax syntax) {
        DicomTestWriter inner = new DicomTestWriter(syntax).string(0x00080100, "SH", "CODE");
        return new DicomTestWriter(syntax).string(0x00080104, "LO", "nested")
                .sequence(0x00081250, "SQ", false, inner, inner)
                .us(DicomReader.ROWS, 99).us(DicomReader.COLUMNS, 99).us(DicomReader.BITS_ALLOCATED, 8)
                .pixels(8, 7, 7, 7, 7);
    }

    @ParameterizedTest
    @EnumSource(value = Syntax.class, names = {"IMPLICIT", "EXPLICIT", "BIG"})
    void skipsUndefinedLengthSequencesBeforeThePixelData(Syntax syntax) throws IOException {
        DicomTestWriter w = new DicomTestWriter(syntax).string(DicomReader.MANUFACTURER, "LO", "ACME")
                .sequence(0x00082112, "SQ", false, iconItem(syntax), iconItem(syntax))
                .imageAttributes(2, 2, 1, 16, 16, false, "MONOCHROME2")
                .sequence(0x00880200, "SQ", true, iconItem(syntax)) // defined-length item
                .pixels(16, 1, 2, 3, 4);
        if (syntax.explicit) { // UN of undefined length: its content is implicit VR little endian
            w.sequence(0x00091010, "UN", false, iconItem(Syntax.IMPLICIT));
        }
        DicomReader.Image img = DicomReader.read(w.write(dir.resolve("seq.dcm")));
        assertEquals(2, img.rows());
        assertEquals(2, img.columns());
        assertEquals("ACME", img.manufacturer());
        assertArrayEquals(floats(1, 2, 3, 4), img.pixels());
    }

    @Test
    void skipsAnUndefinedLengthUnElementInExplicitVr() throws IOException {
        Path f = new DicomTestWriter(Syntax.EXPLICIT).sequence(0x00091010, "UN", false, iconItem(Syntax.IMPLICIT))
                .imageAttributes(1, 2, 1, 8, 8, false, "MONOCHROME2").pixels(8, 5, 6).write(dir.resolve("un.dcm"));
        assertArrayEquals(floats(5, 6), DicomReader.read(f).pixels());
    }

    @Test
    void multiFrameDecodesTheMiddleFrame() throws IOException {
        Path f = new DicomTestWriter(Syntax.EXPLICIT).string(DicomReader.FRAMES, "IS", "3")
                .imageAttributes(1, 2, 1, 8, 8, false, "MONOCHROME2").pixels(8, 1, 2, 30, 40, 5, 6)
                .write(dir.resolve("cine.dcm"));
        DicomReader.Image img = DicomReader.read(f);
        assertEquals(3, img.frames());
        assertEquals(1, img.frame());
        assertArrayEquals(floats(30, 40), img.pixels());
    }

    @ParameterizedTest(name = "planar={0}")
    @CsvSource({"0", "1"})
    void rgbBecomesLuminance(int planar) throws IOException {
        long[] interleaved = {100, 50, 10, 0, 0, 255};
        long[] planes = {100, 0, 50, 0, 10, 255};
        Path f = new DicomTestWriter(Syntax.EXPLICIT).imageAttributes(1, 2, 3, 8, 8, false, "RGB")
                .us(DicomReader.PLANAR_CONFIGURATION, planar).pixels(8, planar == 1 ? planes : interleaved)
                .write(dir.resolve("rgb.dcm"));
        DicomReader.Image img = DicomReader.read(f);
        assertArrayEquals(new float[] {(float) (0.299 * 100 + 0.587 * 50 + 0.114 * 10), (float) (0.114 * 255)},
                img.pixels());
    }

    @Test
    void readsFilesWithoutPreamble() throws IOException {
        // A bare implicit VR data set, as old tools wrote them: it starts with (0008,0060), no preamble, no meta.
        Path bare = new DicomTestWriter(Syntax.IMPLICIT).string(0x00080060, "CS", "MR")
                .imageAttributes(1, 2, 1, 16, 16, false, "MONOCHROME2").pixels(16, 7, 65535).noPreamble(false)
                .write(dir.resolve("bare"));
        assertFalse(DicomReader.hasMagic(bare));
        assertArrayEquals(floats(7, 65535), DicomReader.read(bare).pixels());
        Path withMeta = DicomTestWriter.image(Syntax.EXPLICIT, 1, 2, 8, 8, true, "MONOCHROME2", -5, 5)
                .noPreamble(true).write(dir.resolve("meta-only.dcm"));
        assertArrayEquals(floats(-5, 5), DicomReader.read(withMeta).pixels());
    }

    @Test
    void readsSiteAttributes() throws IOException {
        Path f = new DicomTestWriter(Syntax.EXPLICIT).string(DicomReader.MANUFACTURER, "LO", "Maker")
                .string(DicomReader.INSTITUTION, "LO", "St. Elsewhere ").string(DicomReader.STATION, "SH", "CT01")
                .imageAttributes(1, 1, 1, 8, 8, false, "MONOCHROME2").pixels(8, 0).write(dir.resolve("site.dcm"));
        DicomReader.Image img = DicomReader.read(f);
        assertEquals("St. Elsewhere", img.institution());
        assertEquals("Maker", img.manufacturer());
        assertEquals("CT01", img.station());
        assertEquals("St. Elsewhere", img.site());
        Path noInstitution = new DicomTestWriter(Syntax.IMPLICIT).string(DicomReader.MANUFACTURER, "LO", "Maker")
                .string(DicomReader.STATION, "SH", "CT01").imageAttributes(1, 1, 1, 8, 8, false, "MONOCHROME2")
                .pixels(8, 0).write(dir.resolve("site2.dcm"));
        assertEquals("Maker CT01", DicomReader.read(noInstitution).site());
    }

    // ------------------------------------------------------------------------------------------- errors

    private static void assertError(Path file, String... expected) {
        DataException e = assertThrows(DataException.class, () -> DicomReader.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertEquals(file, e.file().orElseThrow());
        for (String s : expected) {
            assertTrue(e.getMessage().contains(s), e.getMessage());
        }
    }

    @Test
    void compressedTransferSyntaxIsRefusedByName() throws IOException {
        Path f = DicomTestWriter.image(Syntax.EXPLICIT, 1, 2, 8, 8, false, "MONOCHROME2", 1, 2)
                .transferSyntax("1.2.840.10008.1.2.4.50").write(dir.resolve("jpeg.dcm"));
        assertError(f, "1.2.840.10008.1.2.4.50", "JPEG Baseline", "compressed", "only uncompressed DICOM is supported");
        Path unknown = DicomTestWriter.image(Syntax.EXPLICIT, 1, 2, 8, 8, false, "MONOCHROME2", 1, 2)
                .transferSyntax("1.2.3.4").write(dir.resolve("odd.dcm"));
        assertError(unknown, "unsupported transfer syntax 1.2.3.4", "only uncompressed DICOM is supported");
    }

    @Test
    void encapsulatedPixelDataIsRefusedEvenUnderAnUncompressedSyntax() throws IOException {
        Path f = new DicomTestWriter(Syntax.EXPLICIT).imageAttributes(1, 2, 1, 8, 8, false, "MONOCHROME2")
                .rawHeader(DicomReader.PIXEL_DATA, "OB", DicomReader.UNDEFINED).write(dir.resolve("encaps.dcm"));
        assertError(f, "encapsulated", "only uncompressed DICOM is supported");
    }

    @Test
    void truncatedPixelData() throws IOException {
        byte[] full = DicomTestWriter.image(Syntax.EXPLICIT, 4, 4, 16, 16, false, "MONOCHROME2", new long[16])
                .bytes();
        Path f = dir.resolve("cut.dcm");
        Files.write(f, Arrays.copyOf(full, full.length - 5));
        assertError(f, "truncated DICOM file", "pixel data (7FE0,0010)", "needs 32 bytes, only 27 remain");
    }

    @Test
    void pixelDataShorterThanTheImage() throws IOException {
        Path f = new DicomTestWriter(Syntax.EXPLICIT).imageAttributes(2, 2, 1, 16, 16, false, "MONOCHROME2")
                .pixels(16, 1, 2, 3).write(dir.resolve("short.dcm"));
        assertError(f, "pixel data has 6 bytes", "2 x 2 x 1 x 1 x 2 = 8 are needed");
    }

    @Test
    void truncatedInsideASequence() throws IOException {
        byte[] full = new DicomTestWriter(Syntax.IMPLICIT).sequence(0x00082112, "SQ", false, iconItem(Syntax.IMPLICIT))
                .imageAttributes(1, 1, 1, 8, 8, false, "MONOCHROME2").pixels(8, 1).bytes();
        Path f = dir.resolve("cut-seq.dcm");
        int inner = new String(full, StandardCharsets.ISO_8859_1).indexOf("CODE"); // inside the nested sequence
        Files.write(f, Arrays.copyOf(full, inner + 2));
        assertError(f, "truncated DICOM file");
    }

    @Test
    void notADicomFile() throws IOException {
        Path f = Files.writeString(dir.resolve("notes.dcm"), "this is not a DICOM file at all, just some text");
        assertError(f, "not a DICOM file");
        Path png = dir.resolve("x.png");
        ImageFolderSourceTest.image(png, 4, 4, 9, false, "png");
        assertError(png, "not a DICOM file");
        assertFalse(DicomReader.hasMagic(png));
        Path tiny = Files.write(dir.resolve("tiny.dcm"), new byte[] {1, 2, 3});
        assertError(tiny, "not a DICOM file");
    }

    @Test
    void missingPixelData() throws IOException {
        Path f = new DicomTestWriter(Syntax.EXPLICIT).imageAttributes(1, 1, 1, 8, 8, false, "MONOCHROME2")
                .write(dir.resolve("nopix.dcm"));
        assertTrue(DicomReader.hasMagic(f));
        assertError(f, "no pixel data (7FE0,0010)");
    }

    @Test
    void unsupportedPixelFormats() throws IOException {
        Path bits = new DicomTestWriter(Syntax.EXPLICIT).imageAttributes(1, 8, 1, 1, 1, false, "MONOCHROME2")
                .pixels(8, 0xFF).write(dir.resolve("bits1.dcm"));
        assertError(bits, "unsupported BitsAllocated 1");
        Path noBits = new DicomTestWriter(Syntax.EXPLICIT).us(DicomReader.ROWS, 1).us(DicomReader.COLUMNS, 1)
                .pixels(8, 0).write(dir.resolve("nobits.dcm"));
        assertError(noBits, "missing BitsAllocated");
        Path stored = DicomTestWriter.image(Syntax.EXPLICIT, 1, 1, 8, 12, false, "MONOCHROME2", 0)
                .write(dir.resolve("stored.dcm"));
        assertError(stored, "unsupported BitsStored 12 with BitsAllocated 8");
        Path palette = DicomTestWriter.image(Syntax.EXPLICIT, 1, 1, 8, 8, false, "PALETTE COLOR", 0)
                .write(dir.resolve("palette.dcm"));
        assertError(palette, "unsupported PhotometricInterpretation PALETTE COLOR");
        Path noRows = new DicomTestWriter(Syntax.EXPLICIT).us(DicomReader.BITS_ALLOCATED, 8).pixels(8, 0)
                .write(dir.resolve("norows.dcm"));
        assertError(noRows, "missing or zero Rows");
    }

    @Test
    void wrongVrModeIsReportedNotMisread() throws IOException {
        // An implicit VR data set labelled explicit: the "VR" bytes are part of a length.
        Path f = DicomTestWriter.image(Syntax.IMPLICIT, 1, 1, 8, 8, false, "MONOCHROME2", 0)
                .transferSyntax(DicomReader.EXPLICIT_LITTLE).write(dir.resolve("mislabelled.dcm"));
        assertError(f, "no valid VR", DicomReader.EXPLICIT_LITTLE);
    }
}
