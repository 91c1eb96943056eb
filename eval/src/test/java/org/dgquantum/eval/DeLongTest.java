package org.dgquantum.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class DeLongTest {

    /**
     * DeLong's statistic from the definition, in O(n^2): psi(x, y) = 1 if x > y, 1/2 if x == y, 0 otherwise;
     * V10 and V01 placement values, the 2x2 covariance matrices S10 and S01 (denominators m-1 and n-1),
     * S = S10/m + S01/n, var(A-B) = S_AA + S_BB - 2 S_AB. Returns {aucA, aucB, var(A-B), S_AA, S_BB}.
     */
    private static double[] byDefinition(int[] labels, double[] a, double[] b) {
        int m = 0;
        for (int l : labels) m += l;
        int n = labels.length - m;
        double[][] x = new double[2][m], y = new double[2][n];
        double[][] scores = {a, b};
        for (int r = 0; r < 2; r++) {
            for (int i = 0, p = 0, q = 0; i < labels.length; i++) {
                if (labels[i] == 1) x[r][p++] = scores[r][i]; else y[r][q++] = scores[r][i];
            }
        }
        double[][] v10 = new double[2][m], v01 = new double[2][n];
        double[] theta = new double[2];
        for (int r = 0; r < 2; r++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double psi = x[r][i] > y[r][j] ? 1 : x[r][i] == y[r][j] ? 0.5 : 0;
                    v10[r][i] += psi / n;
                    v01[r][j] += psi / m;
                    theta[r] += psi / ((double) m * n);
                }
            }
        }
        double[][] s = new double[2][2];
        for (int r = 0; r < 2; r++) {
            for (int t = 0; t < 2; t++) {
                double s10 = 0, s01 = 0;
                for (int i = 0; i < m; i++) s10 += (v10[r][i] - theta[r]) * (v10[t][i] - theta[t]);
                for (int j = 0; j < n; j++) s01 += (v01[r][j] - theta[r]) * (v01[t][j] - theta[t]);
                s[r][t] = s10 / (m - 1) / m + s01 / (n - 1) / n;
            }
        }
        return new double[] {theta[0], theta[1], s[0][0] + s[1][1] - 2 * s[0][1], s[0][0], s[1][1]};
    }

    /** Correlated scores with many ties: rounded to one decimal. */
    private static double[][] data(long seed, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] labels = new int[n];
        double[] a = new double[n], b = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextDouble() < 0.35 ? 1 : 0;
            double common = rng.nextDouble();
            a[i] = Math.round((0.5 * common + 0.3 * labels[i] + 0.4 * rng.nextDouble()) * 10) / 10.0;
            b[i] = Math.round((0.5 * common + 0.15 * labels[i] + 0.4 * rng.nextDouble()) * 10) / 10.0;
        }
        double[] l = new double[n];
        for (int i = 0; i < n; i++) l[i] = labels[i];
        return new double[][] {l, a, b};
    }

    private static int[] labels(double[] l) {
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) out[i] = (int) l[i];
        return out;
    }

    @Test
    void matchesTheDefinitionOnRandomDataWithTies() {
        for (long seed = 1; seed <= 20; seed++) {
            double[][] d = data(seed, 30 + (int) seed * 7);
            int[] labels = labels(d[0]);
            double[] ref = byDefinition(labels, d[1], d[2]);
            DeLong.Result r = DeLong.compare(labels, d[1], d[2], 0.9);
            assertEquals(ref[0], r.aucA(), 1e-12);
            assertEquals(ref[1], r.aucB(), 1e-12);
            assertEquals(ref[0] - ref[1], r.difference(), 1e-12);
            double se = Math.sqrt(ref[2]);
            assertEquals(se, r.standardError(), 1e-12);
            double z = (ref[0] - ref[1]) / se;
            assertEquals(z, r.z(), 1e-12 * Math.max(1, Math.abs(z)));
            assertEquals(Normal.twoSidedP(z), r.p(), 1e-12);
            // 90% interval: z_0.95 = 1.6448536269514722
            assertEquals(ref[0] - ref[1] - 1.6448536269514722 * se, r.lower(), 1e-12);
            assertEquals(ref[0] - ref[1] + 1.6448536269514722 * se, r.upper(), 1e-12);
            assertEquals(ref[3], DeLong.variance(labels, d[1]), 1e-12);
            assertEquals(ref[4], DeLong.variance(labels, d[2]), 1e-12);
        }
    }

    /*
     * Hand computation. Positives (label 1) come first, then negatives.
     *   A: positives 0.8, 0.4   negatives 0.5, 0.4, 0.1
     *   B: positives 0.7, 0.9   negatives 0.3, 0.8, 0.2
     * V10 (share of negatives below, ties 1/2):  A: 3/3, 1.5/3 = 1, 1/2      B: 2/3, 1
     * V01 (share of positives above):            A: 1/2, 3/4, 1             B: 1, 1/2, 1
     * AUC A = 3/4, AUC B = 5/6, difference -1/12.
     * D10 = V10A - V10B = 1/3, -1/2 (mean -1/12): deviations +-5/12, sum of squares 50/144, / (m-1 = 1) = 25/72.
     * D01 = V01A - V01B = -1/2, 1/4, 0 (mean -1/12): deviations -5/12, 4/12, 1/12, squares 42/144, / (n-1 = 2) = 7/48.
     * var = (25/72) / 2 + (7/48) / 3 = 25/144 + 7/144 = 2/9, se = sqrt(2)/3, z = (-1/12) / (sqrt(2)/3) = -sqrt(2)/8,
     * p = 2 Phi(-sqrt(2)/8) = erfc(1/8) = 0.8596837951986662 (Python's math.erfc).
     * DeLong variance of A alone: V10A deviations +-1/4 -> 1/8 / 2; V01A deviations -1/4, 0, 1/4 -> (1/8)/2 / 3;
     * 1/16 + 1/48 = 1/12.
     */
    @Test
    void handComputedExample() {
        int[] labels = {1, 1, 0, 0, 0};
        double[] a = {0.8, 0.4, 0.5, 0.4, 0.1};
        double[] b = {0.7, 0.9, 0.3, 0.8, 0.2};
        DeLong.Result r = DeLong.compare(labels, a, b, 0.95);
        assertEquals(0.75, r.aucA(), 1e-15);
        assertEquals(5.0 / 6, r.aucB(), 1e-15);
        assertEquals(-1.0 / 12, r.difference(), 1e-15);
        assertEquals(Math.sqrt(2) / 3, r.standardError(), 1e-15);
        assertEquals(-Math.sqrt(2) / 8, r.z(), 1e-15);
        assertEquals(0.8596837951986662, r.p(), 1e-14);
        assertEquals(-1.0 / 12 - 1.959963984540054 * Math.sqrt(2) / 3, r.lower(), 1e-13);
        assertEquals(1.0 / 12, DeLong.variance(labels, a), 1e-15);
    }

    @Test
    void symmetricAndConsistentWithMetricsAuc() {
        for (long seed = 1; seed <= 10; seed++) {
            double[][] d = data(100 + seed, 80);
            int[] labels = labels(d[0]);
            DeLong.Result ab = DeLong.compare(labels, d[1], d[2], 0.95);
            DeLong.Result ba = DeLong.compare(labels, d[2], d[1], 0.95);
            assertEquals(Metrics.auc(labels, d[1]), ab.aucA(), 0.0);
            assertEquals(Metrics.auc(labels, d[2]), ab.aucB(), 0.0);
            assertEquals(-ab.difference(), ba.difference(), 1e-15);
            assertEquals(ab.standardError(), ba.standardError(), 1e-15);
            assertEquals(-ab.z(), ba.z(), 1e-12);
            assertEquals(ab.p(), ba.p(), 1e-15);
            assertEquals(-ab.upper(), ba.lower(), 1e-15);
            assertTrue(ab.p() >= 0 && ab.p() <= 1, "p " + ab.p());
            assertTrue(ab.lower() < ab.difference() && ab.difference() < ab.upper());
        }
    }

    @Test
    void identicalScoresGiveZeroDifferenceAndPOne() {
        double[][] d = data(7, 50);
        int[] labels = labels(d[0]);
        DeLong.Result r = DeLong.compare(labels, d[1], d[1].clone(), 0.95);
        assertEquals(0.0, r.difference(), 0.0);
        assertEquals(0.0, r.standardError(), 0.0);
        assertTrue(Double.isNaN(r.z()));
        assertEquals(1.0, r.p(), 0.0);
        assertEquals(0.0, r.lower(), 0.0);
        assertEquals(0.0, r.upper(), 0.0);
    }

    @Test
    void degenerateVarianceWithADifferenceGivesPZero() {
        // A separates perfectly, B ties everything: placements differ by constants, so se = 0 but AUCs differ
        int[] labels = {1, 1, 0, 0};
        DeLong.Result r = DeLong.compare(labels, new double[] {0.9, 0.8, 0.2, 0.1}, new double[] {0.5, 0.5, 0.5, 0.5}, 0.95);
        assertEquals(0.5, r.difference(), 0.0);
        assertEquals(0.0, r.standardError(), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, r.z());
        assertEquals(0.0, r.p(), 0.0);
    }

    @Test
    void undefinedCasesAreNaN() {
        // one positive: AUC defined, variance not (V10 has one value)
        DeLong.Result one = DeLong.compare(new int[] {1, 0, 0}, new double[] {0.9, 0.1, 0.2}, new double[] {0.1, 0.9, 0.2}, 0.95);
        assertEquals(1.0, one.aucA(), 0.0);
        assertEquals(0.0, one.aucB(), 0.0);
        assertTrue(Double.isNaN(one.standardError()) && Double.isNaN(one.z()) && Double.isNaN(one.p()));
        assertTrue(Double.isNaN(one.lower()) && Double.isNaN(one.upper()));
        assertTrue(Double.isNaN(DeLong.variance(new int[] {1, 0, 0}, new double[] {0.9, 0.1, 0.2})));
        // one class: AUCs undefined too
        DeLong.Result none = DeLong.compare(new int[] {0, 0}, new double[] {0.9, 0.1}, new double[] {0.1, 0.9}, 0.95);
        assertTrue(Double.isNaN(none.aucA()) && Double.isNaN(none.difference()) && Double.isNaN(none.p()));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> DeLong.compare(new int[] {1, 0}, new double[] {1, 0}, new double[] {1}, 0.95));
        assertThrows(IllegalArgumentException.class, () -> DeLong.compare(new int[] {1, 2}, new double[] {1, 0}, new double[] {1, 0}, 0.95));
        assertThrows(IllegalArgumentException.class, () -> DeLong.compare(new int[] {1, 0}, new double[] {1, 0}, new double[] {1, 0}, 1.0));
    }

    @Test
    void pValuesAreRoughlyUniformUnderTheNullHypothesis() {
        // two independent models of the same quality: p < 0.05 in about 5% of the trials
        SplittableRandom rng = new SplittableRandom(5);
        int trials = 2000, rejected = 0;
        for (int t = 0; t < trials; t++) {
            int n = 120;
            int[] labels = new int[n];
            double[] a = new double[n], b = new double[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i % 3 == 0 ? 1 : 0;
                a[i] = labels[i] + 1.5 * rng.nextDouble();
                b[i] = labels[i] + 1.5 * rng.nextDouble();
            }
            if (DeLong.compare(labels, a, b, 0.95).p() < 0.05) rejected++;
        }
        double rate = (double) rejected / trials;
        assertTrue(rate > 0.03 && rate < 0.075, "rejection rate " + rate);
    }

    @Test
    void midranksAverageTies() {
        assertEquals(java.util.Arrays.toString(new double[] {2.5, 1, 2.5, 4}),
                java.util.Arrays.toString(DeLong.midranks(new double[] {0.5, 0.1, 0.5, 0.9})));
    }
}
