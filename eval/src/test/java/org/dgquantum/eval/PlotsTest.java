package org.dgquantum.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    @Test
    void writesEveryPlotAsAValidPngOfTheExpectedSize() throws IOException {
        List<Prediction> ps = new ArrayList<>(TestData.predictions("dgquantum", List.of("center-4", "center-5"), 150, 1.3, 1, 3));
        ps.addAll(TestData.predictions("dgquantum+tta", List.of("center-4", "center-5"), 150, 1.5, 2, 3));
        ps.addAll(TestData.predictions("mobilenetv2", List.of("center-4", "center-5"), 150, 0.8, 3, 3));
        EvaluationReport r = Evaluation.evaluate(ps, EvaluationOptions.defaults().withResamples(300));
        // -Ddgq.eval.plots=DIR keeps the plots for a look
        Path out = Path.of(System.getProperty("dgq.eval.plots", dir.resolve("plots").toString()));
        List<Path> files = Plots.writeAll(r, out);
        List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("confusion-dgquantum.png", "roc-dgquantum.png", "auc-bootstrap-dgquantum.png",
                "confusion-dgquantum_tta.png", "roc-dgquantum_tta.png", "auc-bootstrap-dgquantum_tta.png",
                "confusion-mobilenetv2.png", "roc-mobilenetv2.png", "auc-bootstrap-mobilenetv2.png", "metrics.png"), names);
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.equals("metrics.png")) checkPng(f, Plots.BARS_WIDTH, Plots.BARS_HEIGHT); else checkPng(f, Plots.WIDTH, Plots.HEIGHT);
        }
    }

    @Test
    void degenerateModelsStillGetPlots() throws IOException {
        List<Prediction> ps = new ArrayList<>();
        for (int i = 0; i < 20; i++) ps.add(Prediction.of("n" + i, "d", 0, 0.02 * i, "only/negatives", 0));
        EvaluationReport r = Evaluation.evaluate(ps, EvaluationOptions.defaults().withResamples(0));
        String keep = System.getProperty("dgq.eval.plots");
        List<Path> files = Plots.writeAll(r, keep == null ? dir.resolve("p") : Path.of(keep + "-degenerate"));
        assertEquals(4, files.size());
        assertEquals("confusion-only_negatives.png", files.getFirst().getFileName().toString());
        for (Path f : files) {
            if (f.getFileName().toString().equals("metrics.png")) checkPng(f, Plots.BARS_WIDTH, Plots.BARS_HEIGHT);
            else checkPng(f, Plots.WIDTH, Plots.HEIGHT);
        }
    }

    @Test
    void fileStemsAreSafeAndUnique() throws IOException {
        assertEquals("dgquantum_tta", Plots.fileStem("dgquantum+tta"));
        assertEquals("a_b", Plots.fileStem("a / b"));
        assertEquals("_", Plots.fileStem("???"));
        assertEquals("model", Plots.fileStem(""));
        assertEquals("model.x", Plots.fileStem(".x"));
        List<Prediction> ps = new ArrayList<>(TestData.predictions("a+b", 40, 1));
        ps.addAll(TestData.predictions("a b", 40, 2));
        List<Path> files = Plots.writeAll(Evaluation.evaluate(ps, EvaluationOptions.defaults().withResamples(20)), dir.resolve("u"));
        assertTrue(files.stream().anyMatch(p -> p.getFileName().toString().equals("roc-a_b-2.png")), files.toString());
    }

    private static void checkPng(Path f, int width, int height) throws IOException {
        assertTrue(Files.size(f) > 1000, f + " is too small");
        byte[] head = new byte[8];
        try (var in = Files.newInputStream(f)) {
            assertEquals(8, in.read(head));
        }
        assertArrayEquals(PNG_SIGNATURE, head, f.toString());
        BufferedImage img = ImageIO.read(f.toFile());
        assertNotNull(img, f.toString());
        assertEquals(width, img.getWidth(), f.toString());
        assertEquals(height, img.getHeight(), f.toString());
        Set<Integer> colors = new HashSet<>();
        for (int y = 0; y < height; y += 7) for (int x = 0; x < width; x += 7) colors.add(img.getRGB(x, y));
        assertTrue(colors.size() > 5, f + " looks blank: " + colors.size() + " colours");
    }
}
