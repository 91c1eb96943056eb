package org.dgquantum.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchPlotTest {
    private static BenchResult r(String backend, String method, int n, int batch, String precision, int threads, double us) {
        return new BenchResult(backend, method, n, 4, batch, precision, threads, us, us, us, 5, 1.0);
    }

    private final List<BenchResult> results = List.of(
            r("java", "forward", 8, 256, "float32", 1, 2.0),
            r("java", "forward", 8, 4096, "float32", 1, 1.5),
            r("java", "forward", 8, 4096, "float32", 2, 0.8),
            r("java", "forward", 12, 256, "float32", 2, 20.0),
            r("native", "forward", 8, 4096, "float32", 0, 2.4),
            r("java", "adjoint", 8, 4096, "float32", 2, 3.0),
            r("java", "forward", 8, 4096, "float64", 2, 1.2));

    @Test
    void onePointPerSizeFromTheLargestBatchAndMostThreads() {
        Map<String, TreeMap<Integer, Double>> s = BenchPlot.series(results, "float32");
        assertEquals(List.of("java adjoint", "java forward", "native forward"), List.copyOf(s.keySet()));
        assertEquals(Map.of(8, 0.8, 12, 20.0), s.get("java forward"));
        assertEquals(Map.of(8, 2.4), s.get("native forward"));
    }

    @Test
    void writesAPng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("plot.png");
        BenchPlot.write(new BenchReport(results, Map.of(), Map.of()), "float32", png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(900, image.getWidth());
        assertEquals(560, image.getHeight());
        assertThrows(IllegalArgumentException.class,
                () -> BenchPlot.write(new BenchReport(results, Map.of(), Map.of()), "float16", dir.resolve("x.png")));
    }
}
