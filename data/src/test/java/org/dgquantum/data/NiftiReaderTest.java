package org.dgquantum.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NiftiReaderTest {
    @TempDir
    Path dir;

    static final int NX = 5;
    static final int NY = 4;
    static final int NZ = 3;

    static double[] values(boolean signed, boolean fractional) {
        double[] v = new double[NX * NY * NZ];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 7) % 100 + (signed && i % 3 == 0 ? -60 : 0) + (fractional ? 0.25 : 0);
        }
        return v;
    }

    @ParameterizedTest(name = "datatype {0}, {1}, gzip={2}")
    @CsvSource({
        "2, LITTLE, false", "2, BIG, true", "256, LITTLE, true",
        "4, LITTLE, false", "4, BIG, false", "4, BIG, true", "4, LITTLE, true",
        "512, BIG, true", "8, LITTLE, true", "8, BIG, false", "768, LITTLE, false", "1024, BIG, true",
        "16, LITTLE, false", "16, BIG, true", "64, LITTLE, true", "64, BIG, false"})
    void readsEveryDatatypeInBothByteOrdersPlainAndGzip(int datatype, String endian, boolean gzip) throws IOException {
        ByteOrder order = endian.equals("BIG") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        boolean signed = datatype == 256 || datatype == 4 || datatype == 8 || datatype == 1024 || datatype >= 16 && datatype <= 64;
        boolean fractional = datatype == 16 || datatype == 64;
        double[] v = values(signed, fractional);
        Path f = dir.resolve("vol-" + datatype + endian + (gzip ? ".nii.gz" : ".nii"));
        NiftiReader.write(f, NX, NY, NZ, v, datatype, order, 0f, 0f, gzip);
        NiftiVolume vol = NiftiReader.read(f);
        assertEquals(NX, vol.nx());
        assertEquals(NY, vol.ny());
        assertEquals(NZ, vol.nz());
        assertEquals(datatype, vol.datatype());
        assertEquals(order, vol.order());
        for (int k = 0; k < NZ; k++) {
            for (int j = 0; j < NY; j++) {
                for (int i = 0; i < NX; i++) {
                    assertEquals(v[i + NX * (j + NY * k)], vol.get(i, j, k), 1e-6, "voxel " + i + "," + j + "," + k);
                }
            }
        }
        float[] slice = vol.axialSlice(2);
        assertEquals(v[3 + NX * (1 + NY * 2)], slice[NX + 3], 1e-6);
    }

    @Test
    void appliesSlopeAndIntercept() throws IOException {
        Path f = dir.resolve("scaled.nii");
        double[] v = values(false, false);
        NiftiReader.write(f, NX, NY, NZ, v, NiftiReader.DT_INT16, ByteOrder.LITTLE_ENDIAN, 0.5f, 10f, false);
        NiftiVolume vol = NiftiReader.read(f);
        assertEquals(v[17] * 0.5 + 10, vol.data()[17], 1e-6);
    }

    @Test
    void gzipIsDetectedByContentNotName() throws IOException {
        Path f = dir.resolve("misnamed.nii");
        NiftiReader.write(f, NX, NY, NZ, values(false, false), NiftiReader.DT_UINT8, ByteOrder.LITTLE_ENDIAN, 1, 0, true);
        assertEquals(values(false, false)[9], NiftiReader.read(f).data()[9], 0);
    }

    private Path corrupt(String name, java.util.function.Consumer<ByteBuffer> edit, int truncateTo) throws IOException {
        Path f = dir.resolve(name);
        NiftiReader.write(f, NX, NY, NZ, values(false, false), NiftiReader.DT_INT16, ByteOrder.LITTLE_ENDIAN, 1, 0, false);
        byte[] b = Files.readAllBytes(f);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        edit.accept(bb);
        Files.write(f, truncateTo > 0 ? java.util.Arrays.copyOf(b, truncateTo) : b);
        return f;
    }

    private static void assertError(Path f, String expected) {
        DataException e = assertThrows(DataException.class, () -> NiftiReader.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(f, e.file().orElseThrow());
    }

    @Test
    void corruptHeadersGiveClearErrors() throws IOException {
        assertError(corrupt("size.nii", b -> b.putInt(0, 540), 0), "sizeof_hdr");
        assertError(corrupt("magic.nii", b -> b.put(345, (byte) 'x'), 0), "magic");
        assertError(corrupt("pair.nii", b -> b.put(345, (byte) 'i').put(344, (byte) 'n').put(346, (byte) '1'), 0),
                ".hdr/.img");
        assertError(corrupt("dim0.nii", b -> b.putShort(40, (short) 0), 0), "dim[0]");
        assertError(corrupt("negdim.nii", b -> b.putShort(42, (short) -5), 0), "dimensions");
        assertError(corrupt("dtype.nii", b -> b.putShort(70, (short) 32), 0), "unsupported NIfTI datatype 32");
        assertError(corrupt("bitpix.nii", b -> b.putShort(72, (short) 8), 0), "bitpix");
        assertError(corrupt("offset.nii", b -> b.putFloat(108, 12f), 0), "vox_offset");
        assertError(corrupt("short.nii", b -> { }, 352 + 10), "truncated");
        assertError(corrupt("tiny.nii", b -> { }, 100), "truncated");
        Path gz = dir.resolve("bad.nii.gz");
        Files.write(gz, new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        DataException e = assertThrows(DataException.class, () -> NiftiReader.read(gz));
        assertTrue(e.getMessage().startsWith(gz.toString()), e.getMessage());
        assertError(dir.resolve("missing.nii.gz"), "not found");
    }

    @Test
    void readsARealMricronVolume() {
        Path ch2 = MriAnatomySource.defaultDirectory().resolve("ch2.nii.gz");
        assumeTrue(Files.isRegularFile(ch2), "mricron-data is not installed (apt-get install mricron-data); skipping");
        NiftiVolume v = NiftiReader.read(ch2);
        assertEquals(181, v.nx());
        assertEquals(217, v.ny());
        assertEquals(181, v.nz());
        assertEquals(NiftiReader.DT_UINT8, v.datatype());
        assertEquals(1.0, v.dx(), 1e-6);
        float max = 0;
        double sum = 0;
        for (float x : v.data()) {
            max = Math.max(max, x);
            sum += x;
        }
        assertTrue(max > 100 && max <= 255, "max " + max);
        assertTrue(sum / v.data().length > 5, "mean " + sum / v.data().length);
        // The brain is in the middle: the central voxel is brighter than a corner.
        assertTrue(v.get(90, 108, 90) > v.get(2, 2, 2) + 20);
        NiftiVolume macaque = NiftiReader.read(MriAnatomySource.defaultDirectory().resolve("inia19-t1-brain.nii.gz"));
        assertEquals(NiftiReader.DT_FLOAT32, macaque.datatype());
        assertEquals(0.5, macaque.dx(), 1e-6);
    }
}
