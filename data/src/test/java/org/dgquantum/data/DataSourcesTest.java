package org.dgquantum.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourcesTest {
    @TempDir
    Path dir;

    @Test
    void syntheticIsTheDefaultAndHonoursSizeAndCounts() {
        DataSources.Options o = DataSources.Options.defaults(3).withImageSize(32).withCounts(2, 1);
        DataBundle b = DataSources.load(null, o);
        assertEquals("synthetic", b.name());
        assertEquals(12, b.source().size());
        assertEquals(4, b.target().size());
        assertEquals(32, b.source().height());
        assertEquals(b.source().get(3).id(), DataSources.load("synthetic", o).source().get(3).id());
    }

    @Test
    void syntheticHoldsOutTheChosenCentersAndTrainsOnTheRest() {
        DataSources.Options o = DataSources.Options.defaults(3).withImageSize(16).withCounts(2, 1)
                .withTestCenters(List.of("B-mainstream", "A-highfield"));
        DataBundle b = DataSources.load("synthetic", o);
        assertEquals(List.of("C-older", "D-rician-ring", "E-speckle-ghost"), b.source().domainNames());
        assertEquals(List.of("A-highfield", "B-mainstream"), b.target().domainNames());
        assertEquals(3 * 2 * 2, b.source().size());
        assertEquals(2 * 2 * 1, b.target().size());
        assertTrue(b.target().samples().stream().allMatch(s -> s.domainName().startsWith("A-")
                || s.domainName().startsWith("B-")));
        // Source domain indices stay 0..k-1: the trainer's per-domain code relies on them.
        assertEquals(java.util.Set.of(0, 1, 2), b.source().samples().stream().map(Sample::domain)
                .collect(java.util.stream.Collectors.toSet()));
        // Without the option, the built-in split.
        assertEquals(List.of("D-rician-ring", "E-speckle-ghost"),
                DataSources.load("synthetic", o.withTestCenters(List.of())).target().domainNames());
    }

    @Test
    void badTestCentersAreRefusedNamingTheKnownOnes() {
        DataSources.Options o = DataSources.Options.defaults(3).withImageSize(16).withCounts(1, 1);
        String known = "A-highfield, B-mainstream, C-older, D-rician-ring, E-speckle-ghost";
        Map<List<String>, String> cases = new LinkedHashMap<>();
        cases.put(List.of("C9"), "--test-centers C9: unknown center (expected some of " + known + ")");
        cases.put(List.of("A-highfield", "x", "y"), "--test-centers x,y: unknown centers (expected some of " + known);
        cases.put(List.of("C-older", "C-older"), "--test-centers C-older,C-older: a center named twice");
        cases.put(List.of("A-highfield", "B-mainstream", "C-older", "D-rician-ring", "E-speckle-ghost"),
                "--test-centers A-highfield,B-mainstream,C-older,D-rician-ring,E-speckle-ghost: holds out every"
                        + " center (expected some of " + known + ", leaving at least one for training)");
        cases.forEach((chosen, message) -> {
            DataException e = assertThrows(DataException.class,
                    () -> DataSources.load("synthetic", o.withTestCenters(chosen)));
            assertTrue(e.getMessage().startsWith(message), e.getMessage());
        });
        DataException none = assertThrows(DataException.class,
                () -> DataSources.chooseTestCenters(List.of("a", "b"), List.of()));
        assertTrue(none.getMessage().contains("no center given (expected some of a, b)"), none.getMessage());
    }

    @Test
    void pathsDispatchToFolderAndNpz() throws IOException {
        for (int i = 0; i < 3; i++) {
            ImageFolderSourceTest.image(dir.resolve("imgs/normal/" + i + ".png"), 8, 8, 0, false, "png");
            ImageFolderSourceTest.image(dir.resolve("imgs/lesion/" + i + ".png"), 8, 8, 255, false, "png");
        }
        assertEquals("folder", DataSources.load(dir.resolve("imgs").toString(), DataSources.Options.defaults(1)).name());
        assertEquals("folder", DataSources.load("folder:" + dir.resolve("imgs"), DataSources.Options.defaults(1)).name());
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("train_images", MedMnistSourceTest.images(4, 8, 0));
        m.put("train_labels", MedMnistSourceTest.labels(4, true));
        m.put("test_images", MedMnistSourceTest.images(2, 8, 0));
        m.put("test_labels", MedMnistSourceTest.labels(2, true));
        Path f = dir.resolve("tiny.npz");
        Npz.write(f, m);
        assertEquals("medmnist", DataSources.load(f.toString(), DataSources.Options.defaults(1)).name());
        assertEquals(4, DataSources.load("npz:" + f, DataSources.Options.defaults(1)).source().size());
        DataSources.Options centers = DataSources.Options.defaults(1).withTestCenters(java.util.List.of("A"));
        for (String spec : java.util.List.of("npz:" + f, f.toString())) {
            DataException n = assertThrows(DataException.class, () -> DataSources.load(spec, centers));
            assertTrue(n.getMessage().startsWith("--test-centers A: " + spec + " is a single-center MedMNIST"),
                    n.getMessage());
        }
        DataException e = assertThrows(DataException.class, () -> DataSources.load("bogus", DataSources.Options.defaults(1)));
        assertTrue(e.getMessage().contains("unknown data source 'bogus'"), e.getMessage());
    }
}
