package org.dgquantum.data;

import static org.dgquantum.data.ReaderFuzzing.assertReadsOrFailsCleanly;
import static org.dgquantum.data.ReaderFuzzing.forAll;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.dgquantum.data.ReaderFuzzing.Gen;
import org.dgquantum.data.ReaderFuzzing.Mutation;
import org.dgquantum.data.ReaderFuzzing.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.TestInfo;

/**
 * Fuzz tests of {@link Npz#read}: mutated npz archives, mutated .npy entries in valid archives, .npy headers
 * built from corrupt fields (shape, dtype, fortran_order, header length) and random bytes. Each read returns
 * or fails with a DataException (see {@link ReaderFuzzing#assertReadsOrFailsCleanly}).
 */
class NpzFuzzTest {
    /** Allocation allowed per byte of file: the entry's bytes and 4-byte floats of up to one value a byte. */
    private static final long BYTES_PER_FILE_BYTE = 16;

    /** One directory for the whole class: every try writes its own file (see ReaderFuzzing). */
    @TempDir
    static Path dir;

    private static Map<String, NpyArray> arrays() {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("train_images", MedMnistSourceTest.images(2, 4, 0));
        m.put("train_labels", new NpyArray(new long[] {2, 1}, "<i8", new float[] {0, 1}));
        m.put("scale", new NpyArray(new long[] {3}, "<f4", new float[] {0.5f, -1, 1e6f}));
        return m;
    }

