package org.dgquantum.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.dgquantum.data.MriAnatomySource.MriCenter;
import org.dgquantum.data.MriAnatomySource.MriConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MriAnatomySourceTest {
    @TempDir
    Path dir;

    /** An ellipsoidal "head" with a darker core, 1 x 1 x 2 mm voxels. */
    private Path phantomVolume(String name, ByteOrder order) throws IOException {
        int nx = 40;
        int ny = 48;
        int nz = 20;
        double[] v = new double[nx * ny * nz];
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    double x = (i - nx / 2.0) / 16;
                    double y = (j - ny / 2.0) / 20;
                    double z = (k - nz / 2.0) / 9;
                    double r = x * x + y * y + z * z;
                    v[i + nx * (j + ny * k)] = r < 1 ? 600 + 300 * r : 0;
                }
            }
        }
        Path f = dir.resolve(name);
        NiftiReader.write(f, nx, ny, nz, v, NiftiReader.DT_INT16, order, 1, 0, true);
        return f;
    }

    private MriConfig phantomConfig(int perClass) {
        return new MriConfig(dir, 32, perClass, perClass, 4,
                List.of(new MriCenter("le", "le.nii.gz", 0), new MriCenter("be", "be.nii.gz", 0)),
                List.of(new MriCenter("le-4mm", "le.nii.gz", 4.0)), LesionSpec.defaults());
    }

    @Test
    void slicesPhantomVolumesIntoBalancedCenters() throws IOException {
        phantomVolume("le.nii.gz", ByteOrder.LITTLE_ENDIAN);
        phantomVolume("be.nii.gz", ByteOrder.BIG_ENDIAN);
        DataBundle b = MriAnatomySource.load(phantomConfig(3));
        assertEquals(List.of("le", "be"), b.source().domainNames());
        assertEquals(List.of("le-4mm"), b.target().domainNames());
        assertArrayEquals(new int[] {6, 6}, b.source().classCounts());
        assertArrayEquals(new int[] {3, 3}, b.target().classCounts());
        assertEquals(32, b.source().height());
        for (Sample s : b.source().samples()) {
            assertTrue(s.pixel(16, 16) > 0.3, "head at the center");
            assertTrue(s.pixel(0, 0) < 0.05, "air in the corner");
        }
        // Same little- and big-endian volume: same normal images for the same index.
        DataBundle again = MriAnatomySource.load(phantomConfig(3));
        assertArrayEquals(b.source().get(4).pixels(), again.source().get(4).pixels(), 0f);
        // The low-resolution center is smoother.
        double sharp = sharpness(b.source(), 0);
        double soft = sharpness(b.target(), 0);
        assertTrue(soft < 0.7 * sharp, sharp + " vs " + soft);
    }

    @Test
    void chosenTestCentersSwapWithTheTrainingOnes() throws IOException {
        phantomVolume("le.nii.gz", ByteOrder.LITTLE_ENDIAN);
        phantomVolume("be.nii.gz", ByteOrder.BIG_ENDIAN);
        DataBundle b = MriAnatomySource.load(phantomConfig(2).withTestCenters(List.of("le")));
        assertEquals(List.of("be", "le-4mm"), b.source().domainNames());
        assertEquals(List.of("le"), b.target().domainNames());
        assertTrue(b.target().samples().stream().allMatch(s -> s.domainName().equals("le")));
        DataException e = assertThrows(DataException.class,
                () -> phantomConfig(2).withTestCenters(List.of("le", "xx")));
        assertEquals("--test-centers xx: unknown center (expected some of le, be, le-4mm)", e.getMessage());
    }

    @Test
    void missingInstallationSaysHowToInstall() {
        MriConfig cfg = MriConfig.defaults(1).withDirectory(dir.resolve("nowhere"));
        DataException e = assertThrows(DataException.class, () -> MriAnatomySource.load(cfg));
        assertTrue(e.getMessage().contains("apt-get install mricron-data"), e.getMessage());
        DataException f = assertThrows(DataException.class, () -> MriAnatomySource.load(MriConfig.defaults(1).withDirectory(dir)));
        assertTrue(f.getMessage().contains("ch2.nii.gz") && f.getMessage().contains("apt-get install mricron-data"),
                f.getMessage());
    }

    @Test
    void realMricronVolumesGiveLesionAndNormalSlices() {
        assumeTrue(MriAnatomySource.available(),
                "mricron-data is not installed (apt-get install mricron-data); skipping the real MRI track");
        MriConfig cfg = MriConfig.defaults(11).withCounts(4, 2);
        DataBundle b = MriAnatomySource.load(cfg);
        assertEquals(List.of("ch2-1mm", "ch2better-0.5mm", "inia19-macaque"), b.source().domainNames());
        assertEquals(List.of("ch2bet-stripped", "ch2-5mm"), b.target().domainNames());
        assertArrayEquals(new int[] {12, 12}, b.source().classCounts());
        assertArrayEquals(new int[] {4, 4}, b.target().classCounts());
        for (Sample s : b.source().samples()) {
            double m = ImageOps.mean(s.pixels());
            assertTrue(m > 0.1 && m < 0.8, s.id() + " mean " + m);
        }
        DataBundle again = MriAnatomySource.load(cfg);
        assertArrayEquals(b.target().get(3).pixels(), again.target().get(3).pixels(), 0f);
        // The 5 mm center is the 1 mm volume at a lower resolution: visibly smoother.
        double sharp = sharpness(b.source(), 0);
        double soft = sharpness(b.target(), 1);
        assertTrue(soft < 0.7 * sharp, sharp + " vs " + soft);
        // Another seed picks other slices and lesions.
        DataBundle other = MriAnatomySource.load(MriConfig.defaults(12).withCounts(4, 2));
        assertTrue(!java.util.Arrays.equals(b.source().get(0).pixels(), other.source().get(0).pixels()));
    }

    private static double sharpness(Dataset ds, int domain) {
        return ds.samples().stream().filter(s -> s.domain() == domain)
                .mapToDouble(s -> ImageOps.meanAbsLaplacian(s.pixels(), s.height(), s.width())).average().orElseThrow();
    }
}
