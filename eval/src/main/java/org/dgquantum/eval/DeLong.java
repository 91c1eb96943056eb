package org.dgquantum.eval;

import java.util.Arrays;

/**
 * DeLong's test for the difference of two correlated ROC AUCs measured on the same samples (DeLong, DeLong &amp;
 * Clarke-Pearson, Biometrics 44:837-845, 1988), computed from midranks as in Sun &amp; Xu (IEEE Signal Processing
 * Letters 21:1389-1393, 2014), in O(n log n).
 *
 * <p>With m positives X and n negatives Y, the placement values of a model are
 * {@code V10(X_i) = (Tz(X_i) - Tx(X_i)) / n} (the share of negatives scored below the positive X_i, ties one
 * half) and {@code V01(Y_j) = 1 - (Tz(Y_j) - Ty(Y_j)) / m} (the share of positives scored above Y_j), where Tz,
 * Tx and Ty are midranks in the pooled sample, among the positives and among the negatives. The AUC is the mean
 * of either, and equals {@link Metrics#auc}. The variance of the difference of two AUCs is
 * {@code var(V10_A - V10_B) / m + var(V01_A - V01_B) / n} (sample variances, denominators m-1 and n-1), i.e.
 * {@code S_AA + S_BB - 2 S_AB} of DeLong's covariance matrix {@code S = S10 / m + S01 / n}, and
 * {@code z = (AUC_A - AUC_B) / se} is compared with the standard normal distribution.
 *
 * <p>Undefined cases give {@code NaN} rather than an exception, so that a comparison of many metrics survives a
 * group where the AUC test is impossible: with fewer than 2 positives or 2 negatives the variance is undefined
 * and everything but the AUCs is {@code NaN} (the AUCs are {@code NaN} too when a class is absent). When the two
 * models' placement values differ by constants (identical scores, or both separating the classes perfectly)
 * the standard error is 0: then a zero difference gives {@code z = NaN} and {@code p = 1}, and a nonzero one
 * {@code z = +-Infinity} and {@code p = 0} (a degenerate variance estimate; see docs/evaluation.md).
 */
public final class DeLong {

    private DeLong() {
    }

    /**
     * The test of {@code aucA - aucB}.
     *
     * @param aucA          AUC of model A ({@link Metrics#auc})
     * @param aucB          AUC of model B
     * @param difference    {@code aucA - aucB}
     * @param standardError DeLong's standard error of the difference
     * @param lower         lower bound of the normal confidence interval {@code difference +- z_(1+c)/2 * se}
     * @param upper         upper bound of that interval
     * @param z             {@code difference / standardError}
     * @param p             two-sided p-value {@code 2 * (1 - Phi(|z|))}, in [0, 1]
     */
    public record Result(double aucA, double aucB, double difference, double standardError, double lower,
                         double upper, double z, double p) {
    }

