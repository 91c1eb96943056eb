package org.dgquantum.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

class PaperFiguresTest {
    static final List<String> TEN = List.of("dgquantum", "dgquantum+tta", "resnet18", "resnet18+tta", "mobilenetv2",
            "dgquantum-classical+tta", "dgquantum-noquantum+tta", "dgquantum-nodg+tta", "efficientnet-b0", "vit-tiny+tta");

    @TempDir
    Path dir;

    /** Two domains of 120 samples per model; separation grows with the index so the models differ. */
    static EvaluationReport report(List<String> models, int resamples) {
        List<Prediction> ps = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            ps.addAll(TestData.predictions(models.get(i), List.of("center-4", "center-5"), 120, 0.8 + 0.08 * i, 10 + i, 3));
        }
        return Evaluation.evaluate(ps, EvaluationOptions.defaults().withResamples(resamples));
    }

    /** -Ddgq.eval.figures=DIR keeps the figures for a look (DIR/5 and DIR/10). */
    private Path out(String name) {
        String keep = System.getProperty("dgq.eval.figures");
        return keep == null ? dir.resolve(name) : Path.of(keep, name);
    }

    @Test
    void writesFiveDecodablePngsOfTheExpectedSizes() throws IOException {
        List<String> five = TEN.subList(0, 5);
        List<Path> files = PaperFigures.writeAll(report(five, 200), five, out("5"));
        assertEquals(PaperFigures.FILE_NAMES, files.stream().map(p -> p.getFileName().toString()).toList());
        for (int i = 0; i < files.size(); i++) {
            BufferedImage img = ImageIO.read(files.get(i).toFile());
            assertNotNull(img, files.get(i).toString());
            assertEquals(i == 4 ? PaperFigures.ROC_WIDTH : PaperFigures.WIDTH, img.getWidth(), files.get(i).toString());
            assertEquals(PaperFigures.HEIGHT, img.getHeight(), files.get(i).toString());
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < img.getHeight(); y += 9) for (int x = 0; x < img.getWidth(); x += 9) colours.add(img.getRGB(x, y));
            assertTrue(colours.size() > 20, files.get(i) + " looks blank: " + colours.size() + " colours");
        }
    }

    @Test
    void tenModelsAllAppearInEveryLegend() throws IOException {
        EvaluationReport r = report(TEN, 100);
        List<ModelMetrics> ms = TEN.stream().map(r::model).toList();
        assertEquals(5, PaperFigures.writeAll(r, TEN, out("10")).size());

        assertEquals(Set.copyOf(TEN), legend(PaperFigures.comparison(ms, r.options())));
        assertEquals(Set.copyOf(TEN), legend(PaperFigures.bars(ms, PaperFigures.PAPER_METRICS, r.options(), 1200, 800, 1, "t")));
        for (Metric m : PaperFigures.PAPER_METRICS) {
            // the panels have no legend of their own (the figure has one), but a box series per model
            XYChart panel = PaperFigures.bootstrapPanel(ms, m, r.options(), 500, 400);
            for (String model : TEN) assertNotNull(panel.getSeriesMap().get(model), model + " " + m);
        }
        Set<String> roc = legend(PaperFigures.roc(ms, r.options()));
        assertEquals(TEN.size() + 1, roc.size(), roc.toString());
        for (String model : TEN) {
            String auc = r.model(model).overall().get(Metric.AUC).format();
            assertTrue(roc.contains(model + "  AUC " + auc), model + " missing from " + roc);
        }
    }

    @Test
    void rocSeriesAreTheReportsCurvesAndBands() {
        EvaluationReport r = report(List.of("a", "b", "c"), 150);
        List<ModelMetrics> ms = r.models();
        XYChart chart = PaperFigures.roc(ms, r.options());
        for (ModelMetrics m : ms) {
            RocCurve roc = m.overall().roc();
            XYSeries curve = chart.getSeriesMap().get(m.model() + "  AUC " + m.overall().get(Metric.AUC).format());
            assertNotNull(curve, m.model());
            assertArrayEquals(roc.fpr(), curve.getXData());
            assertArrayEquals(roc.tpr(), curve.getYData());
            XYSeries band = chart.getSeriesMap().get(m.model() + " CI band");
            int k = roc.gridFpr().length;
            assertEquals(2 * k, band.getYData().length);
            for (int i = 0; i < k; i++) {
                assertEquals(roc.gridFpr()[i], band.getXData()[i]);
                assertEquals(roc.upper()[i], band.getYData()[i]);
                assertEquals(roc.lower()[i], band.getYData()[2 * k - 1 - i]);
            }
        }
        // the three models differ, so the check above compared different curves
        assertNotEquals(ms.get(0).overall().get(Metric.AUC).value(), ms.get(2).overall().get(Metric.AUC).value());
    }

    @Test
    void boxPlotsAreTheBootstrapDistributions() {
        EvaluationReport r = report(List.of("a", "b"), 300);
        for (Metric metric : PaperFigures.PAPER_METRICS) {
            XYChart panel = PaperFigures.bootstrapPanel(r.models(), metric, r.options(), 500, 400);
            for (ModelMetrics m : r.models()) {
                double[] d = m.overall().distribution(metric);
                assertEquals(300, d.length, metric + " resamples");
                double[] sorted = d.clone();
                Arrays.sort(sorted);
                double[] box = panel.getSeriesMap().get(m.model()).getYData();
                assertEquals(Metrics.quantile(sorted, 0.25), Arrays.stream(box).min().orElseThrow(), 1e-12);
                assertEquals(Metrics.quantile(sorted, 0.75), Arrays.stream(box).max().orElseThrow(), 1e-12);
                assertEquals(Metrics.quantile(sorted, 0.5), panel.getSeriesMap().get(m.model() + " median").getYData()[0], 1e-12);
                // whiskers end at the interval of the report: the box plot and the CI come from the same values
                Estimate e = m.overall().get(metric);
                assertEquals(e.lower(), panel.getSeriesMap().get(m.model() + " whisker low").getYData()[0], 1e-12);
                assertEquals(e.upper(), panel.getSeriesMap().get(m.model() + " whisker high").getYData()[1], 1e-12);
            }
        }
    }

    @Test
    void everyModelKeepsTheSameColour() {
        Set<Integer> rgb = IntStream.range(0, 12).mapToObj(i -> PaperFigures.color(i).getRGB()).collect(Collectors.toSet());
        assertEquals(12, rgb.size());
        EvaluationReport r = report(List.of("a", "b", "c"), 50);
        XYChart bars = PaperFigures.bars(r.models(), PaperFigures.PAPER_METRICS, r.options(), 800, 600, 1, "t");
        XYChart lines = PaperFigures.comparison(r.models(), r.options());
        for (int j = 0; j < 3; j++) {
            String model = r.models().get(j).model();
            assertEquals(PaperFigures.color(j), bars.getSeriesMap().get(model).getFillColor());
            assertEquals(PaperFigures.color(j), lines.getSeriesMap().get(model).getLineColor());
        }
    }

    @Test
    void gridHasRoomForEveryPanel() {
        for (int n = 1; n <= 16; n++) {
            int cols = PaperFigures.gridColumns(n);
            int rows = (n + cols - 1) / cols;
            assertTrue(cols * rows >= n && cols * (rows - 1) < n, n + " models in " + cols + " columns");
            assertTrue(rows <= cols, n + " models: more rows than columns on a wide canvas");
        }
    }

    @Test
    void unknownOrNoModelsAreRejected() {
        EvaluationReport r = report(List.of("a"), 0);
        assertThrows(NoSuchElementException.class, () -> PaperFigures.writeAll(r, List.of("a", "zzz"), dir));
        assertThrows(IllegalArgumentException.class, () -> PaperFigures.writeAll(r, List.of(), dir));
    }

    @Test
    void withoutBootstrapTheFiguresAreStillDrawn() throws IOException {
        EvaluationReport r = report(List.of("a", "b"), 0);
        List<Path> files = PaperFigures.writeAll(r, List.of("b", "a"), dir.resolve("none"));
        for (Path f : files) assertNotNull(ImageIO.read(f.toFile()), f.toString());
    }

    @Test
    void aOneClassModelIsDrawnWithNotAvailableMarks() throws IOException {
        List<Prediction> ps = new ArrayList<>(TestData.predictions("good", List.of("d"), 80, 1.5, 1, 3));
        for (int i = 0; i < 40; i++) ps.add(Prediction.of("n" + i, "d", 0, 0.01 * i, "negatives-only", 0));
        ps.addAll(TestData.predictions("fair", List.of("d"), 80, 0.7, 2, 3));
        EvaluationReport r = Evaluation.evaluate(ps, EvaluationOptions.defaults().withResamples(100));
        List<String> models = List.of("good", "negatives-only", "fair");
        for (Path f : PaperFigures.writeAll(r, models, out("one-class"))) assertNotNull(ImageIO.read(f.toFile()), f.toString());
        Set<String> roc = legend(PaperFigures.roc(r.models(), r.options()));
        assertTrue(roc.contains("negatives-only  AUC n/a (one class)"), roc.toString());
        // the undefined AUC has no box; the others keep theirs
        XYChart auc = PaperFigures.bootstrapPanel(r.models(), Metric.AUC, r.options(), 500, 400);
        assertTrue(auc.getSeriesMap().containsKey("good") && !auc.getSeriesMap().containsKey("negatives-only") && auc.getSeriesMap().containsKey("fair"));
    }

    private static Set<String> legend(XYChart chart) {
        return chart.getSeriesMap().values().stream().filter(s -> s.isShowInLegend()).map(XYSeries::getName)
                .collect(Collectors.toSet());
    }
}
