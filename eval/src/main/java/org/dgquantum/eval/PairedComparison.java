package org.dgquantum.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Compares a model ("other") with a reference model (DG-Quantum) on the same test images: DeLong's test of the AUC
 * difference and, for every {@link Metric}, the difference reference minus other with a paired bootstrap interval
 * and p-value.
 *
 * <p>Predictions are paired by (seed, id), the same image scored by the same training seed of both models; the
 * pairing must be one-to-one, with equal labels and domains. Each bootstrap resample draws the pairs (positives
 * from the positives, negatives from the negatives, as {@link Evaluation} does) and computes both models' metrics on
 * the same drawn images, so the interval of the difference accounts for the correlation of the two models. The
 * random stream depends only on the options' seed and the two model names. Point values equal
 * {@link Evaluation#evaluate}'s overall estimates of each model.
 *
 * <p>The p-value of a metric is {@code min(1, 2 * min(share of resampled differences <= 0, share >= 0))}, over the
 * resamples where the difference is defined: the two-sided bootstrap p-value of "no difference". It is at least
 * {@code 2 / resamples} unless it is 0 (no resample reached 0), so it cannot resolve smaller p-values.
 */
public final class PairedComparison {

    private PairedComparison() {
    }

    /**
     * The comparison of {@code other} with {@code reference}.
     *
     * @param reference   the reference model's name (e.g. {@code dgquantum})
     * @param other       the compared model's name
     * @param pairs       number of paired predictions
     * @param auc         DeLong's test of AUC(reference) - AUC(other)
     * @param differences per metric, reference minus other: point value, paired-bootstrap percentile interval, the
     *                    number of resamples where it is defined, and a note when undefined
     * @param p           per metric, the two-sided paired-bootstrap p-value ({@code NaN} when undefined or without
     *                    resamples)
     */
    public record Result(String reference, String other, int pairs, DeLong.Result auc,
                         Map<Metric, Estimate> differences, Map<Metric, Double> p) {
    }

    /**
     * Compares {@code oth} (model {@code other}) with {@code ref} (model {@code reference}).
     *
     * @throws IllegalArgumentException when the predictions do not pair one-to-one by (seed, id), or a pair
     *                                  disagrees on the label or domain; the message names both models
     */
    public static Result compare(String reference, List<Prediction> ref, String other, List<Prediction> oth,
                                 EvaluationOptions options) {
        Pairs pairs = pair(reference, ref, other, oth);
        int n = pairs.ref.size();
        int[] labels = new int[n];
        double[] scoresA = new double[n];
        double[] scoresB = new double[n];
        int[] predsA = new int[n];
        int[] predsB = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = pairs.ref.get(i).label();
            scoresA[i] = pairs.ref.get(i).probability();
            scoresB[i] = pairs.other.get(i).probability();
            predsA[i] = pairs.ref.get(i).prediction();
            predsB[i] = pairs.other.get(i).prediction();
        }
        DeLong.Result auc = DeLong.compare(labels, scoresA, scoresB, options.confidence());
        Metrics.Sorted a = Metrics.Sorted.of(labels, scoresA, predsA);
        Metrics.Sorted b = Metrics.Sorted.of(labels, scoresB, predsB);

        Metric[] metrics = Metric.values();
        int[] ones = new int[n];
        Arrays.fill(ones, 1);
        double[] pointA = values(a, ones);
        double[] pointB = values(b, ones);

        int resamples = options.resamples();
        double[][] dist = new double[metrics.length][resamples];
        SplittableRandom rng = new SplittableRandom(seed(options.seed(), "paired", reference, other));
        int[][] strata = strata(labels);
        int[] w = new int[n];
        int[] wa = new int[n];
        int[] wb = new int[n];
        for (int r = 0; r < resamples; r++) {
            draw(strata, rng, w);
            double[] va = values(a, a.sortedWeights(w, wa));
            double[] vb = values(b, b.sortedWeights(w, wb));
            for (int m = 0; m < metrics.length; m++) dist[m][r] = va[m] - vb[m];
        }

        double alpha = 1 - options.confidence();
        EnumMap<Metric, Estimate> differences = new EnumMap<>(Metric.class);
        EnumMap<Metric, Double> p = new EnumMap<>(Metric.class);
        for (Metric metric : metrics) {
            int m = metric.ordinal();
            double d = pointA[m] - pointB[m];
            if (Double.isNaN(d)) {
                String which = Double.isNaN(pointA[m]) && Double.isNaN(pointB[m]) ? "both models"
                        : Double.isNaN(pointA[m]) ? reference : other;
                differences.put(metric, Estimate.undefined("undefined: " + metric.key() + " is undefined for " + which));
                p.put(metric, Double.NaN);
                continue;
            }
            double[] valid = Arrays.stream(dist[m]).filter(x -> !Double.isNaN(x)).sorted().toArray();
            String note = resamples > 0 && valid.length < resamples
                    ? "defined on " + valid.length + " of " + resamples + " resamples" : null;
            differences.put(metric, new Estimate(d, Metrics.quantile(valid, alpha / 2),
                    Metrics.quantile(valid, 1 - alpha / 2), valid.length, note));
            p.put(metric, bootstrapP(valid));
        }
        return new Result(reference, other, n, auc, Collections.unmodifiableMap(differences),
                Collections.unmodifiableMap(p));
    }

    /**
     * Compares every other model in {@code predictions} (in order of first appearance) with {@code reference}.
     *
     * @throws IllegalArgumentException when {@code reference} has no predictions, or as {@link #compare}
     */
    public static List<Result> againstReference(List<Prediction> predictions, String reference,
                                                EvaluationOptions options) {
        Map<String, List<Prediction>> byModel = new LinkedHashMap<>();
        for (Prediction p : predictions) byModel.computeIfAbsent(p.model(), k -> new ArrayList<>()).add(p);
        List<Prediction> ref = byModel.get(reference);
        if (ref == null) throw new IllegalArgumentException("no predictions of reference model \"" + reference + "\"");
        List<Result> out = new ArrayList<>();
        for (Map.Entry<String, List<Prediction>> e : byModel.entrySet()) {
            if (!e.getKey().equals(reference)) out.add(compare(reference, ref, e.getKey(), e.getValue(), options));
        }
        return out;
    }

    /** Two-sided bootstrap p-value of "difference 0" from the sorted resampled differences; NaN without any. */
    static double bootstrapP(double[] differences) {
        if (differences.length == 0) return Double.NaN;
        long le = 0, ge = 0;
        for (double d : differences) {
            if (d <= 0) le++;
            if (d >= 0) ge++;
        }
        return Math.min(1, 2.0 * Math.min(le, ge) / differences.length);
    }

    /** Every metric, in {@link Metric} order, of the sample weighted by {@code w} (sorted order of {@code s}). */
    private static double[] values(Metrics.Sorted s, int[] w) {
        ConfusionMatrix c = s.confusion(w);
        double[][] roc = s.rocCurve(w);
        Metric[] metrics = Metric.values();
        double[] v = new double[metrics.length];
        for (Metric m : metrics) v[m.ordinal()] = Evaluation.value(m, s, w, c, roc);
        return v;
    }

    /** Input indices of the negatives ({@code [0]}) and positives ({@code [1]}). */
    static int[][] strata(int[] labels) {
        int nPos = 0;
        for (int l : labels) nPos += l;
        int[][] out = {new int[labels.length - nPos], new int[nPos]};
        int[] fill = new int[2];
        for (int i = 0; i < labels.length; i++) out[labels[i]][fill[labels[i]]++] = i;
        return out;
    }

    /** One stratified resample as multiplicities {@code w} per input index: each stratum keeps its size. */
    static void draw(int[][] strata, SplittableRandom rng, int[] w) {
        Arrays.fill(w, 0);
        for (int[] s : strata) {
            for (int k = 0; k < s.length; k++) w[s[rng.nextInt(s.length)]]++;
        }
    }

    /** A seed per (seed, purpose, reference, other), independent of what else is evaluated. */
    static long seed(long seed, String purpose, String reference, String other) {
        // the NUL separator keeps ("a", "b c") and ("a b", "c") apart
        return Evaluation.groupSeed(seed, reference, purpose + '\0' + other);
    }

    /** {@code ref.get(i)} and {@code other.get(i)} are the same image (seed, id), in the reference's order. */
    record Pairs(List<Prediction> ref, List<Prediction> other) {
    }

    private record Key(long seed, String id) {
    }

    /**
     * Pairs two models' predictions by (seed, id).
     *
     * @throws IllegalArgumentException when they do not pair one-to-one or a pair disagrees on label or domain
     */
    static Pairs pair(String reference, List<Prediction> ref, String other, List<Prediction> oth) {
        if (ref.isEmpty() || oth.isEmpty()) {
            throw new IllegalArgumentException("cannot compare " + reference + " (" + ref.size() + " predictions) with "
                    + other + " (" + oth.size() + " predictions): no predictions");
        }
        Map<Key, Prediction> byKey = index(other, oth);
        Map<Key, Prediction> refKeys = index(reference, ref);
        List<Prediction> paired = new ArrayList<>(ref.size());
        int unmatchedRef = 0;
        Prediction example = null;
        for (Prediction p : ref) {
            Prediction q = byKey.get(new Key(p.seed(), p.id()));
            if (q == null) {
                unmatchedRef++;
                if (example == null) example = p;
                continue;
            }
            if (q.label() != p.label() || !q.domain().equals(p.domain())) {
                throw new IllegalArgumentException("models " + reference + " and " + other + " disagree on image "
                        + p.id() + " (seed " + p.seed() + "): label " + p.label() + " vs " + q.label() + ", domain "
                        + p.domain() + " vs " + q.domain() + "; are they the same test set?");
            }
            paired.add(q);
        }
        int unmatchedOther = 0;
        for (Prediction q : oth) {
            if (!refKeys.containsKey(new Key(q.seed(), q.id()))) {
                unmatchedOther++;
                if (example == null) example = q;
            }
        }
        if (unmatchedRef > 0 || unmatchedOther > 0) {
            throw new IllegalArgumentException("models " + reference + " (" + ref.size() + " predictions) and "
                    + other + " (" + oth.size() + " predictions) do not pair one-to-one by (seed, id): "
                    + unmatchedRef + " of " + reference + "'s and " + unmatchedOther + " of " + other
                    + "'s have no partner, e.g. image " + example.id() + " (seed " + example.seed()
                    + " of " + example.model() + "); were they evaluated on the same test set?");
        }
        return new Pairs(List.copyOf(ref), List.copyOf(paired));
    }

    private static Map<Key, Prediction> index(String model, List<Prediction> ps) {
        Map<Key, Prediction> out = new HashMap<>(ps.size() * 2);
        for (Prediction p : ps) {
            if (out.put(new Key(p.seed(), p.id()), p) != null) {
                throw new IllegalArgumentException("model " + model + " has more than one prediction for image "
                        + p.id() + " (seed " + p.seed() + ")");
            }
        }
        return out;
    }
}
