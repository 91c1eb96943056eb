package org.dgquantum.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How much a model's accuracy varies across domains (unseen centers): the population variance (denominator = number
 * of domains, every domain weighing the same) of the per-domain accuracies, and its square root, the standard
 * deviation. The paper claims a lower variance for DG-Quantum than for the other models.
 *
 * <p>Intervals are percentile bootstrap intervals: each resample draws every domain's samples within the domain,
 * positives from its positives and negatives from its negatives, so domain sizes and class counts stay fixed.
 * {@link #varianceDifference} draws the same images for both models. Seeds depend only on the options' seed and
 * the model names. Undefined (with a note) for fewer than 2 domains.
 */
public final class DomainSpread {

    private DomainSpread() {
    }

    /**
     * The spread of one model's accuracy across domains.
     *
     * @param model             the model
     * @param accuracy          accuracy per domain, in order of first appearance
     * @param variance          population variance of {@code accuracy}, with its bootstrap interval
     * @param standardDeviation square root of {@code variance}, with its bootstrap interval
     */
    public record Result(String model, Map<String, Double> accuracy, Estimate variance, Estimate standardDeviation) {
    }

    /** {@link #of}'s variance: population variance across domains of the per-domain accuracy. */
    public static Estimate accuracyVariance(List<Prediction> ps, EvaluationOptions options) {
        return of(ps, options).variance();
    }

    /**
     * Per-domain accuracies of one model's predictions (several seeds are pooled), their variance and standard
     * deviation with bootstrap intervals.
     *
     * @throws IllegalArgumentException without predictions, or with predictions of more than one model
     */
    public static Result of(List<Prediction> predictions, EvaluationOptions options) {
        String model = singleModel(predictions);
        List<Prediction> ps = List.copyOf(predictions); // indexed access in the resampling loop
        Domains d = new Domains(ps);
        int b = d.names.size() < 2 ? 0 : options.resamples(); // undefined anyway
        double[] variances = new double[b];
        double[] sds = new double[b];
        SplittableRandom rng = new SplittableRandom(PairedComparison.seed(options.seed(), "domain spread", model, ""));
        int[] w = new int[ps.size()];
        for (int r = 0; r < b; r++) {
            d.draw(rng, w);
            variances[r] = populationVariance(d.accuracies(ps, w));
            sds[r] = Math.sqrt(variances[r]);
        }
        double[] acc = d.accuracies(ps, d.ones());
        Map<String, Double> perDomain = new LinkedHashMap<>();
        for (int k = 0; k < acc.length; k++) perDomain.put(d.names.get(k), acc[k]);
        double v = populationVariance(acc);
        return new Result(model, Collections.unmodifiableMap(perDomain), estimate(v, variances, d, options),
                estimate(Math.sqrt(v), sds, d, options));
    }

    /**
     * The variance of {@code ref}'s per-domain accuracy minus that of {@code other}'s (negative: the reference
     * varies less), with a paired bootstrap interval: every resample draws the same images for both models.
     *
     * @throws IllegalArgumentException as {@link PairedComparison#compare} when the predictions do not pair, or
     *                                  when a list holds predictions of more than one model
     */
    public static Estimate varianceDifference(List<Prediction> ref, List<Prediction> other, EvaluationOptions options) {
        String refModel = singleModel(ref);
        String otherModel = singleModel(other);
        PairedComparison.Pairs pairs = PairedComparison.pair(refModel, ref, otherModel, other);
        Domains d = new Domains(pairs.ref());
        int b = d.names.size() < 2 ? 0 : options.resamples(); // undefined anyway
        double[] diffs = new double[b];
        SplittableRandom rng = new SplittableRandom(
                PairedComparison.seed(options.seed(), "domain spread", refModel, otherModel));
        int[] w = new int[pairs.ref().size()];
        for (int r = 0; r < b; r++) {
            d.draw(rng, w);
            diffs[r] = populationVariance(d.accuracies(pairs.ref(), w))
                    - populationVariance(d.accuracies(pairs.other(), w));
        }
        double point = populationVariance(d.accuracies(pairs.ref(), d.ones()))
                - populationVariance(d.accuracies(pairs.other(), d.ones()));
        return estimate(point, diffs, d, options);
    }

    private static Estimate estimate(double value, double[] dist, Domains d, EvaluationOptions options) {
        if (d.names.size() < 2) {
            return Estimate.undefined("undefined: needs at least 2 domains, got " + d.names.size() + " (" + d.names.get(0) + ")");
        }
        double[] sorted = dist.clone();
        Arrays.sort(sorted);
        double alpha = 1 - options.confidence();
        return new Estimate(value, Metrics.quantile(sorted, alpha / 2), Metrics.quantile(sorted, 1 - alpha / 2),
                sorted.length, null);
    }

    /** Mean squared deviation from the mean (denominator = length): the domains are all there is, not a sample. */
    static double populationVariance(double[] x) {
        double mean = 0;
        for (double v : x) mean += v;
        mean /= x.length;
        double ss = 0;
        for (double v : x) ss += (v - mean) * (v - mean);
        return ss / x.length;
    }

    private static String singleModel(List<Prediction> ps) {
        if (ps.isEmpty()) throw new IllegalArgumentException("no predictions");
        String model = ps.get(0).model();
        for (Prediction p : ps) {
            if (!p.model().equals(model)) {
                throw new IllegalArgumentException("predictions of more than one model: " + model + " and " + p.model());
            }
        }
        return model;
    }

    /** The domains of a list of predictions and, per domain, its label strata (input indices). */
    private static final class Domains {
        final List<String> names = new ArrayList<>();
        /** domain index of each input index. */
        final int[] domainOf;
        /** strata[k] = {negatives, positives} of domain k. */
        final List<int[][]> strata = new ArrayList<>();

        Domains(List<Prediction> ps) {
            Map<String, List<Integer>> byDomain = new LinkedHashMap<>();
            for (int i = 0; i < ps.size(); i++) byDomain.computeIfAbsent(ps.get(i).domain(), k -> new ArrayList<>()).add(i);
            domainOf = new int[ps.size()];
            for (Map.Entry<String, List<Integer>> e : byDomain.entrySet()) {
                int k = names.size();
                names.add(e.getKey());
                List<Integer> idx = e.getValue();
                int nPos = 0;
                for (int i : idx) {
                    domainOf[i] = k;
                    nPos += ps.get(i).label();
                }
                int[][] s = {new int[idx.size() - nPos], new int[nPos]};
                int[] fill = new int[2];
                for (int i : idx) {
                    int l = ps.get(i).label();
                    s[l][fill[l]++] = i;
                }
                strata.add(s);
            }
        }

        int[] ones() {
            int[] w = new int[domainOf.length];
            Arrays.fill(w, 1);
            return w;
        }

        /** A resample within every domain and label: multiplicities per input index. */
        void draw(SplittableRandom rng, int[] w) {
            Arrays.fill(w, 0);
            for (int[][] s : strata) {
                for (int[] stratum : s) {
                    for (int k = 0; k < stratum.length; k++) w[stratum[rng.nextInt(stratum.length)]]++;
                }
            }
        }

        /** Weighted accuracy per domain of {@code ps} (same domains and order as this was built from). */
        double[] accuracies(List<Prediction> ps, int[] w) {
            long[] correct = new long[names.size()];
            long[] total = new long[names.size()];
            for (int i = 0; i < w.length; i++) {
                Prediction p = ps.get(i);
                total[domainOf[i]] += w[i];
                if (p.prediction() == p.label()) correct[domainOf[i]] += w[i];
            }
            double[] acc = new double[names.size()];
            for (int k = 0; k < acc.length; k++) acc[k] = (double) correct[k] / total[k];
            return acc;
        }
    }
}
