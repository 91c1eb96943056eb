package org.dgquantum.data;

import static org.dgquantum.data.ReaderFuzzing.assertReadsOrFailsCleanly;
import static org.dgquantum.data.ReaderFuzzing.forAll;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.dgquantum.data.ReaderFuzzing.Gen;
import org.dgquantum.data.ReaderFuzzing.Mutation;
import org.dgquantum.data.ReaderFuzzing.Sample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.TestInfo;

/**
 * Fuzz tests of {@link NiftiReader#read}: mutated valid volumes (plain and gzip), volumes with corrupt header
 * fields (sizeof_hdr, dim, datatype, bitpix, pixdim, vox_offset, scaling, magic) and random bytes. Each read
 * returns or fails with a DataException (see {@link ReaderFuzzing#assertReadsOrFailsCleanly}).
 */
class NiftiFuzzTest {
    /** Allocation allowed per byte of file: the voxel bytes and 4-byte floats of 8-bit voxels. */
    private static final long BYTES_PER_FILE_BYTE = 16;

    /** One directory for the whole class: every try writes its own file (see ReaderFuzzing). */
    @TempDir
    static Path dir;
    private static List<Volume> volumes;

    @BeforeAll
    static void createVolumes() {
        volumes = volumes();
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

    /** Valid volumes of every datatype, little- and big-endian. */
    private static List<Volume> volumes() {
        List<Volume> out = new ArrayList<>();
        for (int dt : new int[] {NiftiReader.DT_UINT8, NiftiReader.DT_INT16, NiftiReader.DT_UINT16,
            NiftiReader.DT_INT32, NiftiReader.DT_FLOAT32, NiftiReader.DT_FLOAT64, NiftiReader.DT_INT64}) {
            out.add(volume(dt, ByteOrder.LITTLE_ENDIAN));
            out.add(volume(dt, ByteOrder.BIG_ENDIAN));
        }
        return out;
    }

    @Test
    void mutatedFilesReadOrFailCleanly(TestInfo test) {
        forAll(test, g -> {
            Volume seed = g.of(volumes);
            boolean gzip = g.bool();
            List<Mutation> mutations = g.mutations();
            return new Sample(seed + (gzip ? ", gzip, " : ", ") + mutations,
                    ReaderFuzzing.apply(gzip ? gzip(seed.bytes()) : seed.bytes(), mutations));
        }, NiftiFuzzTest::assertNiftiReadsOrFailsCleanly);
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

    /** One header field set to a boundary or nonsense value. */
    private static FieldValue fieldValue(Gen g) {
        Field f = g.of(FIELDS);
        long value = f.isFloat()
                ? Float.floatToRawIntBits(g.bool()
                        ? g.of(0f, -1f, 1f, 347f, 348f, 352f, 352.5f, 353f, 1e6f, 16777216f, 1e30f, Float.MAX_VALUE,
                                Float.MIN_VALUE, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY)
                        : g.anyFloat())
                : g.oneOf(x -> x.between(-2L, 10L), x -> x.of(256L, 512L, 768L, 1024L, 1536L, 2304L, 128L),
                        Gen::boundaryNumber);
        return new FieldValue(f, value);
    }

    @Test
    void corruptHeaderFieldsReadOrFailCleanly(TestInfo test) {
        forAll(test, g -> {
            Volume v = g.of(volumes);
            List<FieldValue> fields = g.list(1, 3, NiftiFuzzTest::fieldValue);
            boolean gzip = g.bool();
            String description = v + " with " + fields + (gzip ? ", gzip" : "");
            for (FieldValue f : fields) {
                v = new Volume(f.applyTo(v), v.order());
            }
            return new Sample(description, gzip ? gzip(v.bytes()) : v.bytes());
        }, NiftiFuzzTest::assertNiftiReadsOrFailsCleanly);
    }

    /** Random bytes after a little-endian sizeof_hdr and the magic "n+1" (at least a header's worth). */
    private static byte[] headerAndRandom(Gen g) {
        byte[] r = g.randomBytes(800);
        byte[] b = java.util.Arrays.copyOf(r, Math.max(r.length, 352));
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 348).put(344, new byte[] {'n', '+', '1', 0});
        return b;
    }

    @Test
    void randomBytesReadOrFailCleanly(TestInfo test) {
        forAll(test, g -> switch (g.between(0, 4)) {
            case 0 -> new Sample("random bytes", g.randomBytes(600));
            case 1 -> new Sample("random bytes, gzip", gzip(g.randomBytes(600)));
            case 2 -> new Sample("random bytes after a gzip magic", g.randomBytesAfter(new byte[] {0x1f, (byte) 0x8b},
                    600));
            case 3 -> new Sample("random bytes after sizeof_hdr 348 and magic n+1", headerAndRandom(g));
            default -> new Sample("random bytes after sizeof_hdr 348 and magic n+1, gzip", gzip(headerAndRandom(g)));
        }, NiftiFuzzTest::assertNiftiReadsOrFailsCleanly);
    }
}
