package org.dgquantum.trainer.data;

import static org.dgquantum.trainer.data.ReaderFuzzing.assertReadsOrFailsCleanly;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzz tests of {@link NiftiReader#read}: mutated valid volumes (plain and gzip), volumes with corrupt header
 * fields (sizeof_hdr, dim, datatype, bitpix, pixdim, vox_offset, scaling, magic) and random bytes. Each read
 * returns or fails with a DataException (see {@link ReaderFuzzing#assertReadsOrFailsCleanly}).
 */
class NiftiFuzzTest {
    /** Allocation allowed per byte of file: the voxel bytes and 4-byte floats of 8-bit voxels. */
    private static final long BYTES_PER_FILE_BYTE = 16;

    private static Path dir;

    @BeforeContainer
    static void createDir() {
        dir = ReaderFuzzing.tempDir("nifti-fuzz");
    }

    @AfterContainer
    static void deleteDir() throws IOException {
        ReaderFuzzing.delete(dir);
    }

    /** An uncompressed volume and its byte order. */
    record Volume(byte[] bytes, ByteOrder order) {
        @Override
        public String toString() {
            return "Volume[" + bytes.length + " bytes, " + order + "]";
        }
    }

    private static Volume volume(int datatype, ByteOrder order) {
        double[] v = new double[3 * 2 * 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 7 % 11 - 3;
        }
        try {
            Path f = dir.resolve("seed.nii");
            NiftiReader.write(f, 3, 2, 2, v, datatype, order, 0.5f, 1f, false);
            return new Volume(Files.readAllBytes(f), order);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void assertNiftiReadsOrFailsCleanly(byte[] bytes) throws IOException {
        assertReadsOrFailsCleanly(dir, ".nii", bytes, BYTES_PER_FILE_BYTE, NiftiReader::read);
    }

    @Provide
    Arbitrary<Volume> volumes() {
        return Arbitraries.of(NiftiReader.DT_UINT8, NiftiReader.DT_INT16, NiftiReader.DT_UINT16, NiftiReader.DT_INT32,
                NiftiReader.DT_FLOAT32, NiftiReader.DT_FLOAT64, NiftiReader.DT_INT64)
                .flatMap(dt -> Arbitraries.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN).map(o -> volume(dt, o)));
    }

    @Provide
    Arbitrary<List<ReaderFuzzing.Mutation>> mutations() {
        return ReaderFuzzing.mutations();
    }

    @Property
    void mutatedFilesReadOrFailCleanly(@ForAll("volumes") Volume seed, @ForAll boolean gzip,
            @ForAll("mutations") List<ReaderFuzzing.Mutation> mutations) throws IOException {
        assertNiftiReadsOrFailsCleanly(ReaderFuzzing.apply(gzip ? gzip(seed.bytes()) : seed.bytes(), mutations));
    }

    /** A header field: where it is, how wide, and whether it is a float. */
    record Field(String name, int offset, int width, boolean isFloat) {
    }

    private static final List<Field> FIELDS = List.of(new Field("sizeof_hdr", 0, 4, false),
            new Field("dim[0]", 40, 2, false), new Field("dim[1]", 42, 2, false), new Field("dim[2]", 44, 2, false),
            new Field("dim[3]", 46, 2, false), new Field("dim[4]", 48, 2, false), new Field("datatype", 70, 2, false),
            new Field("bitpix", 72, 2, false), new Field("pixdim[1]", 80, 4, true),
            new Field("pixdim[3]", 88, 4, true), new Field("vox_offset", 108, 4, true),
            new Field("scl_slope", 112, 4, true), new Field("scl_inter", 116, 4, true),
            new Field("magic", 344, 4, false));

    /** A field set to a value: for integer fields a boundary value, for float fields special and large ones. */
    record FieldValue(Field field, long bits) {
        byte[] applyTo(Volume v) {
            byte[] out = v.bytes().clone();
            ByteBuffer b = ByteBuffer.wrap(out).order(v.order());
            switch (field.width()) {
                case 2 -> b.putShort(field.offset(), (short) bits);
                default -> b.putInt(field.offset(), (int) bits);
            }
            return out;
        }

        @Override
        public String toString() {
            return field.name() + " = " + (field.isFloat() ? Float.intBitsToFloat((int) bits) : bits);
        }
    }

    /** One to three header fields set to boundary or nonsense values. */
    @Provide
    Arbitrary<List<FieldValue>> fieldValues() {
        return fieldValue().list().ofMinSize(1).ofMaxSize(3);
    }

    private static Arbitrary<FieldValue> fieldValue() {
        Arbitrary<Long> floats = Arbitraries.oneOf(
                Arbitraries.of(0f, -1f, 1f, 347f, 348f, 352f, 352.5f, 353f, 1e6f, 16777216f, 1e30f, Float.MAX_VALUE,
                        Float.MIN_VALUE, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY),
                Arbitraries.floats()).map(f -> (long) Float.floatToRawIntBits(f));
        Arbitrary<Long> integers = Arbitraries.oneOf(Arbitraries.longs().between(-2, 10),
                Arbitraries.of(256L, 512L, 768L, 1024L, 1536L, 2304L, 128L), ReaderFuzzing.boundaryNumbers());
        return Arbitraries.of(FIELDS).flatMap(f -> (f.isFloat() ? floats : integers).map(v -> new FieldValue(f, v)));
    }

    @Property
    void corruptHeaderFieldsReadOrFailCleanly(@ForAll("volumes") Volume seed,
            @ForAll("fieldValues") List<FieldValue> fields, @ForAll boolean gzip) throws IOException {
        Volume v = seed;
        for (FieldValue f : fields) {
            v = new Volume(f.applyTo(v), v.order());
        }
        assertNiftiReadsOrFailsCleanly(gzip ? gzip(v.bytes()) : v.bytes());
    }

    @Provide
    Arbitrary<byte[]> randomFiles() {
        // A little-endian sizeof_hdr and the magic "n+1", the rest of the header and the data random.
        Arbitrary<byte[]> headerAndRandom = ReaderFuzzing.randomBytes(800).map(r -> {
            byte[] b = java.util.Arrays.copyOf(r, Math.max(r.length, 352));
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 348).put(344, new byte[] {'n', '+', '1', 0});
            return b;
        });
        return Arbitraries.oneOf(ReaderFuzzing.randomBytes(600),
                ReaderFuzzing.randomBytes(600).map(NiftiFuzzTest::gzip),
                ReaderFuzzing.randomBytesAfter(new byte[] {0x1f, (byte) 0x8b}, 600), headerAndRandom,
                headerAndRandom.map(NiftiFuzzTest::gzip));
    }

    @Property
    void randomBytesReadOrFailCleanly(@ForAll("randomFiles") byte[] file) throws IOException {
        assertNiftiReadsOrFailsCleanly(file);
    }
}
