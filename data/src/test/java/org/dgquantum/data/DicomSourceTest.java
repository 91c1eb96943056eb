package org.dgquantum.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dgquantum.data.DicomTestWriter.Syntax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomSourceTest {
    static final int SIDE = 8;

    @TempDir
    Path root;

    /** An 8x8 ramp of stored values offset + 0..63 (times step), in the given syntax and photometric. */
    static DicomTestWriter ramp(Syntax syntax, String photometric, int offset, int step) {
        long[] v = new long[SIDE * SIDE];
        for (int i = 0; i < v.length; i++) {
            v[i] = offset + (long) i * step;
        }
        return DicomTestWriter.image(syntax, SIDE, SIDE, 16, 16, true, photometric, v);
    }

    @Test
    void loadsTwoCentersThroughDataSources() throws IOException {
        for (String c : List.of("siteA", "siteB")) {
            for (int i = 0; i < 3; i++) {
                ramp(Syntax.EXPLICIT, "MONOCHROME2", -500, 7).write(root.resolve(c + "/normal/n" + i + ".dcm"));
                ramp(Syntax.IMPLICIT, "MONOCHROME1", 0, 1).write(root.resolve(c + "/lesion/series1/l" + i + ".dcm"));
            }
            // found by its magic, not its name; a DICOMDIR index and other files are skipped
            ramp(Syntax.EXPLICIT, "MONOCHROME2", 0, 1).write(root.resolve(c + "/lesion/IM0001"));
            ramp(Syntax.EXPLICIT, "MONOCHROME2", 0, 1).write(root.resolve(c + "/lesion/DICOMDIR"));
            Files.writeString(root.resolve(c + "/normal/readme.txt"), "ignored");
            ramp(Syntax.EXPLICIT, "MONOCHROME2", 0, 1).write(root.resolve(c + "/normal/.hidden.dcm"));
        }
        DataSources.Options o = DataSources.Options.defaults(1).withImageSize(SIDE);
        DataBundle b = DataSources.load("dicom:" + root, o);
        assertEquals("dicom", b.name());
        assertEquals(List.of("siteA"), b.source().domainNames());
        assertEquals(List.of("siteB"), b.target().domainNames());
        assertArrayEquals(new int[] {3, 4}, b.source().classCounts());
        assertArrayEquals(new int[] {3, 4}, b.target().classCounts());
        assertEquals(List.of("siteB/lesion/IM0001", "siteB/lesion/series1/l0.dcm", "siteB/lesion/series1/l1.dcm",
                "siteB/lesion/series1/l2.dcm", "siteB/normal/n0.dcm", "siteB/normal/n1.dcm", "siteB/normal/n2.dcm"),
                b.target().ids().stream().sorted().toList());
        for (Sample s : b.target().samples()) {
            assertEquals(s.id().contains("/lesion/"), s.isLesion(), s.id());
            assertEquals("siteB", s.domainName());
            assertEquals(0, s.domain());
        }
        // Each ramp is windowed to its own range (64 pixels: the 0.1st..99.9th percentiles are min and max),
        // so pixel i is i / 63; MONOCHROME1 files run the other way.
        Sample normal = b.source().samples().stream().filter(s -> s.id().endsWith("n1.dcm")).findFirst().orElseThrow();
        Sample inverted = b.source().samples().stream().filter(s -> s.id().endsWith("l1.dcm")).findFirst().orElseThrow();
        for (int i = 0; i < SIDE * SIDE; i++) {
            assertEquals(i / 63f, normal.pixels()[i], 1e-6, "pixel " + i);
            assertEquals(1 - i / 63f, inverted.pixels()[i], 1e-6, "pixel " + i);
        }
        DataBundle named = DataSources.load("dicom:" + root, new DataSources.Options(SIDE, 0, 0, 1, 0.2,
                List.of("siteA"), 1, null));
        assertEquals(List.of("siteB"), named.source().domainNames());
        DataException unknown = assertThrows(DataException.class, () -> DataSources.load("dicom:" + root,
                DataSources.Options.defaults(1).withImageSize(SIDE).withTestCenters(List.of("siteZ"))));
        assertTrue(unknown.getMessage().startsWith("--test-centers siteZ: unknown center (expected some of siteA,"),
                unknown.getMessage());
    }

    @Test
    void resizesToTheImageSize() throws IOException {
        for (String cls : List.of("0", "1")) {
            for (int i = 0; i < 2; i++) {
                ramp(Syntax.EXPLICIT, "MONOCHROME2", 0, 1).write(root.resolve(cls + "/" + i + ".dcm"));
            }
        }
        Dataset all = DicomSource.loadAll(root, 16);
        assertEquals(16, all.height());
        assertEquals(16, all.width());
        assertEquals(0.5, ImageOps.mean(all.get(0).pixels()), 1e-3);
    }

    @Test
    void flatLayoutTakesItsCentersFromTheHeadersWhenEverySiteHasBothClasses() throws IOException {
        for (String site : List.of("General Hospital", "Clinic")) {
            for (String cls : List.of("normal", "lesion")) {
                for (int i = 0; i < 2; i++) {
                    ramp(Syntax.EXPLICIT, "MONOCHROME2", 0, 1).string(DicomReader.INSTITUTION, "LO", site)
                            .write(root.resolve(cls + "/" + site.charAt(0) + i + ".dcm"));
                }
            }
        }
        DataBundle b = DicomSource.load(root, SIDE, 1, 0.25, List.of());
        assertEquals(List.of("Clinic"), b.source().domainNames());
        assertEquals(List.of("General Hospital"), b.target().domainNames());
        assertEquals(4, b.target().size());
        assertTrue(b.target().ids().contains("General Hospital/lesion/G1.dcm"), b.target().ids().toString());

        // One site with a single class: the headers cannot define usable centers, so root is one center.
        Files.delete(root.resolve("lesion/C0.dcm"));
        Files.delete(root.resolve("lesion/C1.dcm"));
        DataBundle single = DicomSource.load(root, SIDE, 1, 0.25, List.of());
        String rootName = root.toAbsolutePath().normalize().getFileName().toString();
        assertEquals(List.of(rootName), single.source().domainNames());
        assertEquals(6, single.source().size() + single.target().size());
        assertArrayEquals(new int[] {1, 1}, single.target().classCounts());
    }

    @Test
    void windowIgnoresRareOutliers() {
        int n = 40;
        float[] v = new float[n * n];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 2 == 0 ? 100 : 300;
        }
        v[7] = 1e6f; // one hot pixel must not squash the image to black
        v[8] = -1e6f;
        DicomReader.Image img = new DicomReader.Image(root, DicomReader.EXPLICIT_LITTLE, n, n, 1, 0, 1,
                "MONOCHROME2", 16, 16, true, 1, 0, "", "", "", v);
        float[] g = DicomSource.gray(img, n);
        assertEquals(0f, g[0]);
        assertEquals(1f, g[1]);
        assertEquals(1f, g[7]);
        assertEquals(0f, g[8]);
        float[] flat = DicomSource.gray(new DicomReader.Image(root, "", 2, 2, 1, 0, 1, "MONOCHROME2", 8, 8, false,
                1, 0, "", "", "", new float[] {5, 5, 5, 5}), 8);
        assertEquals(0.0, ImageOps.mean(flat));
    }

    private DataException assertError(Path expectedFile, String expected) {
        DataException e = assertThrows(DataException.class,
                () -> DataSources.load("dicom:" + root, DataSources.Options.defaults(1).withImageSize(SIDE)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(expectedFile.toString()), e.getMessage());
        return e;
    }

    @Test
    void emptyClassDirectory() throws IOException {
        ramp(Syntax.EXPLICIT, "MONOCHROME2", 0, 1).write(root.resolve("siteA/normal/a.dcm"));
        Files.createDirectories(root.resolve("siteA/lesion/series"));
        Files.writeString(root.resolve("siteA/lesion/series/notes.txt"), "no images here");
        assertError(root.resolve("siteA/lesion"), "empty class: no DICOM files");
    }

    @Test
    void badFilesAreNamed() throws IOException {
        ramp(Syntax.EXPLICIT, "MONOCHROME2", 0, 1).write(root.resolve("normal/a.dcm"));
        ramp(Syntax.EXPLICIT, "MONOCHROME2", 0, 1).transferSyntax("1.2.840.10008.1.2.4.90")
                .write(root.resolve("lesion/j2k.dcm"));
        assertError(root.resolve("lesion/j2k.dcm"), "only uncompressed DICOM is supported");
        Files.delete(root.resolve("lesion/j2k.dcm"));
        Path text = Files.writeString(root.resolve("lesion/text.dcm"), "plain text named like DICOM");
        assertError(text, "not a DICOM file");
    }

    @Test
    void layoutErrorsAreTheImageFolderOnes() throws IOException {
        assertError(root, "no class directories; expected root/<class>/*.dcm");
        ramp(Syntax.EXPLICIT, "MONOCHROME2", 0, 1).write(root.resolve("normal/a.dcm"));
        assertError(root, "single class");
    }
}
