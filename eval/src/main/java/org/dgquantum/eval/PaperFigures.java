package org.dgquantum.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The five figures of the paper, each comparing several models of one {@link EvaluationReport} (over all
 * domains), written as PNG files by {@link #writeAll}:
 * <ol>
 * <li>{@value #CONFUSION}: one confusion-matrix panel per model (counts and % of the actual class);</li>
 * <li>{@value #METRICS}: the {@link #PAPER_METRICS} as grouped bars with bootstrap CI error bars, and ECE
 *     (lower is better) in its own small panel;</li>
 * <li>{@value #COMPARISON}: the {@link #PAPER_METRICS} on the x axis, one line per model with its CI as a
 *     shaded band;</li>
 * <li>{@value #BOOTSTRAP}: box plots of the bootstrap distributions, one panel per paper metric;</li>
 * <li>{@value #ROC}: all ROC curves with their pointwise bootstrap bands, AUC with CI in the legend.</li>
 * </ol>
 * A model has the same colour ({@link #color}) in every figure: its position in the {@code models} list.
 * Figures 1, 2 and 4 are {@link #WIDTH} x {@link #HEIGHT} pixels, figure 3 likewise, figure 5
 * {@link #ROC_WIDTH} x {@link #HEIGHT}.
 */
public final class PaperFigures {
    public static final String CONFUSION = "fig1-confusion.png";
    public static final String METRICS = "fig2-metrics.png";
    public static final String COMPARISON = "fig3-comparison.png";
    public static final String BOOTSTRAP = "fig4-bootstrap.png";
    public static final String ROC = "fig5-roc.png";
    /** The file names in figure order. */
    public static final List<String> FILE_NAMES = List.of(CONFUSION, METRICS, COMPARISON, BOOTSTRAP, ROC);
    /**
     * The paper's seven metrics as {@link Metric}s: accuracy, AUC, F1, precision, recall (= sensitivity, one
     * metric) and specificity.
     */
    public static final List<Metric> PAPER_METRICS =
            List.of(Metric.ACCURACY, Metric.AUC, Metric.F1, Metric.PRECISION, Metric.SENSITIVITY, Metric.SPECIFICITY);
    public static final int WIDTH = 1600;
    public static final int HEIGHT = 1000;
    /** Width of the ROC figure: with the legend on the right its plot is about square. */
    public static final int ROC_WIDTH = 1400;

    /** 12 distinguishable colours (Tableau 10, near-black, dark magenta); models beyond 12 reuse them. */
    private static final Color[] PALETTE = {
            new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
            new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
            new Color(188, 189, 34), new Color(23, 190, 207), new Color(30, 30, 30), new Color(128, 0, 96)};
    private static final Font PANEL_TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 17);
    private static final Font AXIS_TITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    private static final Font METRIC_NAMES = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final int ECE_PANEL_WIDTH = 340;

    private PaperFigures() {
    }

    /**
     * Writes the five figures of {@code models} (names of the report's models, in display order) into
     * {@code dir} (created if needed), each atomically; returns the files in figure order.
     *
     * @throws java.util.NoSuchElementException if a name is not a model of the report
     * @throws IllegalArgumentException         if {@code models} is empty
     */
    public static List<Path> writeAll(EvaluationReport report, List<String> models, Path dir) throws IOException {
        if (models.isEmpty()) throw new IllegalArgumentException("no models to draw");
        List<ModelMetrics> ms = models.stream().map(report::model).toList();
        EvaluationOptions o = report.options();
        List<Path> out = new ArrayList<>();
        out.add(Figure.write(confusionFigure(ms), dir.resolve(CONFUSION)));
        out.add(Figure.write(metricsFigure(ms, PAPER_METRICS, o, WIDTH, HEIGHT,
                "Fig. 2  Classification metrics per model, all domains"), dir.resolve(METRICS)));
        out.add(Figure.write(BitmapEncoder.getBufferedImage(comparison(ms, o)), dir.resolve(COMPARISON)));
        out.add(Figure.write(bootstrapFigure(ms, o), dir.resolve(BOOTSTRAP)));
        out.add(Figure.write(BitmapEncoder.getBufferedImage(roc(ms, o)), dir.resolve(ROC)));
        return out;
    }

    /** The colour of the model at {@code index} of the display order. */
    public static Color color(int index) {
        return PALETTE[index % PALETTE.length];
    }

    private static Color alpha(Color c, int a) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), a);
    }

    /**
     * The line of the model at {@code index}: solid, dashed from the 13th model on (the colours repeat). Always
     * set explicitly: XChart's theme would otherwise give later series dotted and dashed lines.
     */
    static BasicStroke stroke(int index, float width) {
        return index < PALETTE.length ? new BasicStroke(width)
                : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {9f, 5f}, 0f);
    }

    /** Fill opacity of CI bands: fainter as more of them overlap. */
    private static int bandAlpha(int models) {
        return Math.max(14, Math.min(40, 200 / Math.max(1, models)));
    }

    private static List<Color> colors(int n) {
        List<Color> cs = new ArrayList<>();
        for (int i = 0; i < n; i++) cs.add(color(i));
        return cs;
    }

    private static List<String> names(List<ModelMetrics> models) {
        return models.stream().map(ModelMetrics::model).toList();
    }

    /** Metric names short enough for a group of bars or a point on the x axis. */
    static String shortLabel(Metric m) {
        return switch (m) {
            case SENSITIVITY -> "Recall / sens.";
            case BALANCED_ACCURACY -> "Bal. accuracy";
            case SENSITIVITY_AT_90_SPECIFICITY -> "Sens@90%spec";
            default -> m.label();
        };
    }

    private static String ciText(EvaluationOptions o) {
        return o.resamples() == 0 ? "no bootstrap"
                : Plots.percent(o.confidence()) + " bootstrap CI, " + o.resamples() + " resamples";
    }

    /** Larger fonts than {@link Plots}' single plots: these figures are read scaled down in a paper. */
    private static void figureStyle(XYChart chart) {
        Plots.style(chart);
        var st = chart.getStyler();
        st.setChartTitleFont(PANEL_TITLE);
        st.setAxisTitleFont(AXIS_TITLE);
        st.setAxisTickLabelsFont(TICKS);
        st.setLegendFont(LEGEND);
        st.setAnnotationTextFont(METRIC_NAMES);
        st.setAnnotationTextFontColor(Color.BLACK);
        st.setPlotGridVerticalLinesVisible(false);
        // fewer, wider-spaced y ticks than XChart's default (it put one every 0.05 on a tall panel)
        st.setYAxisTickMarkSpacingHint(90);
        st.setYAxisDecimalPattern("0.00");
    }

    // ---- Fig. 1: confusion matrices ----

    /** Columns of the panel grid for {@code n} models: about 4:3 panels on the wide canvas. */
    static int gridColumns(int n) {
        return Math.max(1, Math.min(n, (int) Math.ceil(Math.sqrt(n * 4.0 / 3.0))));
    }

    static BufferedImage confusionFigure(List<ModelMetrics> models) {
        Figure f = new Figure(WIDTH, HEIGHT,
                "Fig. 1  Confusion matrices, all domains (threshold 0.5): count and % of the actual class");
        int cols = gridColumns(models.size());
        int rows = (models.size() + cols - 1) / cols;
        int pw = WIDTH / cols;
        int ph = (HEIGHT - f.top()) / rows;
        for (int i = 0; i < models.size(); i++) {
            confusionPanel(f, models.get(i), color(i), (i % cols) * pw, f.top() + (i / cols) * ph, pw, ph);
        }
        return f.image();
    }

    /** One model's matrix drawn in the rectangle (x, y, w, h): rows actual, columns predicted. */
    private static void confusionPanel(Figure f, ModelMetrics m, Color c, int x, int y, int w, int h) {
        Graphics2D g = f.graphics();
        GroupMetrics gm = m.overall();
        ConfusionMatrix cm = gm.confusion();
        // header: colour swatch and name, then n and accuracy
        g.setFont(PANEL_TITLE);
        FontMetrics fm = g.getFontMetrics();
        int nameWidth = fm.stringWidth(m.model()) + 24;
        int hx = x + (w - nameWidth) / 2;
        g.setColor(c);
        g.fillRect(hx, y + 12, 16, 16);
        g.setColor(Color.BLACK);
        g.drawString(m.model(), hx + 24, y + 26);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        f.centred("n = " + gm.samples() + ", accuracy " + gm.get(Metric.ACCURACY).format(), x + w / 2, y + 46);

        int left = 118;
        int head = 100;
        int cell = Math.min(200, Math.min((w - left - 24) / 2, (h - head - 24) / 2));
        int gx = x + left + (w - left - 24 - 2 * cell) / 2;
        int gy = y + head;
        long[][] counts = {{cm.tn(), cm.fp()}, {cm.fn(), cm.tp()}};
        String[] classes = {"normal (0)", "lesion (1)"};
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        f.centred("Predicted", gx + cell, gy - 32);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (int k = 0; k < 2; k++) {
            f.centred(classes[k], gx + k * cell + cell / 2, gy - 12);
            FontMetrics lm = g.getFontMetrics();
            g.drawString(classes[k], gx - 8 - lm.stringWidth(classes[k]), gy + k * cell + cell / 2 + 5);
        }
        AffineTransform saved = g.getTransform();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.rotate(-Math.PI / 2, gx - 100, gy + cell);
        f.centred("Actual", gx - 100, gy + cell);
        g.setTransform(saved);

        Font countFont = new Font(Font.SANS_SERIF, Font.BOLD, Math.max(14, Math.min(26, cell / 6)));
        Font shareFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(12, Math.min(18, cell / 9)));
        for (int r = 0; r < 2; r++) {
            long rowTotal = counts[r][0] + counts[r][1];
            for (int k = 0; k < 2; k++) {
                double share = rowTotal == 0 ? Double.NaN : (double) counts[r][k] / rowTotal;
                int cx = gx + k * cell;
                int cy = gy + r * cell;
                g.setColor(Double.isNaN(share) ? new Color(240, 240, 240) : heat(share));
                g.fillRect(cx, cy, cell, cell);
                g.setColor(Color.GRAY);
                g.drawRect(cx, cy, cell, cell);
                g.setColor(share > 0.55 ? Color.WHITE : Color.BLACK);
                g.setFont(countFont);
                f.centred(Long.toString(counts[r][k]), cx + cell / 2, cy + cell / 2 - cell / 10);
                g.setFont(shareFont);
                f.centred(Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * share),
                        cx + cell / 2, cy + cell / 2 + cell / 7);
            }
        }
    }

    /** White to dark blue by the share of the actual class (so rows of different size compare). */
    private static Color heat(double share) {
        Color lo = new Color(247, 251, 255);
        Color hi = new Color(8, 69, 148);
        return new Color((int) Math.round(lo.getRed() + share * (hi.getRed() - lo.getRed())),
                (int) Math.round(lo.getGreen() + share * (hi.getGreen() - lo.getGreen())),
                (int) Math.round(lo.getBlue() + share * (hi.getBlue() - lo.getBlue())));
    }

    // ---- Fig. 2 (and Plots' metrics.png): bars with CI ----

    /**
     * {@code metrics} as grouped bars with CI error bars, ECE in a narrow panel on the right (its own scale:
     * lower is better), and a shared model legend at the bottom.
     */
    static BufferedImage metricsFigure(List<ModelMetrics> models, List<Metric> metrics, EvaluationOptions o,
                                       int width, int height, String title) {
        Figure f = new Figure(width, height, title);
        int legend = f.legendHeight(names(models));
        int ph = height - f.top() - legend;
        XYChart bars = bars(models, metrics, o, width - ECE_PANEL_WIDTH, ph, 1.0,
                "Estimate with " + ciText(o) + " (higher is better)");
        f.place(bars, 0, f.top());
        double eceTop = 0.05;
        for (ModelMetrics m : models) {
            Estimate e = m.overall().get(Metric.ECE);
            if (e.defined()) eceTop = Math.max(eceTop, Double.isNaN(e.upper()) ? e.value() : e.upper());
        }
        XYChart ece = bars(models, List.of(Metric.ECE), o, ECE_PANEL_WIDTH, ph, eceTop * 1.1, "Calibration");
        f.place(ece, width - ECE_PANEL_WIDTH, f.top());
        f.legend(names(models), colors(models.size()));
        return f.image();
    }

    /**
     * Grouped bars: a group per metric (named above it), a bar per model in its colour, the interval as a black
     * error bar, {@code n/a} at the foot of an undefined metric's bar. No legend: the figure has one.
     */
    static XYChart bars(List<ModelMetrics> models, List<Metric> metrics, EvaluationOptions o, int w, int h,
                        double top, String title) {
        XYChart chart = new XYChart(w, h);
        chart.setTitle(title);
        chart.setYAxisTitle(metrics.equals(List.of(Metric.ECE)) ? "ECE (lower is better)" : "Value");
        figureStyle(chart);
        var st = chart.getStyler();
        st.setLegendVisible(false);
        // XChart 3.8.8 draws no x tick labels with a custom formatter: metric names are annotations above the bars
        st.setXAxisTicksVisible(false);
        st.setXAxisMin(-0.5).setXAxisMax(metrics.size() - 0.5).setYAxisMin(0.0).setYAxisMax(top * 1.12);
        for (int i = 0; i < metrics.size(); i++) {
            chart.addAnnotation(new AnnotationText(shortLabel(metrics.get(i)), i, top * 1.065, false));
        }
        int nm = models.size();
        double group = 0.8;
        double bw = group / nm;
        for (int j = 0; j < nm; j++) {
            ModelMetrics m = models.get(j);
            Color c = color(j);
            double[] centers = new double[metrics.size()];
            double[] heights = new double[metrics.size()];
            for (int i = 0; i < metrics.size(); i++) {
                centers[i] = i - group / 2 + (j + 0.5) * bw;
                Estimate e = m.overall().get(metrics.get(i));
                heights[i] = e.defined() ? e.value() : 0;
            }
            double[][] outline = Plots.bars(centers, heights, bw / 2 * 0.85);
            XYSeries s = chart.addSeries(m.model(), outline[0], outline[1]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            s.setFillColor(c);
            s.setLineColor(c.darker());
            s.setLineStyle(new BasicStroke(1f));
            s.setMarker(SeriesMarkers.NONE);
            for (int i = 0; i < metrics.size(); i++) {
                Estimate e = m.overall().get(metrics.get(i));
                if (!e.defined()) chart.addAnnotation(new AnnotationText("n/a", centers[i], top * 0.03, false));
                if (!e.defined() || Double.isNaN(e.lower())) continue;
                double x = centers[i];
                double cap = bw * 0.2;
                XYSeries err = chart.addSeries(m.model() + " " + metrics.get(i).key() + " CI",
                        new double[] {x - cap, x + cap, x, x, x - cap, x + cap},
                        new double[] {e.lower(), e.lower(), e.lower(), e.upper(), e.upper(), e.upper()});
                err.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                err.setLineColor(Color.BLACK);
                err.setLineStyle(new BasicStroke(1.4f));
                err.setMarker(SeriesMarkers.NONE);
                err.setShowInLegend(false);
            }
        }
        return chart;
    }

    // ---- Fig. 3: multi-metric comparison ----

    /**
     * The paper metrics on the x axis, a line per model (legend entry: the model name) and its interval as a
     * translucent polygon between the lower and upper bounds (series "{@code <model> CI}", not in the legend).
     */
    static XYChart comparison(List<ModelMetrics> models, EvaluationOptions o) {
        List<Metric> metrics = PAPER_METRICS;
        XYChart chart = new XYChart(WIDTH, HEIGHT);
        chart.setTitle("Fig. 3  Multi-metric comparison, all domains: estimate and " + ciText(o) + " (band)");
        chart.setYAxisTitle("Value (higher is better)");
        figureStyle(chart);
        var st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setXAxisTicksVisible(false);
        st.setMarkerSize(9);
        double lo = 1;
        double hi = 0;
        for (ModelMetrics m : models) {
            for (Metric k : metrics) {
                Estimate e = m.overall().get(k);
                if (!e.defined()) continue;
                lo = Math.min(lo, Double.isNaN(e.lower()) ? e.value() : e.lower());
                hi = Math.max(hi, Double.isNaN(e.upper()) ? e.value() : e.upper());
            }
        }
        if (lo > hi) {
            lo = 0;
            hi = 1;
        }
        // zoom on the data (differences between models are small) but stay within [0, 1]
        double pad = Math.max(0.02, (hi - lo) * 0.06);
        lo = Math.max(0, lo - pad);
        hi = Math.min(1, hi + pad);
        double span = hi - lo;
        st.setXAxisMin(-0.4).setXAxisMax(metrics.size() - 0.6).setYAxisMin(lo).setYAxisMax(hi + span * 0.09);
        for (int i = 0; i < metrics.size(); i++) {
            chart.addAnnotation(new AnnotationText(shortLabel(metrics.get(i)), i, hi + span * 0.045, false));
        }
        double[] x = new double[metrics.size()];
        for (int i = 0; i < x.length; i++) x[i] = i;
        for (int j = 0; j < models.size(); j++) {
            ModelMetrics m = models.get(j);
            Color c = color(j);
            double[] v = new double[x.length];
            double[] band = new double[2 * x.length];
            double[] bx = new double[2 * x.length];
            boolean hasBand = true;
            for (int i = 0; i < x.length; i++) {
                Estimate e = m.overall().get(metrics.get(i));
                v[i] = e.value();
                hasBand &= !Double.isNaN(e.lower());
                bx[i] = x[i];
                band[i] = e.upper();
                bx[2 * x.length - 1 - i] = x[i];
                band[2 * x.length - 1 - i] = e.lower();
            }
            if (hasBand) {
                XYSeries b = chart.addSeries(m.model() + " CI", bx, band);
                b.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                b.setFillColor(alpha(c, bandAlpha(models.size())));
                b.setLineColor(alpha(c, 70));
                b.setLineStyle(new BasicStroke(0.8f));
                b.setMarker(SeriesMarkers.NONE);
                b.setShowInLegend(false);
            }
            XYSeries s = chart.addSeries(m.model(), x, v);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setLineColor(c);
            s.setMarkerColor(c);
            s.setLineStyle(stroke(j, 2.2f));
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    // ---- Fig. 4: bootstrap distributions ----

    /** Box of a bootstrap distribution: quartiles, median, and whiskers at the percentile-interval bounds. */
    record Box(double q1, double median, double q3, double lower, double upper) {
        static Box of(double[] distribution, double confidence) {
            double[] s = distribution.clone();
            Arrays.sort(s);
            double alpha = 1 - confidence;
            return new Box(Metrics.quantile(s, 0.25), Metrics.quantile(s, 0.5), Metrics.quantile(s, 0.75),
                    Metrics.quantile(s, alpha / 2), Metrics.quantile(s, 1 - alpha / 2));
        }
    }

    static BufferedImage bootstrapFigure(List<ModelMetrics> models, EvaluationOptions o) {
        Figure f = new Figure(WIDTH, HEIGHT, "Fig. 4  Bootstrap distributions, all domains (" + o.resamples()
                + " resamples): box = quartiles, line = median, whiskers = " + Plots.percent(o.confidence())
                + " CI, dot = estimate");
        int cols = 3;
        int rows = (PAPER_METRICS.size() + cols - 1) / cols;
        int pw = WIDTH / cols;
        int ph = (HEIGHT - f.top() - f.legendHeight(names(models))) / rows;
        for (int i = 0; i < PAPER_METRICS.size(); i++) {
            f.place(bootstrapPanel(models, PAPER_METRICS.get(i), o, pw, ph), (i % cols) * pw, f.top() + (i / cols) * ph);
        }
        f.legend(names(models), colors(models.size()));
        return f.image();
    }

    /**
     * Box plots of {@code metric}'s bootstrap distribution, a box per model at x = its index, in its colour.
     * Series per model: "{@code <model>}" (the box polygon, y from q1 to q3), "{@code <model> median}",
     * "{@code <model> whisker low}" (lower bound to q1, with a cap), "{@code <model> whisker high}" (q3 to the
     * upper bound) and "{@code <model> estimate}". Whiskers end at the interval bounds, not at 1.5 IQR: they
     * show the reported CI. No legend: the figure has one.
     */
    static XYChart bootstrapPanel(List<ModelMetrics> models, Metric metric, EvaluationOptions o, int w, int h) {
        XYChart chart = new XYChart(w, h);
        chart.setTitle(metric == Metric.SENSITIVITY ? "Recall / sensitivity" : metric.label());
        figureStyle(chart);
        var st = chart.getStyler();
        st.setLegendVisible(false);
        st.setXAxisTicksVisible(false);
        st.setXAxisMin(-0.6).setXAxisMax(models.size() - 0.4);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double half = 0.32;
        List<Integer> undefined = new ArrayList<>();
        for (int j = 0; j < models.size(); j++) {
            ModelMetrics m = models.get(j);
            double[] d = m.overall().distribution(metric);
            Estimate e = m.overall().get(metric);
            if (d.length == 0) {
                undefined.add(j);
                continue;
            }
            Box b = Box.of(d, o.confidence());
            Color c = color(j);
            XYSeries box = chart.addSeries(m.model(), new double[] {j - half, j - half, j + half, j + half},
                    new double[] {b.q1(), b.q3(), b.q3(), b.q1()});
            box.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            box.setFillColor(alpha(c, 170));
            box.setLineColor(c.darker());
            box.setLineStyle(new BasicStroke(1.2f));
            box.setMarker(SeriesMarkers.NONE);
            line(chart, m.model() + " median", new double[] {j - half, j + half}, new double[] {b.median(), b.median()},
                    Color.BLACK, 2.2f);
            double cap = half / 2;
            line(chart, m.model() + " whisker low", new double[] {j - cap, j + cap, j, j},
                    new double[] {b.lower(), b.lower(), b.lower(), b.q1()}, c.darker(), 1.6f);
            line(chart, m.model() + " whisker high", new double[] {j, j, j - cap, j + cap},
                    new double[] {b.q3(), b.upper(), b.upper(), b.upper()}, c.darker(), 1.6f);
            XYSeries est = chart.addSeries(m.model() + " estimate", new double[] {j}, new double[] {e.value()});
            est.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            est.setMarker(SeriesMarkers.CIRCLE);
            est.setMarkerColor(Color.BLACK);
            est.setShowInLegend(false);
            lo = Math.min(lo, Math.min(b.lower(), e.value()));
            hi = Math.max(hi, Math.max(b.upper(), e.value()));
        }
        if (lo > hi) {
            // no distribution at all (no resamples): an empty frame, XChart needs a series to paint
            lo = 0;
            hi = 1;
            XYSeries none = chart.addSeries("no bootstrap distribution", new double[] {0}, new double[] {0});
            none.setMarker(SeriesMarkers.NONE);
            none.setShowInLegend(false);
        }
        double pad = Math.max(0.005, (hi - lo) * 0.08);
        st.setYAxisMin(lo - pad).setYAxisMax(hi + pad);
        st.setMarkerSize(7);
        // in the middle of the axis range, which is only known now
        for (int j : undefined) chart.addAnnotation(new AnnotationText("n/a", j, (lo + hi) / 2, false));
        return chart;
    }

    private static void line(XYChart chart, String name, double[] x, double[] y, Color c, float width) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(c);
        s.setLineStyle(new BasicStroke(width));
        s.setMarker(SeriesMarkers.NONE);
        s.setShowInLegend(false);
    }

    // ---- Fig. 5: ROC curves ----

    /**
     * All ROC curves: per model a band polygon "{@code <model> CI band}" (upper then lower along the FPR grid,
     * not in the legend) and the curve, named "{@code <model>  AUC 0.96 [0.95, 0.98]}"; the chance diagonal.
     */
    static XYChart roc(List<ModelMetrics> models, EvaluationOptions o) {
        XYChart chart = new XYChart(ROC_WIDTH, HEIGHT);
        chart.setTitle("Fig. 5  ROC curves, all domains, with " + (o.resamples() == 0 ? "no bands (no bootstrap)"
                : Plots.percent(o.confidence()) + " pointwise bootstrap bands (" + o.resamples() + " resamples)"));
        chart.setXAxisTitle("False-positive rate (1 - specificity)");
        chart.setYAxisTitle("True-positive rate (sensitivity)");
        figureStyle(chart);
        var st = chart.getStyler();
        st.setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        st.setPlotGridVerticalLinesVisible(true);
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setXAxisDecimalPattern("0.0");
        st.setYAxisDecimalPattern("0.0");
        XYSeries chance = chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1});
        chance.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chance.setLineColor(Color.GRAY);
        chance.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 5f}, 0f));
        chance.setMarker(SeriesMarkers.NONE);
        // bands first, so that every curve is drawn above every band
        for (int j = 0; j < models.size(); j++) {
            RocCurve r = models.get(j).overall().roc();
            if (!r.hasBand()) continue;
            double[][] outline = r.bandOutline();
            double[] bx = outline[0];
            double[] by = outline[1];
            XYSeries band = chart.addSeries(models.get(j).model() + " CI band", bx, by);
            band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            band.setFillColor(alpha(color(j), bandAlpha(models.size())));
            band.setLineColor(alpha(color(j), 60));
            band.setLineStyle(new BasicStroke(0.6f));
            band.setMarker(SeriesMarkers.NONE);
            band.setShowInLegend(false);
        }
        for (int j = 0; j < models.size(); j++) {
            GroupMetrics g = models.get(j).overall();
            RocCurve r = g.roc();
            Estimate auc = g.get(Metric.AUC);
            String name = models.get(j).model() + "  AUC " + (auc.defined() ? auc.format() : "n/a (one class)");
            // a model without a curve still gets its legend entry (a single invisible point)
            XYSeries curve = r.defined() ? chart.addSeries(name, r.fpr(), r.tpr())
                    : chart.addSeries(name, new double[] {0}, new double[] {0});
            curve.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            curve.setLineColor(color(j));
            curve.setLineStyle(stroke(j, 2.4f));
            curve.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }
}