    /** The .npy bytes of an archive's entries. */
    private static Map<String, byte[]> entries() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        arrays().forEach((k, v) -> out.put(k + ".npy", Npz.toNpy(v)));
        return out;
    }

    /** A zip of the given entries, stored (so that mutations of its bytes reach the .npy data) or deflated. */
    static byte[] zip(Map<String, byte[]> entries, boolean stored) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey());
                if (stored) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    z.setMethod(ZipEntry.STORED);
                    z.setSize(e.getValue().length);
                    z.setCrc(crc.getValue());
                }
                zip.putNextEntry(z);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A .npy file of the given format version (1: 2-byte header length, 2 and 3: 4-byte) with this header. */
    static byte[] npy(int version, String header, byte[] data) {
        byte[] h = header.getBytes(version == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int start = version == 1 ? 10 : 12;
        ByteBuffer b = ByteBuffer.allocate(start + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) version).put((byte) 0);
        if (version == 1) {
            b.putShort((short) h.length);
        } else {
            b.putInt(h.length);
        }
        return b.put(h).put(data).array();
    }

    static String header(String descr, String fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }\n";
    }

    private static void assertNpzReadsOrFailsCleanly(byte[] npz) throws IOException {
        assertReadsOrFailsCleanly(dir, ".npz", npz, BYTES_PER_FILE_BYTE, Npz::read);
    }

    /** The valid archives mutated: deflated (index 0) and stored (1). */
    private static final List<byte[]> ARCHIVES = List.of(zip(entries(), false), zip(entries(), true));
    private static final List<Map.Entry<String, byte[]>> NPY_ENTRIES = List.copyOf(entries().entrySet());

    /** Descriptors numpy writes (mostly supported here), ones it could write, and nonsense. */
    private static String descr(Gen g) {
        return g.oneOf(
                x -> x.of("|u1", "|i1", "|b1", "<u2", ">i2", "<u4", ">i4", "<u8", ">i8", "<f4", ">f4", "<f8"),
                x -> x.of("<f2", "<c8", "|V8", "<U3", "|O", "<M8[s]", "=f4", "<i16", "<f04", "<f-4", "<f0",
                        "<f99999999999", "<f", "<", ""),
                x -> x.string(6));
    }

    /** Shapes as numpy writes them ("(3,)", "(2, 4)", "()"), with dimensions valid, out of range or no number. */
    private static String shape(Gen g) {
        List<String> dims = g.list(0, 4, x -> x.oneOf(
                y -> String.valueOf(y.between(-3L, 40L)),
                y -> String.valueOf(y.boundaryNumber()),
                y -> y.of("'x'", "", " ", "1.5", "-0", "+3", "0x10", "1e3", "2L", "None", "99999999999999999999",
                        "(2", "3)")));
        return "(" + String.join(", ", dims) + (dims.size() == 1 ? ",)" : ")");
    }

    @Test
    void mutatedArchivesReadOrFailCleanly(TestInfo test) {
        forAll(test, g -> {
            boolean stored = g.bool();
            List<Mutation> mutations = g.mutations();
            return new Sample((stored ? "stored" : "deflated") + " archive, " + mutations,
                    ReaderFuzzing.apply(ARCHIVES.get(stored ? 1 : 0), mutations));
        }, NpzFuzzTest::assertNpzReadsOrFailsCleanly);
    }

    @Test
    void mutatedNpyEntriesReadOrFailCleanly(TestInfo test) {
        forAll(test, g -> {
            Map.Entry<String, byte[]> entry = g.of(NPY_ENTRIES);
            List<Mutation> mutations = g.mutations();
            boolean stored = g.bool();
            return new Sample(entry.getKey() + ", " + mutations + ", " + (stored ? "stored" : "deflated"),
                    zip(Map.of("train_images.npy", ReaderFuzzing.apply(entry.getValue(), mutations)), stored));
        }, NpzFuzzTest::assertNpzReadsOrFailsCleanly);
    }

    @Test
    void corruptNpyHeaderFieldsReadOrFailCleanly(TestInfo test) {
        forAll(test, g -> {
            String header = header(descr(g), g.of("False", "True", "None", "1", ""), shape(g));
            int version = g.between(1, 3);
            byte[] data = g.randomBytes(200);
            return new Sample("version " + version + " header " + header.strip() + ", " + data.length + " data bytes",
                    zip(Map.of("x.npy", npy(version, header, data)), true));
        }, NpzFuzzTest::assertNpzReadsOrFailsCleanly);
    }

    @Test
    void randomBytesReadOrFailCleanly(TestInfo test) {
        byte[] zipMagic = {'P', 'K', 3, 4};
        forAll(test, g -> g.bool() ? new Sample("random bytes", g.randomBytes(300))
                : new Sample("random bytes after a zip magic", g.randomBytesAfter(zipMagic, 300)),
                NpzFuzzTest::assertNpzReadsOrFailsCleanly);
    }

    @Test
    void randomNpyEntriesReadOrFailCleanly(TestInfo test) {
        forAll(test, g -> {
            int kind = g.between(0, 2);
            byte[] entry = kind == 0 ? g.randomBytes(300)
                    : g.randomBytesAfter(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) kind, 0}, 300);
            boolean stored = g.bool();
            return new Sample((kind == 0 ? "random bytes" : "random bytes after a version " + kind + " .npy magic")
                    + ", " + (stored ? "stored" : "deflated"), zip(Map.of("x.npy", entry), stored));
        }, NpzFuzzTest::assertNpzReadsOrFailsCleanly);
    }

    // Inputs the fuzzers found, kept as examples with the message they now give.

    private static DataException readError(byte[] entry) throws IOException {
        Path f = Files.write(dir.resolve("found.npz"), zip(Map.of("train_images.npy", entry), true));
        return assertThrows(DataException.class, () -> Npz.read(f));
    }

    private static void assertMentions(DataException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
        }
    }

    @Test
    void negativeDimensionIsNamed() throws IOException {
        DataException e = readError(npy(1, header("|u1", "False", "(-5, 28, 28)"), new byte[64]));
        assertMentions(e, "found.npz", "train_images", "'shape'", "-5");
    }

    @Test
    void nonIntegerDimensionIsNamed() throws IOException {
        DataException e = readError(npy(1, header("|u1", "False", "(5, 'x', 28)"), new byte[64]));
        assertMentions(e, "train_images", "'shape'", "'x'");
    }

    @Test
    void shapeWhoseProductOverflowsIsRefused() throws IOException {
        DataException e = readError(npy(1, header("<f4", "False", "(4294967296, 4294967296)"), new byte[64]));
        assertMentions(e, "train_images", "4294967296");
    }

    @Test
    void headerLengthBeyondTheEntryIsRefused() throws IOException {
        byte[] entry = npy(2, header("|u1", "False", "(2,)"), new byte[2]);
        ByteBuffer.wrap(entry).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0x7FFF_FFFA);
        assertMentions(readError(entry), "train_images", "header");
    }

    @Test
    void unsupportedDtypeOfAnEmptyArrayIsRefused() throws IOException {
        assertMentions(readError(npy(1, header("<f-4", "False", "(0,)"), new byte[0])), "train_images", "'<f-4'");
    }
}
