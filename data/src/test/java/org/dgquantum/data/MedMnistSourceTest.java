package org.dgquantum.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MedMnistSourceTest {
    @TempDir
    Path dir;

    /** n images of side h: image i is constant 10 * i (uint8); labels alternate 0/1. */
    static NpyArray images(int n, int h, int channels) {
        long[] shape = channels == 0 ? new long[] {n, h, h} : new long[] {n, h, h, channels};
        int per = h * h * Math.max(1, channels);
        float[] d = new float[n * per];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(d, i * per, (i + 1) * per, 10 * i);
        }
        return new NpyArray(shape, "|u1", d);
    }

    static NpyArray labels(int n, boolean column) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = i % 2;
        }
        return new NpyArray(column ? new long[] {n, 1} : new long[] {n}, "|u1", d);
    }

    private Path npz(Map<String, NpyArray> arrays) throws IOException {
        Path f = dir.resolve("breastmnist.npz");
        Npz.write(f, arrays);
        return f;
    }

    private Map<String, NpyArray> complete() {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("train_images", images(6, 28, 0));
        m.put("train_labels", labels(6, true));
        m.put("val_images", images(4, 28, 0));
        m.put("val_labels", labels(4, true));
        m.put("test_images", images(4, 28, 0));
        m.put("test_labels", labels(4, false));
        return m;
    }

    @Test
    void npyRoundTripKeepsShapeTypeAndValues() throws IOException {
        Path f = npz(complete());
        Map<String, NpyArray> back = Npz.read(f);
        assertEquals(complete().keySet(), back.keySet());
        assertArrayEquals(new long[] {6, 28, 28}, back.get("train_images").shape());
        assertArrayEquals(new long[] {4}, back.get("test_labels").shape());
        assertEquals("|u1", back.get("train_images").dtype());
        assertEquals(50f, back.get("train_images").data()[5 * 28 * 28 + 3], 0);
    }

    @Test
    void loadsMedMnistSplitsAndMapsThePositiveLabel() throws IOException {
        Path f = npz(complete());
        DataBundle b = MedMnistSource.load(f, 28, 1);
        assertEquals(List.of("breastmnist/train", "breastmnist/val"), b.source().domainNames());
        assertEquals(10, b.source().size());
        assertEquals(4, b.target().size());
        assertArrayEquals(new int[] {5, 5}, b.source().classCounts());
        assertEquals(50 / 255.0, b.source().get(5).pixel(10, 10), 1e-6);
        assertEquals(1, b.source().get(5).label());
        DataBundle flipped = MedMnistSource.load(f, 16, 0); // BreastMNIST: 0 = malignant
        assertEquals(0, flipped.source().get(5).label());
        assertEquals(16, flipped.source().height());
        assertEquals(50 / 255.0, flipped.source().get(5).pixel(3, 3), 1e-5);
    }

    @Test
    void colourAndFloatImagesAreAccepted() throws IOException {
        Map<String, NpyArray> m = complete();
        m.remove("val_images");
        m.remove("val_labels");
        m.put("train_images", images(6, 28, 3));
        float[] f = new float[4 * 28 * 28];
        java.util.Arrays.fill(f, 0.25f);
        m.put("test_images", new NpyArray(new long[] {4, 28, 28, 1}, "<f4", f));
        DataBundle b = MedMnistSource.load(npz(m), 28, 1);
        assertEquals(1, b.source().numDomains());
        assertEquals(30 / 255.0, b.source().get(3).pixel(0, 0), 1e-5);
        assertEquals(0.25, b.target().get(0).pixel(0, 0), 1e-6);
    }

    private void assertError(Map<String, NpyArray> arrays, String expected) throws IOException {
        Path f = npz(arrays);
        DataException e = assertThrows(DataException.class, () -> MedMnistSource.load(f, 28, 1));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void badFilesGiveClearErrors() throws IOException {
        Map<String, NpyArray> m = complete();
        m.remove("test_labels");
        assertError(m, "missing key 'test_labels'");

        m = complete();
        m.put("train_labels", labels(5, true));
        assertError(m, "'train_labels' has shape [5, 1]");

        m = complete();
        m.put("train_images", new NpyArray(new long[] {6, 784}, "|u1", new float[6 * 784]));
        assertError(m, "'train_images' has shape [6, 784]");

        m = complete();
        m.put("train_labels", new NpyArray(new long[] {6, 1}, "|u1", new float[] {0, 1, 2, 0, 1, 2}));
        assertError(m, "only binary labels");

        m = complete();
        m.put("train_labels", new NpyArray(new long[] {6, 1}, "|u1", new float[6]));
        m.put("val_labels", new NpyArray(new long[] {4, 1}, "|u1", new float[4]));
        assertError(m, "single class");

        m = complete();
        m.remove("val_images");
        assertError(m, "no 'val_images'");

        Path notZip = dir.resolve("plain.npz");
        Files.writeString(notZip, "not a zip");
        DataException e = assertThrows(DataException.class, () -> MedMnistSource.load(notZip, 28, 1));
        assertTrue(e.getMessage().contains("plain.npz"), e.getMessage());

        Path missing = dir.resolve("missing.npz");
        DataException e2 = assertThrows(DataException.class, () -> MedMnistSource.load(missing, 28, 1));
        assertTrue(e2.getMessage().contains("not found"), e2.getMessage());
    }

    @Test
    void badNpyEntriesAreNamed() throws IOException {
        Path f = dir.resolve("weird.npz");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(f))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("train_images.npy"));
            zip.write("garbage".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        DataException e = assertThrows(DataException.class, () -> Npz.read(f));
        assertTrue(e.getMessage().contains("train_images") && e.getMessage().contains("bad magic"), e.getMessage());
    }
}
