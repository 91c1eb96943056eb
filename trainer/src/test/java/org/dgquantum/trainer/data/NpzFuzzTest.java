package org.dgquantum.trainer.data;

import static org.dgquantum.trainer.data.ReaderFuzzing.assertReadsOrFailsCleanly;
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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzz tests of {@link Npz#read}: mutated npz archives, mutated .npy entries in valid archives, .npy headers
 * built from corrupt fields (shape, dtype, fortran_order, header length) and random bytes. Each read returns
 * or fails with a DataException (see {@link ReaderFuzzing#assertReadsOrFailsCleanly}).
 */
class NpzFuzzTest {
    /** Allocation allowed per byte of file: the entry's bytes and 4-byte floats of up to one value a byte. */
    private static final long BYTES_PER_FILE_BYTE = 16;

    private static Path dir;

    @BeforeContainer
    static void createDir() {
        dir = ReaderFuzzing.tempDir("npz-fuzz");
    }

    @AfterContainer
    static void deleteDir() throws IOException {
        ReaderFuzzing.delete(dir);
    }

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

    @Provide
    Arbitrary<byte[]> archives() {
        return Arbitraries.of(false, true).map(stored -> zip(entries(), stored));
    }

    @Provide
    Arbitrary<byte[]> npyEntries() {
        return Arbitraries.of(List.copyOf(entries().values()));
    }

    @Provide
    Arbitrary<List<ReaderFuzzing.Mutation>> mutations() {
        return ReaderFuzzing.mutations();
    }

    /** Descriptors numpy writes (mostly supported here), ones it could write, and nonsense. */
    @Provide
    Arbitrary<String> descrs() {
        return Arbitraries.oneOf(
                Arbitraries.of("|u1", "|i1", "|b1", "<u2", ">i2", "<u4", ">i4", "<u8", ">i8", "<f4", ">f4", "<f8"),
                Arbitraries.of("<f2", "<c8", "|V8", "<U3", "|O", "<M8[s]", "=f4", "<i16", "<f04", "<f-4", "<f0",
                        "<f99999999999", "<f", "<", ""),
                Arbitraries.strings().ofMaxLength(6));
    }

    /** Shapes as numpy writes them ("(3,)", "(2, 4)", "()"), with dimensions valid, out of range or no number. */
    @Provide
    Arbitrary<String> shapes() {
        Arbitrary<String> dim = Arbitraries.oneOf(
                Arbitraries.longs().between(-3, 40).map(String::valueOf),
                ReaderFuzzing.boundaryNumbers().map(String::valueOf),
                Arbitraries.of("'x'", "", " ", "1.5", "-0", "+3", "0x10", "1e3", "2L", "None", "99999999999999999999",
                        "(2", "3)"));
        return dim.list().ofMaxSize(4).map(l -> "(" + String.join(", ", l) + (l.size() == 1 ? ",)" : ")"));
    }

    @Property
    void mutatedArchivesReadOrFailCleanly(@ForAll("archives") byte[] seed,
            @ForAll("mutations") List<ReaderFuzzing.Mutation> mutations) throws IOException {
        assertNpzReadsOrFailsCleanly(ReaderFuzzing.apply(seed, mutations));
    }

    @Property
    void mutatedNpyEntriesReadOrFailCleanly(@ForAll("npyEntries") byte[] seed,
            @ForAll("mutations") List<ReaderFuzzing.Mutation> mutations, @ForAll boolean stored) throws IOException {
        assertNpzReadsOrFailsCleanly(zip(Map.of("train_images.npy", ReaderFuzzing.apply(seed, mutations)), stored));
    }

    @Property
    void corruptNpyHeaderFieldsReadOrFailCleanly(@ForAll("descrs") String descr,
            @ForAll("shapes") String shape, @ForAll("fortranOrders") String fortran,
            @ForAll("versions") int version, @ForAll("data") byte[] data) throws IOException {
        byte[] entry = npy(version, header(descr, fortran, shape), data);
        assertNpzReadsOrFailsCleanly(zip(Map.of("x.npy", entry), true));
    }

    @Provide
    Arbitrary<String> fortranOrders() {
        return Arbitraries.of("False", "True", "None", "1", "");
    }

    @Provide
    Arbitrary<Integer> versions() {
        return Arbitraries.of(1, 2, 3);
    }

    @Provide
    Arbitrary<byte[]> data() {
        return ReaderFuzzing.randomBytes(200);
    }

    @Property
    void randomBytesReadOrFailCleanly(@ForAll("randomFiles") byte[] file) throws IOException {
        assertNpzReadsOrFailsCleanly(file);
    }

    @Property
    void randomNpyEntriesReadOrFailCleanly(@ForAll("randomNpy") byte[] entry, @ForAll boolean stored)
            throws IOException {
        assertNpzReadsOrFailsCleanly(zip(Map.of("x.npy", entry), stored));
    }

    @Provide
    Arbitrary<byte[]> randomFiles() {
        return Arbitraries.oneOf(ReaderFuzzing.randomBytes(300),
                ReaderFuzzing.randomBytesAfter(new byte[] {'P', 'K', 3, 4}, 300));
    }

    @Provide
    Arbitrary<byte[]> randomNpy() {
        return Arbitraries.oneOf(ReaderFuzzing.randomBytes(300),
                ReaderFuzzing.randomBytesAfter(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, 300),
                ReaderFuzzing.randomBytesAfter(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}, 300));
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

    @Example
    void negativeDimensionIsNamed() throws IOException {
        DataException e = readError(npy(1, header("|u1", "False", "(-5, 28, 28)"), new byte[64]));
        assertMentions(e, "found.npz", "train_images", "'shape'", "-5");
    }

    @Example
    void nonIntegerDimensionIsNamed() throws IOException {
        DataException e = readError(npy(1, header("|u1", "False", "(5, 'x', 28)"), new byte[64]));
        assertMentions(e, "train_images", "'shape'", "'x'");
    }

    @Example
    void shapeWhoseProductOverflowsIsRefused() throws IOException {
        DataException e = readError(npy(1, header("<f4", "False", "(4294967296, 4294967296)"), new byte[64]));
        assertMentions(e, "train_images", "4294967296");
    }

    @Example
    void headerLengthBeyondTheEntryIsRefused() throws IOException {
        byte[] entry = npy(2, header("|u1", "False", "(2,)"), new byte[2]);
        ByteBuffer.wrap(entry).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0x7FFF_FFFA);
        assertMentions(readError(entry), "train_images", "header");
    }

    @Example
    void unsupportedDtypeOfAnEmptyArrayIsRefused() throws IOException {
        assertMentions(readError(npy(1, header("<f-4", "False", "(0,)"), new byte[0])), "train_images", "'<f-4'");
    }
}
