package org.dgquantum.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Evaluation of binary predictions: clinical metrics with bootstrap confidence intervals, {@code metrics.json},
 * a summary table and plots. Entry point of the package.
 *
 * <h2>API</h2>
 * <pre>{@code
 * List<Prediction> preds = ...;                       // Prediction.of(id, domain, label, p1, model, seed)
 * EvaluationReport r = Evaluation.writeRun(runDir, preds, EvaluationOptions.defaults());
 *     // writes runDir/predictions.csv, runDir/metrics.json, runDir/plots/*.png (all atomically)
 * System.out.print(r.summaryTable());                 // one line per model: acc, AUC, sens, spec as 0.83 [0.78, 0.88]
 *
 * // pieces, when needed:
 * PredictionsCsv.write(file, preds);  List<Prediction> back = PredictionsCsv.read(file);
 * EvaluationReport r = Evaluation.evaluate(preds, EvaluationOptions.defaults().withResamples(2000).withSeed(7));
 * r.writeJson(runDir.resolve("metrics.json"));  Plots.writeAll(r, runDir.resolve("plots"));
 * PaperFigures.writeAll(r, List.of("dgquantum+tta", "resnet18"), dir);  // the paper's figures 1-5, models compared
 * Evaluation.evaluateRun(runDir, options);            // re-evaluate an existing runDir/predictions.csv
 * r.model("dgquantum").overall().get(Metric.AUC)      // Estimate(value, lower, upper, resamples, note)
 * }</pre>
 *
 * <h2>Method</h2>
 * Predictions are grouped by model (several seeds of a model are pooled), and within a model by domain; every
 * model has an overall group and one group per domain. Hard predictions are the {@code prediction} column
 * ({@link Prediction#of} sets it at probability {@code >= 0.5}). AUC is the Mann-Whitney statistic (ties count
 * one half). Intervals are percentile bootstrap intervals: each resample draws the positives with replacement
 * from the positives and the negatives from the negatives (stratified, so class counts are fixed and every
 * resample of a two-class group has both classes), the metric is computed on it, and the interval is the
 * {@code (1-c)/2} and {@code (1+c)/2} linear percentiles of the resampled values. A metric undefined on a group
 * (AUC with one class, sensitivity without positives, ...) is {@code NaN} (JSON {@code null}) with a note.
 * The random stream of a group depends only on the seed, the model and the domain, so results are identical
 * for the same seed whatever else is evaluated alongside.
 */
public final class Evaluation {
    /** Number of points of the FPR grid of the ROC band (0, 0.01, ..., 1). */
    static final int ROC_GRID = 101;
    /** Below this many samples of a class, a note warns that the interval is unreliable. */
    static final int FEW = 10;

    private Evaluation() {
    }

    /** {@link #evaluate(List, EvaluationOptions)} with {@link EvaluationOptions#defaults()}. */
    public static EvaluationReport evaluate(List<Prediction> predictions) {
        return evaluate(predictions, EvaluationOptions.defaults());
    }

    /** Metrics with bootstrap intervals, per model (in order of first appearance), overall and per domain. */
    public static EvaluationReport evaluate(List<Prediction> predictions, EvaluationOptions options) {
        if (predictions.isEmpty()) throw new IllegalArgumentException("no predictions to evaluate");
        Map<String, List<Prediction>> byModel = new LinkedHashMap<>();
        for (Prediction p : predictions) byModel.computeIfAbsent(p.model(), k -> new ArrayList<>()).add(p);
        List<ModelMetrics> models = new ArrayList<>();
        for (Map.Entry<String, List<Prediction>> e : byModel.entrySet()) {
            String model = e.getKey();
            List<Prediction> ps = e.getValue();
            LinkedHashSet<Long> seeds = new LinkedHashSet<>();
            Map<String, List<Prediction>> byDomain = new LinkedHashMap<>();
            for (Prediction p : ps) {
                seeds.add(p.seed());
                byDomain.computeIfAbsent(p.domain(), k -> new ArrayList<>()).add(p);
            }
            GroupMetrics overall = group(model, GroupMetrics.ALL, ps, options);
            List<GroupMetrics> domains = new ArrayList<>();
            for (Map.Entry<String, List<Prediction>> d : byDomain.entrySet()) {
                domains.add(group(model, d.getKey(), d.getValue(), options));
            }
            models.add(new ModelMetrics(model, List.copyOf(seeds), overall, List.copyOf(domains)));
        }
        return new EvaluationReport(options, models);
    }

    /**
     * Writes a run's evaluation: {@code runDir/predictions.csv}, {@code runDir/metrics.json} and
     * {@code runDir/plots/*.png}; returns the report (print {@link EvaluationReport#summaryTable()}).
     */
    public static EvaluationReport writeRun(Path runDir, List<Prediction> predictions, EvaluationOptions options)
            throws IOException {
        PredictionsCsv.write(runDir.resolve(PredictionsCsv.FILE_NAME), predictions);
        return writeReport(runDir, evaluate(predictions, options));
    }

    /** Re-evaluates {@code runDir/predictions.csv}: writes {@code metrics.json} and {@code plots/}. */
    public static EvaluationReport evaluateRun(Path runDir, EvaluationOptions options) throws IOException {
        List<Prediction> predictions = PredictionsCsv.read(runDir.resolve(PredictionsCsv.FILE_NAME));
        if (predictions.isEmpty()) {
            throw new org.dgquantum.data.DataException(runDir.resolve(PredictionsCsv.FILE_NAME), "no predictions (header only)");
        }
        return writeReport(runDir, evaluate(predictions, options));
    }

    private static EvaluationReport writeReport(Path runDir, EvaluationReport report) throws IOException {
        report.writeJson(runDir.resolve(EvaluationReport.FILE_NAME));
        Plots.writeAll(report, runDir.resolve(Plots.DIR_NAME));
        return report;
    }

    /** The metrics of one group; package-private for tests. */
    static GroupMetrics group(String model, String domain, List<Prediction> ps, EvaluationOptions options) {
        int n = ps.size();
        int[] labels = new int[n];
        int[] preds = new int[n];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            Prediction p = ps.get(i);
            labels[i] = p.label();
            preds[i] = p.prediction();
            scores[i] = p.probability();
        }
        Metrics.Sorted s = Metrics.Sorted.of(labels, scores, preds);
        int nPos = s.positives.length;
        int nNeg = s.negatives.length;

        List<String> notes = new ArrayList<>();
        String oneClass = null;
        if (nPos == 0) oneClass = "only negatives (" + nNeg + " samples)";
        if (nNeg == 0) oneClass = "only positives (" + nPos + " samples)";
        if (oneClass != null) {
            notes.add(oneClass + ": AUC" + (nPos == 0 ? ", sensitivity" : ", specificity")
                    + ", balanced accuracy and sensitivity at 90% specificity are undefined (null)");
        } else if (nPos < FEW || nNeg < FEW) {
            notes.add("fewer than " + FEW + " samples of a class (" + nPos + " positives, " + nNeg
                    + " negatives): intervals are unreliable");
        }

        int[] ones = new int[n];
        Arrays.fill(ones, 1);
        ConfusionMatrix cm = s.confusion(ones);
        double[][] curve = s.rocCurve(ones);
        EnumMap<Metric, Double> point = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) point.put(m, value(m, s, ones, cm, curve));

        double[] grid = new double[ROC_GRID];
        for (int g = 0; g < ROC_GRID; g++) grid[g] = (double) g / (ROC_GRID - 1);

        int b = options.resamples();
        EnumMap<Metric, double[]> dist = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) dist.put(m, new double[b]);
        double[][] rocs = new double[b][ROC_GRID];
        boolean rocDefined = curve[0].length > 0;
        SplittableRandom rng = new SplittableRandom(groupSeed(options.seed(), model, domain));
        int[] w = new int[n];
        for (int r = 0; r < b; r++) {
            Arrays.fill(w, 0);
            for (int k = 0; k < nPos; k++) w[s.positives[rng.nextInt(nPos)]]++;
            for (int k = 0; k < nNeg; k++) w[s.negatives[rng.nextInt(nNeg)]]++;
            ConfusionMatrix c = s.confusion(w);
            double[][] resampledCurve = s.rocCurve(w);
            for (Metric m : Metric.values()) dist.get(m)[r] = value(m, s, w, c, resampledCurve);
            if (rocDefined) Metrics.Sorted.rocAt(resampledCurve, grid, rocs[r]);
        }

        double alpha = 1 - options.confidence();
        EnumMap<Metric, Estimate> metrics = new EnumMap<>(Metric.class);
        EnumMap<Metric, double[]> kept = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            double v = point.get(m);
            if (Double.isNaN(v)) {
                metrics.put(m, Estimate.undefined(undefinedNote(m, nPos, nNeg, cm)));
                kept.put(m, new double[0]);
                continue;
            }
            // kept in resample order (the figures' box plots and paired comparisons need it unsorted)
            kept.put(m, Arrays.stream(dist.get(m)).filter(x -> !Double.isNaN(x)).toArray());
            double[] valid = kept.get(m).clone();
            Arrays.sort(valid);
            double lo = Metrics.quantile(valid, alpha / 2);
            double hi = Metrics.quantile(valid, 1 - alpha / 2);
            String note = null;
            if (b > 0 && valid.length < b) {
                note = "defined on " + valid.length + " of " + b + " resamples";
            }
            metrics.put(m, new Estimate(v, lo, hi, valid.length, note));
        }

        double[] lower = new double[rocDefined && b > 0 ? ROC_GRID : 0];
        double[] upper = new double[lower.length];
        double[] col = new double[b];
        for (int g = 0; g < lower.length; g++) {
            for (int r = 0; r < b; r++) col[r] = rocs[r][g];
            Arrays.sort(col);
            lower[g] = Metrics.quantile(col, alpha / 2);
            upper[g] = Metrics.quantile(col, 1 - alpha / 2);
        }
        RocCurve roc = new RocCurve(curve[0], curve[1], grid, lower, upper);
        return new GroupMetrics(model, domain, n, nPos, nNeg, cm, Collections.unmodifiableMap(metrics),
                Collections.unmodifiableMap(kept), roc,
                List.copyOf(notes));
    }

    /**
     * Metric {@code m} of the sample weighted by {@code w}, given its confusion matrix and ROC points; package-private
     * for {@link PairedComparison}, whose values must equal these.
     */
    static double value(Metric m, Metrics.Sorted s, int[] w, ConfusionMatrix c, double[][] roc) {
        return switch (m) {
            case AUC -> s.auc(w);
            case SENSITIVITY_AT_90_SPECIFICITY -> Metrics.sensitivityAtMinSpecificity(roc);
            case ECE -> s.ece(w);
            default -> c.value(m);
        };
    }

    private static String undefinedNote(Metric m, int nPos, int nNeg, ConfusionMatrix cm) {
        return switch (m) {
            case AUC, BALANCED_ACCURACY, SENSITIVITY_AT_90_SPECIFICITY ->
                    "undefined: needs both classes (" + nPos + " positives, " + nNeg + " negatives)";
            case SENSITIVITY -> "undefined: no positive samples";
            case SPECIFICITY -> "undefined: no negative samples";
            case PRECISION -> "undefined: no positive predictions";
            case F1 -> "undefined: no positive samples and no positive predictions";
            case ACCURACY, ECE -> "undefined: no samples";
        };
    }

    /** A seed per (seed, model, domain), independent of evaluation order. */
    static long groupSeed(long seed, String model, String domain) {
        long h = seed * 0x9E3779B97F4A7C15L;
        h ^= mix(model.hashCode()) + 0x632BE59BD9B4E019L;
        h = mix(h);
        h ^= mix(domain.hashCode()) + 0x85EBCA77C2B2AE63L;
        return mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