    /**
     * DeLong's test of the AUC of {@code scoresA} against that of {@code scoresB} on the same samples.
     *
     * @param labels     0/1 ground truth, one per sample
     * @param scoresA    model A's scores (higher means more likely class 1)
     * @param scoresB    model B's scores for the same samples, in the same order
     * @param confidence level of the confidence interval of the difference, in (0, 1)
     * @throws IllegalArgumentException on arrays of different lengths, labels other than 0/1, or a confidence
     *                                  outside (0, 1)
     */
    public static Result compare(int[] labels, double[] scoresA, double[] scoresB, double confidence) {
        if (scoresA.length != labels.length || scoresB.length != labels.length) {
            throw new IllegalArgumentException("length mismatch: " + labels.length + " labels, " + scoresA.length
                    + " and " + scoresB.length + " scores");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
        Placements a = placements(labels, scoresA);
        Placements b = placements(labels, scoresB);
        double diff = a.auc - b.auc;
        if (a.v10.length < 2 || a.v01.length < 2) {
            double nan = Double.NaN;
            return new Result(a.auc, b.auc, diff, nan, nan, nan, nan, nan);
        }
        double var = sampleVariance(a.v10, b.v10) / a.v10.length + sampleVariance(a.v01, b.v01) / a.v01.length;
        double se = Math.sqrt(var);
        double half = Normal.quantile((1 + confidence) / 2) * se;
        double z;
        double p;
        if (se == 0) {
            z = diff == 0 ? Double.NaN : Math.copySign(Double.POSITIVE_INFINITY, diff);
            p = diff == 0 ? 1 : 0;
        } else {
            z = diff / se;
            p = Normal.twoSidedP(z);
        }
        return new Result(a.auc, b.auc, diff, se, diff - half, diff + half, z, p);
    }

    /**
     * DeLong's variance of one AUC: {@code var(V10) / m + var(V01) / n}; {@code NaN} with fewer than 2 positives
     * or 2 negatives.
     *
     * @throws IllegalArgumentException on arrays of different lengths or labels other than 0/1
     */
    public static double variance(int[] labels, double[] scores) {
        if (scores.length != labels.length) throw new IllegalArgumentException("length mismatch");
        Placements a = placements(labels, scores);
        if (a.v10.length < 2 || a.v01.length < 2) return Double.NaN;
        double[] zero10 = new double[a.v10.length];
        double[] zero01 = new double[a.v01.length];
        return sampleVariance(a.v10, zero10) / a.v10.length + sampleVariance(a.v01, zero01) / a.v01.length;
    }

    /** Placement values of the positives ({@code v10}) and negatives ({@code v01}), in input order, and the AUC. */
    private record Placements(double[] v10, double[] v01, double auc) {
    }

    private static Placements placements(int[] labels, double[] scores) {
        int n = labels.length;
        int m = 0;
        for (int l : labels) {
            if (l != 0 && l != 1) throw new IllegalArgumentException("labels must be 0 or 1, got " + l);
            m += l;
        }
        int k = n - m; // negatives
        // pooled sample z = (positives, negatives), each in input order
        double[] x = new double[m];
        double[] y = new double[k];
        for (int i = 0, p = 0, q = 0; i < n; i++) {
            if (labels[i] == 1) x[p++] = scores[i]; else y[q++] = scores[i];
        }
        double[] z = new double[n];
        System.arraycopy(x, 0, z, 0, m);
        System.arraycopy(y, 0, z, m, k);
        double[] tx = midranks(x);
        double[] ty = midranks(y);
        double[] tz = midranks(z);
        double[] v10 = new double[m];
        double[] v01 = new double[k];
        double rankSumPos = 0;
        for (int i = 0; i < m; i++) {
            v10[i] = (tz[i] - tx[i]) / k;
            rankSumPos += tz[i];
        }
        for (int j = 0; j < k; j++) v01[j] = 1 - (tz[m + j] - ty[j]) / m;
        // the same expression as Metrics.auc, so that the two agree to the last bit
        double auc = m == 0 || k == 0 ? Double.NaN : (rankSumPos - m * (m + 1) / 2.0) / ((double) m * k);
        return new Placements(v10, v01, auc);
    }

    /** 1-based ranks of {@code v}, tied values sharing their average rank. */
    static double[] midranks(double[] v) {
        int n = v.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && v[order[j + 1]] == v[order[i]]) j++;
            double mid = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) r[order[t]] = mid;
            i = j + 1;
        }
        return r;
    }

    /**
     * The sample variance (denominator length - 1) of {@code a - b}; computing it from the differences, not as
     * {@code var a + var b - 2 cov}, keeps it exactly 0 for identical inputs and never negative.
     */
    private static double sampleVariance(double[] a, double[] b) {
        int n = a.length;
        double mean = 0;
        for (int i = 0; i < n; i++) mean += a[i] - b[i];
        mean /= n;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double d = a[i] - b[i] - mean;
            ss += d * d;
        }
        return ss / (n - 1);
    }
}
