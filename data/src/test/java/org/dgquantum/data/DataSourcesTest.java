package org.dgquantum.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
        DataException e = assertThrows(DataException.class, () -> DataSources.load("bogus", DataSources.Options.defaults(1)));
        assertTrue(e.getMessage().contains("unknown data source 'bogus'"), e.getMessage());
    }
}
