package org.dgquantum.eval;

import org.dgquantum.engine.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Headless XChart plots of an {@link EvaluationReport}, written as PNG files (atomically) by {@link #writeAll}:
 * <ul>
 * <li>{@code confusion-<model>.png}: confusion matrix heat map with counts (rows: actual, columns: predicted);</li>
 * <li>{@code roc-<model>.png}: ROC curve with its pointwise bootstrap band (vertical averaging) and the chance line;</li>
 * <li>{@code auc-bootstrap-<model>.png}: histogram of the bootstrap AUCs with the estimate and the interval;</li>
 * <li>{@code metrics.png}: every metric per model as grouped bars with the interval as error bars; ECE (lower
 * is better) in a panel of its own.</li>
 * </ul>
 * {@code <model>} is the model name with every run of characters other than letters, digits, '.', '_' and '-'
 * replaced by '_'. All plots are {@link #WIDTH} x {@link #HEIGHT} pixels except the bars
 * ({@link #BARS_WIDTH} x {@link #BARS_HEIGHT}). The paper's multi-model figures are {@link PaperFigures}.
 */
public final class Plots {
    /** Conventional directory name inside a run directory. */
    public static final String DIR_NAME = "plots";
    public static final int WIDTH = 640;
    public static final int HEIGHT = 560;
    public static final int BARS_WIDTH = 1400;
    public static final int BARS_HEIGHT = 640;

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private Plots() {
    }

    /** Writes all plots of {@code report} into {@code dir} (created if needed); returns the files, in order. */
    public static List<Path> writeAll(EvaluationReport report, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (ModelMetrics m : report.models()) {
            String stem = fileStem(m.model());
            String unique = stem;
            for (int k = 2; !used.add(unique); k++) unique = stem + "-" + k;
            out.add(save(confusion(m), dir.resolve("confusion-" + unique + ".png")));
            out.add(save(roc(m, report.options()), dir.resolve("roc-" + unique + ".png")));
            out.add(save(aucBootstrap(m, report.options()), dir.resolve("auc-bootstrap-" + unique + ".png")));
        }
        out.add(Figure.write(metricBars(report), dir.resolve("metrics.png")));
        return out;
    }

    /** The file-name form of a model name. */
    public static String fileStem(String model) {
        String s = model.replaceAll("[^A-Za-z0-9._-]+", "_");
        return s.isEmpty() || s.startsWith(".") ? "model" + s : s;
    }

    private static Path save(Chart<?, ?> chart, Path file) throws IOException {
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        return file;
    }

    /** Confusion matrix heat map of the model over all domains. */
    static HeatMapChart confusion(ModelMetrics m) {
        GroupMetrics g = m.overall();
        ConfusionMatrix cm = g.confusion();
        HeatMapChart chart = new HeatMapChart(WIDTH, HEIGHT, Styler.ChartTheme.XChart);
        chart.setTitle("Confusion matrix: " + m.model());
        chart.setXAxisTitle("Predicted   (n=" + g.samples() + ", accuracy " + g.get(Metric.ACCURACY).format() + ")");
        chart.setYAxisTitle("Actual");
        // y index 0 is drawn at the bottom: put "lesion (1)" there so that "normal (0)" is the top row.
        List<String> x = List.of("normal (0)", "lesion (1)");
        List<String> y = List.of("lesion (1)", "normal (0)");
        List<Number[]> cells = new ArrayList<>();
        cells.add(new Number[] {0, 1, cm.tn()});
        cells.add(new Number[] {1, 1, cm.fp()});
        cells.add(new Number[] {0, 0, cm.fn()});
        cells.add(new Number[] {1, 0, cm.tp()});
        chart.addSeries("counts", x, y, cells);
        var st = chart.getStyler();
        st.setChartTitleFont(TITLE);
        st.setShowValue(true);
        st.setValueFont(new Font(Font.SANS_SERIF, Font.BOLD, 26));
        st.setValueFontColor(Color.BLACK);
        st.setHeatMapDecimalValueFormatter(v -> String.format(Locale.ROOT, "%d", Math.round(v)));
        st.setRangeColors(new Color[] {new Color(247, 251, 255), new Color(158, 202, 225), new Color(66, 146, 198)});
        st.setMin(0);
        st.setMax(Math.max(1, Math.max(Math.max(cm.tp(), cm.fp()), Math.max(cm.tn(), cm.fn()))));
        st.setDrawBorder(true);
        // the counts are written in the cells: no colour legend (XChart 3.8.8 also leaves its font null)
        st.setLegendVisible(false);
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setChartTitleVisible(true);
        st.setXAxisTitleVisible(true);
        st.setYAxisTitleVisible(true);
        st.setAxisTicksVisible(true);
        st.setAxisTickMarksStroke(new BasicStroke(1f));
        st.setAxisTickMarksColor(Color.DARK_GRAY);
        st.setAxisTickLabelsColor(Color.BLACK);
        st.setChartFontColor(Color.BLACK);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotContentSize(0.96);
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        return chart;
    }

    /** ROC curve over all domains with its bootstrap band. */
    static XYChart roc(ModelMetrics m, EvaluationOptions options) {
        GroupMetrics g = m.overall();
        RocCurve r = g.roc();
        XYChart chart = new XYChart(WIDTH, HEIGHT);
        Estimate auc = g.get(Metric.AUC);
        chart.setTitle("ROC: " + m.model() + " (AUC " + (auc.defined() ? auc.format() : "undefined: one class") + ")");
        chart.setXAxisTitle("False-positive rate (1 - specificity)");
        chart.setYAxisTitle("True-positive rate (sensitivity)");
        style(chart);
        var st = chart.getStyler();
        st.setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        st.setLegendPosition(Styler.LegendPosition.InsideSE);
        Color c = PaperFigures.color(0);
        if (r.hasBand()) {
            double[][] outline = r.bandOutline();
            double[] bx = outline[0];
            double[] by = outline[1];
            XYSeries band = chart.addSeries(percent(options.confidence()) + " CI band (" + options.resamples() + " resamples)", bx, by);
            band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            band.setFillColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 60));
            band.setLineColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 90));
            band.setMarker(SeriesMarkers.NONE);
        }
        XYSeries chance = chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1});
        chance.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chance.setLineColor(Color.GRAY);
        chance.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 5f}, 0f));
        chance.setMarker(SeriesMarkers.NONE);
        if (r.defined()) {
            XYSeries curve = chart.addSeries("ROC (n=" + g.samples() + ")", r.fpr(), r.tpr());
            curve.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            curve.setLineColor(c);
            curve.setLineWidth(2.5f);
            curve.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /** Histogram of the bootstrap AUCs over all domains, with the estimate and interval bounds. */
    static XYChart aucBootstrap(ModelMetrics m, EvaluationOptions options) {
        GroupMetrics g = m.overall();
        Estimate auc = g.get(Metric.AUC);
        double[] d = g.aucDistribution();
        XYChart chart = new XYChart(WIDTH, HEIGHT);
        chart.setTitle("Bootstrap AUC: " + m.model() + " (" + d.length + " resamples)");
        chart.setXAxisTitle("AUC");
        chart.setYAxisTitle("Resamples");
        style(chart);
        var st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.InsideNW);
        if (d.length == 0) {
            chart.setTitle("Bootstrap AUC: " + m.model() + " (" + (auc.defined() ? "no resamples" : "AUC undefined: one class") + ")");
            XYSeries empty = chart.addSeries("no distribution", new double[] {0, 1}, new double[] {0, 0});
            empty.setMarker(SeriesMarkers.NONE);
            empty.setLineColor(Color.LIGHT_GRAY);
            st.setYAxisMin(0.0).setYAxisMax(1.0);
            return chart;
        }
        double min = Arrays.stream(d).min().orElse(0);
        double max = Arrays.stream(d).max().orElse(1);
        if (max - min < 1e-9) {
            min -= 0.005;
            max += 0.005;
        }
        int bins = 30;
        double width = (max - min) / bins;
        int[] counts = new int[bins];
        for (double v : d) counts[Math.min(bins - 1, (int) ((v - min) / width))]++;
        double[] centers = new double[bins];
        double[] heights = new double[bins];
        int top = 0;
        for (int b = 0; b < bins; b++) {
            centers[b] = min + (b + 0.5) * width;
            heights[b] = counts[b];
            top = Math.max(top, counts[b]);
        }
        double[][] bars = bars(centers, heights, width / 2 * 0.92);
        XYSeries hist = chart.addSeries("bootstrap AUC", bars[0], bars[1]);
        hist.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        hist.setFillColor(new Color(PaperFigures.color(0).getRed(), PaperFigures.color(0).getGreen(), PaperFigures.color(0).getBlue(), 170));
        hist.setLineColor(PaperFigures.color(0));
        hist.setLineStyle(new BasicStroke(1f));
        hist.setMarker(SeriesMarkers.NONE);
        double yTop = top * 1.15;
        vertical(chart, String.format(Locale.ROOT, "estimate %.3f", auc.value()), auc.value(), yTop, PaperFigures.color(3), false);
        if (!Double.isNaN(auc.lower())) {
            vertical(chart, String.format(Locale.ROOT, "%s CI [%.3f, %.3f]", percent(options.confidence()), auc.lower(), auc.upper()),
                    auc.lower(), yTop, Color.DARK_GRAY, true);
            XYSeries up = vertical(chart, "upper", auc.upper(), yTop, Color.DARK_GRAY, true);
            up.setShowInLegend(false);
        }
        double pad = (max - min) * 0.08;
        st.setXAxisMin(Math.min(min, auc.value()) - pad).setXAxisMax(Math.max(max, auc.value()) + pad);
        st.setYAxisMin(0.0).setYAxisMax(yTop);
        st.setXAxisDecimalPattern("0.000");
        st.setYAxisDecimalPattern("0");
        return chart;
    }

    /**
     * Every metric but ECE (x) per model (grouped bars) with the interval as error bars, ECE in its own panel
     * (lower is better, another scale), a model legend below; overall per model.
     */
    static BufferedImage metricBars(EvaluationReport report) {
        List<Metric> metrics = Arrays.stream(Metric.values()).filter(m -> m != Metric.ECE).toList();
        boolean anyUndefined = report.models().stream()
                .anyMatch(m -> m.overall().metrics().values().stream().anyMatch(e -> !e.defined()));
        return PaperFigures.metricsFigure(report.models(), metrics, report.options(), BARS_WIDTH, BARS_HEIGHT,
                "Metrics per model, all domains" + (anyUndefined ? " (n/a = undefined)" : ""));
    }

    /** Outline of bars (centers, heights, half-width) as one polygon running along y = 0 between bars. */
    static double[][] bars(double[] centers, double[] heights, double half) {
        int n = centers.length;
        double[] x = new double[4 * n];
        double[] y = new double[4 * n];
        for (int i = 0; i < n; i++) {
            x[4 * i] = centers[i] - half;
            x[4 * i + 1] = centers[i] - half;
            x[4 * i + 2] = centers[i] + half;
            x[4 * i + 3] = centers[i] + half;
            y[4 * i + 1] = heights[i];
            y[4 * i + 2] = heights[i];
        }
        return new double[][] {x, y};
    }

    private static XYSeries vertical(XYChart chart, String name, double x, double top, Color c, boolean dashed) {
        XYSeries s = chart.addSeries(name, new double[] {x, x}, new double[] {0, top});
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(c);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(dashed
                ? new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
                : new BasicStroke(2.5f));
        return s;
    }

    static void style(XYChart chart) {
        var st = chart.getStyler();
        st.setChartTitleFont(TITLE);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(225, 225, 225));
        st.setLegendBorderColor(new Color(200, 200, 200));
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setMarkerSize(0);
    }

    static String percent(double c) {
        double p = c * 100;
        return (p == Math.rint(p) ? Long.toString((long) p) : String.format(Locale.ROOT, "%.1f", p)) + "%";
    }
}
