package org.dgquantum.eval;

import java.util.Arrays;

/**
 * Point metrics on plain arrays (labels 0/1, scores = probability of class 1). The bootstrap in
 * {@link Evaluation} uses a weighted equivalent; tests check that the two agree.
 */
public final class Metrics {
    /** The specificity floor of {@link Metric#SENSITIVITY_AT_90_SPECIFICITY}. */
    public static final double MIN_SPECIFICITY = 0.90;
    /** Number of equal-width probability bins of {@link Metric#ECE}: [0, 0.1), [0.1, 0.2), ..., [0.9, 1]. */
    public static final int ECE_BINS = 10;

    private Metrics() {
    }

    /**
     * ROC AUC by the Mann-Whitney statistic: the probability that a random positive scores higher than a
     * random negative, ties counting one half (average ranks). {@code NaN} when one class is absent.
     */
    public static double auc(int[] labels, double[] scores) {
        int n = labels.length;
        if (scores.length != n) throw new IllegalArgumentException("length mismatch");
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPos = 0;
        long nPos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) j++;
            double avgRank = (i + 1 + j + 1) / 2.0; // ranks are 1-based
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1) {
                    rankSumPos += avgRank;
                    nPos++;
                }
            }
            i = j + 1;
        }
        long nNeg = n - nPos;
        if (nPos == 0 || nNeg == 0) return Double.NaN;
        return (rankSumPos - nPos * (nPos + 1) / 2.0) / ((double) nPos * nNeg);
    }

    /** Hard predictions at {@code threshold}: {@code score >= threshold ? 1 : 0}. */
    public static int[] threshold(double[] scores, double threshold) {
        int[] p = new int[scores.length];
        for (int i = 0; i < p.length; i++) p[i] = scores[i] >= threshold ? 1 : 0;
        return p;
    }

    /**
     * The empirical ROC curve: points (FPR, TPR) from (0, 0) to (1, 1), one per distinct score in
     * descending order (tied scores move diagonally). Returns {@code {fpr[], tpr[]}}; empty arrays when one
     * class is absent.
     */
    public static double[][] rocCurve(int[] labels, double[] scores) {
        int[] w = new int[labels.length];
        Arrays.fill(w, 1);
        return Sorted.of(labels, scores, labels).rocCurve(w);
    }

    /**
     * The largest sensitivity (TPR) among the points of {@link #rocCurve} whose specificity (1 - FPR) is at least
     * {@link #MIN_SPECIFICITY}; {@code NaN} when one class is absent.
     */
    public static double sensitivityAt90Specificity(int[] labels, double[] scores) {
        return sensitivityAtMinSpecificity(rocCurve(labels, scores));
    }

    /**
     * Expected calibration error of {@code scores} as probabilities of class 1: the sum over
     * {@link #ECE_BINS} equal-width bins of |bin| / n * |mean score in the bin - fraction of positives in it|;
     * {@code NaN} without samples.
     */
    public static double ece(int[] labels, double[] scores) {
        int[] w = new int[labels.length];
        Arrays.fill(w, 1);
        return Sorted.of(labels, scores, labels).ece(w);
    }

    /** The largest TPR of the ROC points {@code {fpr[], tpr[]}} with 1 - FPR >= {@link #MIN_SPECIFICITY}. */
    static double sensitivityAtMinSpecificity(double[][] roc) {
        double[] fpr = roc[0], tpr = roc[1];
        if (fpr.length == 0) return Double.NaN;
        double best = 0; // the curve starts at (0, 0)
        // FPR = fp / negatives is correctly rounded, and 1 - 0.1 == 0.90 in doubles, so specificity exactly 0.90 counts
        for (int k = 0; k < fpr.length; k++) {
            if (1 - fpr[k] >= MIN_SPECIFICITY && tpr[k] > best) best = tpr[k];
        }
        return best;
    }

    /** Linear percentile (type 7, as R's default and NumPy's): q in [0, 1] of ascending {@code sorted}. */
    public static double quantile(double[] sorted, double q) {
        int m = sorted.length;
        if (m == 0) return Double.NaN;
        double h = (m - 1) * q;
        int lo = (int) Math.floor(h);
        if (lo >= m - 1) return sorted[m - 1];
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    /**
     * Samples of one group sorted by ascending score, with tie blocks, so that metrics of a bootstrap
     * resample (given as a multiplicity per sample) cost O(n).
     */
    static final class Sorted {
        final int n;
        final double[] score;
        final int[] label;
        final int[] pred;
        /** order[i] is the input index of sorted sample i (to map weights given in input order). */
        final int[] order;
        /** blockStart[b]..blockStart[b+1]-1 share one score; length blocks+1. */
        final int[] blockStart;
        final int[] positives;
        final int[] negatives;

        private Sorted(double[] score, int[] label, int[] pred, int[] order) {
            this.n = score.length;
            this.score = score;
            this.label = label;
            this.pred = pred;
            this.order = order;
            int[] starts = new int[n + 1];
            int b = 0;
            for (int i = 0; i < n; i++) {
                if (i == 0 || score[i] != score[i - 1]) starts[b++] = i;
            }
            starts[b] = n;
            this.blockStart = Arrays.copyOf(starts, b + 1);
            int nPos = 0;
            for (int l : label) nPos += l;
            positives = new int[nPos];
            negatives = new int[n - nPos];
            int p = 0, q = 0;
            for (int i = 0; i < n; i++) {
                if (label[i] == 1) positives[p++] = i; else negatives[q++] = i;
            }
        }

        static Sorted of(int[] labels, double[] scores, int[] predictions) {
            int n = labels.length;
            if (scores.length != n || predictions.length != n) throw new IllegalArgumentException("length mismatch");
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = i;
            Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
            double[] s = new double[n];
            int[] l = new int[n];
            int[] p = new int[n];
            int[] o = new int[n];
            for (int i = 0; i < n; i++) {
                s[i] = scores[order[i]];
                l[i] = labels[order[i]];
                p[i] = predictions[order[i]];
                o[i] = order[i];
            }
            return new Sorted(s, l, p, o);
        }

        /** Weights in sorted order from weights {@code inputWeights} given per input index. */
        int[] sortedWeights(int[] inputWeights, int[] out) {
            for (int i = 0; i < n; i++) out[i] = inputWeights[order[i]];
            return out;
        }

        ConfusionMatrix confusion(int[] w) {
            long tp = 0, fp = 0, tn = 0, fn = 0;
            for (int i = 0; i < n; i++) {
                int c = w[i];
                if (c == 0) continue;
                if (label[i] == 1) {
                    if (pred[i] == 1) tp += c; else fn += c;
                } else {
                    if (pred[i] == 1) fp += c; else tn += c;
                }
            }
            return new ConfusionMatrix(tp, fp, tn, fn);
        }

        /** Weighted Mann-Whitney AUC; {@code NaN} when a class has zero weight. */
        double auc(int[] w) {
            double num = 0;
            long negBelow = 0, nPos = 0, nNeg = 0;
            for (int b = 0; b + 1 < blockStart.length; b++) {
                long pb = 0, nb = 0;
                for (int i = blockStart[b]; i < blockStart[b + 1]; i++) {
                    if (label[i] == 1) pb += w[i]; else nb += w[i];
                }
                num += pb * (negBelow + 0.5 * nb);
                negBelow += nb;
                nPos += pb;
                nNeg += nb;
            }
            if (nPos == 0 || nNeg == 0) return Double.NaN;
            return num / ((double) nPos * nNeg);
        }

        /** Weighted {@link Metrics#ece}: each sample counts {@code w[i]} times. */
        double ece(int[] w) {
            double[] sumScore = new double[ECE_BINS];
            long[] pos = new long[ECE_BINS];
            long total = 0;
            for (int i = 0; i < n; i++) {
                if (w[i] == 0) continue;
                int b = Math.min((int) (score[i] * ECE_BINS), ECE_BINS - 1); // a score of 1 joins the last bin
                sumScore[b] += w[i] * score[i];
                pos[b] += (long) w[i] * label[i];
                total += w[i];
            }
            if (total == 0) return Double.NaN;
            // |bin| / n * |mean score - positive fraction| = |sum of scores - positives| / n
            double sum = 0;
            for (int b = 0; b < ECE_BINS; b++) sum += Math.abs(sumScore[b] - pos[b]);
            return sum / total;
        }

        /** Weighted ROC points from (0,0) to (1,1), descending score; empty when a class has zero weight. */
        double[][] rocCurve(int[] w) {
            long totPos = 0, totNeg = 0;
            for (int i = 0; i < n; i++) {
                if (label[i] == 1) totPos += w[i]; else totNeg += w[i];
            }
            if (totPos == 0 || totNeg == 0) return new double[][] {new double[0], new double[0]};
            int blocks = blockStart.length - 1;
            double[] fpr = new double[blocks + 1];
            double[] tpr = new double[blocks + 1];
            long tp = 0, fp = 0;
            int k = 1;
            for (int b = blocks - 1; b >= 0; b--) {
                for (int i = blockStart[b]; i < blockStart[b + 1]; i++) {
                    if (label[i] == 1) tp += w[i]; else fp += w[i];
                }
                fpr[k] = (double) fp / totNeg;
                tpr[k] = (double) tp / totPos;
                k++;
            }
            return new double[][] {fpr, tpr};
        }

        /**
         * TPR of the ROC points {@code roc} ({@link #rocCurve}) at each FPR of {@code grid}, by linear
         * interpolation along the curve (at a vertical segment the highest TPR). NaN when the curve is empty.
         */
        static void rocAt(double[][] roc, double[] grid, double[] out) {
            double[] f = roc[0], t = roc[1];
            if (f.length == 0) {
                Arrays.fill(out, Double.NaN);
                return;
            }
            int k = 0;
            for (int g = 0; g < grid.length; g++) {
                double x = grid[g];
                while (k + 1 < f.length && f[k + 1] <= x) k++;
                if (k + 1 >= f.length || f[k] == x) {
                    out[g] = t[k];
                } else {
                    out[g] = t[k] + (t[k + 1] - t[k]) * (x - f[k]) / (f[k + 1] - f[k]);
                }
            }
        }
    }
}
