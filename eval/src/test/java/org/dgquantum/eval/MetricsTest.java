package org.dgquantum.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void aucMatchesHandComputedValues() {
        // pairs (pos, neg): (0.35,0.1)=1 (0.35,0.4)=0 (0.8,0.1)=1 (0.8,0.4)=1 -> 3/4
        assertEquals(0.75, Metrics.auc(new int[] {0, 0, 1, 1}, new double[] {0.1, 0.4, 0.35, 0.8}), EPS);
        assertEquals(1.0, Metrics.auc(new int[] {0, 0, 1, 1}, new double[] {0.1, 0.2, 0.3, 0.4}), EPS);
        assertEquals(0.0, Metrics.auc(new int[] {1, 1, 0, 0}, new double[] {0.1, 0.2, 0.3, 0.4}), EPS);
    }

    @Test
    void aucCountsTiesAsOneHalf() {
        // pos {0.5, 0.9}, neg {0.5, 0.2}: (0.5,0.5)=1/2 (0.5,0.2)=1 (0.9,0.5)=1 (0.9,0.2)=1 -> 3.5/4
        assertEquals(0.875, Metrics.auc(new int[] {0, 1, 0, 1}, new double[] {0.5, 0.5, 0.2, 0.9}), EPS);
        // everything tied -> 1/2
        assertEquals(0.5, Metrics.auc(new int[] {0, 1, 1, 0, 1}, new double[] {0.3, 0.3, 0.3, 0.3, 0.3}), EPS);
        // pos {0.7, 0.7, 0.2}, neg {0.7, 0.1}: 0.7 vs 0.7 twice = 1, 0.7 vs 0.1 twice = 2, 0.2 vs 0.7 = 0, 0.2 vs 0.1 = 1 -> 4/6
        assertEquals(4.0 / 6.0, Metrics.auc(new int[] {1, 1, 1, 0, 0}, new double[] {0.7, 0.7, 0.2, 0.7, 0.1}), EPS);
    }

    @Test
    void aucIsUndefinedWithOneClass() {
        assertTrue(Double.isNaN(Metrics.auc(new int[] {1, 1, 1}, new double[] {0.2, 0.5, 0.9})));
        assertTrue(Double.isNaN(Metrics.auc(new int[] {0, 0}, new double[] {0.2, 0.5})));
        assertTrue(Double.isNaN(Metrics.auc(new int[0], new double[0])));
    }

    @Test
    void aucEqualsPairwiseCountAndWeightedFormAndRocArea() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 20; trial++) {
            int n = 5 + rng.nextInt(60);
            int[] labels = new int[n];
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i < 2 ? i : rng.nextInt(2);
                scores[i] = Math.round(rng.nextDouble() * 10) / 10.0; // many ties
            }
            double pairs = 0;
            long count = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (labels[i] == 1 && labels[j] == 0) {
                        pairs += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                        count++;
                    }
                }
            }
            double expected = pairs / count;
            assertEquals(expected, Metrics.auc(labels, scores), 1e-12);
            Metrics.Sorted s = Metrics.Sorted.of(labels, scores, Metrics.threshold(scores, 0.5));
            int[] ones = new int[n];
            Arrays.fill(ones, 1);
            assertEquals(expected, s.auc(ones), 1e-12);
            // trapezoidal area under the ROC curve equals the Mann-Whitney AUC (ties give diagonal segments)
            double[][] roc = Metrics.rocCurve(labels, scores);
            double area = 0;
            for (int k = 1; k < roc[0].length; k++) area += (roc[0][k] - roc[0][k - 1]) * (roc[1][k] + roc[1][k - 1]) / 2;
            assertEquals(expected, area, 1e-12);

            // weights = multiplicities: same as the expanded arrays
            int[] w = new int[n];
            int total = 0;
            for (int i = 0; i < n; i++) total += w[i] = rng.nextInt(3);
            int[] el = new int[total];
            double[] es = new double[total];
            int k = 0;
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < w[i]; r++) {
                    el[k] = s.label[i];
                    es[k++] = s.score[i];
                }
            }
            double we = Metrics.auc(el, es);
            double wa = s.auc(w);
            assertTrue(Double.isNaN(we) ? Double.isNaN(wa) : Math.abs(we - wa) < 1e-12, "weighted AUC " + wa + " vs " + we);
        }
    }

    @Test
    void rocCurveOfSmallExample() {
        double[][] roc = Metrics.rocCurve(new int[] {0, 0, 1, 1}, new double[] {0.1, 0.4, 0.35, 0.8});
        assertEquals("[0.0, 0.0, 0.5, 0.5, 1.0]", Arrays.toString(roc[0]));
        assertEquals("[0.0, 0.5, 0.5, 1.0, 1.0]", Arrays.toString(roc[1]));
    }

    @Test
    void thresholdMetricsOnKnownConfusionMatrix() {
        int[] labels = {1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
        int[] preds = {1, 1, 1, 0, 0, 1, 0, 0, 0, 0};
        ConfusionMatrix cm = ConfusionMatrix.of(labels, preds);
        assertEquals(new ConfusionMatrix(3, 1, 4, 2), cm);
        assertEquals(0.7, cm.accuracy(), EPS);
        assertEquals(0.6, cm.sensitivity(), EPS);
        assertEquals(0.8, cm.specificity(), EPS);
        assertEquals(0.7, cm.balancedAccuracy(), EPS);
        assertEquals(6.0 / 9.0, cm.f1(), EPS);
        assertEquals(5, cm.positives());
        assertEquals(5, cm.negatives());
        assertEquals(0.75, cm.precision(), EPS);
        assertEquals(0.75, cm.value(Metric.PRECISION), EPS);
        assertTrue(Double.isNaN(new ConfusionMatrix(0, 0, 3, 2).precision()), "no positive predictions");
        assertEquals(0.0, new ConfusionMatrix(0, 2, 3, 2).precision(), EPS);
        ConfusionMatrix onlyNeg = new ConfusionMatrix(0, 2, 3, 0);
        assertTrue(Double.isNaN(onlyNeg.sensitivity()));
        assertEquals(0.6, onlyNeg.specificity(), EPS);
        assertTrue(Double.isNaN(onlyNeg.balancedAccuracy()));
    }

    @Test
    void sensitivityAt90SpecificityOnHandComputedCurves() {
        // 10 negatives, the highest at 0.95; positives 0.99, 0.9, 0.8, 0.3. Descending thresholds give
        // (fp, tp) = (0,1) (1,1) (1,2) (1,3) (2,3) ...: one false positive is specificity exactly 0.90, so 3/4
        int[] labels = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1};
        double[] scores = {0.95, 0.5, 0.45, 0.4, 0.35, 0.25, 0.2, 0.15, 0.1, 0.05, 0.99, 0.9, 0.8, 0.3};
        assertEquals(0.75, Metrics.sensitivityAt90Specificity(labels, scores), EPS);
        // a second negative above the positives at 0.9 and 0.8: specificity 0.8 there, so only 0.99 counts
        double[] twoHigh = scores.clone();
        twoHigh[1] = 0.96;
        assertEquals(0.25, Metrics.sensitivityAt90Specificity(labels, twoHigh), EPS);
        // a second negative tied with the positive at 0.8: no threshold separates them, so 0.8 has specificity 0.8
        double[] tie = scores.clone();
        tie[1] = 0.8;
        assertEquals(0.5, Metrics.sensitivityAt90Specificity(labels, tie), EPS);
        // two negatives above every positive: only the (0, 0) point has specificity >= 0.90
        assertEquals(0.0, Metrics.sensitivityAt90Specificity(new int[] {0, 0, 0, 0, 0, 1, 1},
                new double[] {0.9, 0.8, 0.1, 0.1, 0.1, 0.5, 0.4}), EPS);
        assertEquals(1.0, Metrics.sensitivityAt90Specificity(new int[] {0, 0, 1}, new double[] {0.1, 0.2, 0.3}), EPS);
        assertTrue(Double.isNaN(Metrics.sensitivityAt90Specificity(new int[] {1, 1}, new double[] {0.2, 0.9})));
        assertTrue(Double.isNaN(Metrics.sensitivityAt90Specificity(new int[] {0, 0}, new double[] {0.2, 0.9})));
    }

    @Test
    void eceOfCalibratedAndMiscalibratedPredictions() {
        // bin [0.2, 0.3): 4 at 0.25 with 1 positive; bin [0.7, 0.8): 4 at 0.75 with 3 positives -> calibrated
        int[] labels = {1, 0, 0, 0, 1, 1, 1, 0};
        double[] calibrated = {0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75};
        assertEquals(0.0, Metrics.ece(labels, calibrated), EPS);
        // the same labels, overconfident and swapped: 4/8 * |0.95 - 0.25| + 4/8 * |0.05 - 0.75| = 0.7
        double[] miscalibrated = {0.95, 0.95, 0.95, 0.95, 0.05, 0.05, 0.05, 0.05};
        assertEquals(0.7, Metrics.ece(labels, miscalibrated), EPS);
        // two bins of unequal size: 4/6 * |0.9 - 1/4| + 2/6 * |0.15 - 1| = (2.6 + 1.7) / 6
        assertEquals(4.3 / 6, Metrics.ece(new int[] {1, 0, 0, 0, 1, 1},
                new double[] {0.9, 0.9, 0.9, 0.9, 0.15, 0.15}), EPS);
        // bin edges: 0.1 opens the second bin (apart from 0.09: (0.09 + 0.9) / 2, together it would be 0.405)
        assertEquals(0.495, Metrics.ece(new int[] {1, 0}, new double[] {0.1, 0.09}), EPS);
        // a score of 1 belongs to the last bin, with 0.95: |1.95 - 1| / 2
        assertEquals(0.475, Metrics.ece(new int[] {1, 0}, new double[] {1.0, 0.95}), EPS);
        // one class is fine; no samples is undefined
        assertEquals(0.2, Metrics.ece(new int[] {0, 0}, new double[] {0.2, 0.2}), EPS);
        assertTrue(Double.isNaN(Metrics.ece(new int[0], new double[0])));
    }

    @Test
    void weightedEceAndSensitivityAtSpecificityEqualTheExpandedSample() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int trial = 0; trial < 20; trial++) {
            int n = 5 + rng.nextInt(60);
            int[] labels = new int[n];
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i < 2 ? i : rng.nextInt(2);
                scores[i] = Math.round(rng.nextDouble() * 20) / 20.0;
            }
            Metrics.Sorted s = Metrics.Sorted.of(labels, scores, labels);
            int[] w = new int[n];
            int total = 0;
            for (int i = 0; i < n; i++) total += w[i] = rng.nextInt(3);
            int[] el = new int[total];
            double[] es = new double[total];
            int k = 0;
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < w[i]; r++) {
                    el[k] = s.label[i];
                    es[k++] = s.score[i];
                }
            }
            assertEquals(Metrics.ece(el, es), s.ece(w), 1e-12);
            assertEquals(Metrics.sensitivityAt90Specificity(el, es),
                    Metrics.sensitivityAtMinSpecificity(s.rocCurve(w)), 1e-12);
        }
    }

    @Test
    void thresholdIsInclusive() {
        assertEquals("[0, 1, 1]", Arrays.toString(Metrics.threshold(new double[] {0.49, 0.5, 0.9}, 0.5)));
        assertEquals(1, Prediction.of("a", "d", 1, 0.5, "m", 0).prediction());
        assertEquals(0, Prediction.of("a", "d", 1, 0.4999, "m", 0).prediction());
    }

    @Test
    void linearPercentile() {
        double[] x = {1, 2, 3, 4};
        assertEquals(2.5, Metrics.quantile(x, 0.5), EPS);
        assertEquals(1.75, Metrics.quantile(x, 0.25), EPS);
        assertEquals(1, Metrics.quantile(x, 0), EPS);
        assertEquals(4, Metrics.quantile(x, 1), EPS);
        assertTrue(Double.isNaN(Metrics.quantile(new double[0], 0.5)));
    }
}
