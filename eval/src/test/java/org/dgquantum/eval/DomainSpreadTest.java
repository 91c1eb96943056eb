package org.dgquantum.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DomainSpreadTest {
    private static final EvaluationOptions OPT = EvaluationOptions.defaults().withResamples(300).withSeed(9);

    /**
     * {@code n} samples of {@code domain}, alternating labels 1, 0, 1, ...; the first {@code correct} are predicted
     * right, the rest wrong.
     */
    private static List<Prediction> domain(String model, String domain, int n, int correct) {
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = i % 2 == 0 ? 1 : 0;
            int pred = i < correct ? label : 1 - label;
            out.add(Prediction.of(domain + "-" + i, domain, label, pred == 1 ? 0.8 : 0.2, model, 1));
        }
        return out;
    }

    private static List<Prediction> concat(List<List<Prediction>> parts) {
        List<Prediction> out = new ArrayList<>();
        parts.forEach(out::addAll);
        return out;
    }

    @Test
    void handComputedVariance() {
        // accuracies 4/5, 1/2, 1: mean 23/30, deviations 1/30, -8/30, 7/30, squares (1 + 64 + 49) / 900 = 114/900,
        // population variance 114/900 / 3 = 19/450
        List<Prediction> ps = concat(List.of(domain("m", "a", 10, 8), domain("m", "b", 10, 5), domain("m", "c", 4, 4)));
        DomainSpread.Result r = DomainSpread.of(ps, OPT);
        assertEquals(Map.of("a", 0.8, "b", 0.5, "c", 1.0), r.accuracy());
        assertEquals(List.of("a", "b", "c"), List.copyOf(r.accuracy().keySet()));
        assertEquals(19.0 / 450, r.variance().value(), 1e-15);
        assertEquals(Math.sqrt(19.0 / 450), r.standardDeviation().value(), 1e-15);
        assertEquals(19.0 / 450, DomainSpread.accuracyVariance(ps, OPT).value(), 1e-15);
        assertTrue(r.variance().lower() < r.variance().upper());
        assertEquals(300, r.variance().resamples());
        assertTrue(r.variance().lower() >= 0);
        assertEquals(Math.sqrt(r.variance().upper()), r.standardDeviation().upper(), 0.02);
        assertEquals(r.variance(), DomainSpread.of(ps, OPT).variance(), "deterministic");
    }

    @Test
    void resamplingKeepsDomainsAndClassesApart() {
        // domain a: all right (accuracy 1); domain b: positives right, negatives wrong (accuracy 1/2). A resample
        // within domain and label keeps both accuracies, so the variance ((1/4)^2 + (1/4)^2) / 2 = 1/16 never moves.
        List<Prediction> ps = concat(List.of(domain("m", "a", 10, 10), positivesRight("m", "b", 10)));
        Estimate v = DomainSpread.accuracyVariance(ps, OPT);
        assertEquals(1.0 / 16, v.value(), 1e-15);
        assertEquals(1.0 / 16, v.lower(), 1e-15);
        assertEquals(1.0 / 16, v.upper(), 1e-15);
    }

    private static List<Prediction> positivesRight(String model, String domain, int n) {
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = i % 2 == 0 ? 1 : 0;
            out.add(Prediction.of(domain + "-" + i, domain, label, 0.9, model, 1)); // everything predicted 1
        }
        return out;
    }

    @Test
    void oneDomainIsUndefined() {
        Estimate v = DomainSpread.accuracyVariance(domain("m", "a", 10, 7), OPT);
        assertFalse(v.defined());
        assertTrue(v.note().contains("at least 2 domains"), v.note());
    }

    @Test
    void pairedVarianceDifference() {
        // reference: accuracies 1 and 1/2 (variance 1/16), fixed under resampling; other: 1/2 and 1/2 (variance 0)
        List<Prediction> ref = concat(List.of(domain("ref", "a", 10, 10), positivesRight("ref", "b", 10)));
        List<Prediction> other = concat(List.of(positivesRight("oth", "a", 10), positivesRight("oth", "b", 10)));
        Estimate d = DomainSpread.varianceDifference(ref, other, OPT);
        assertEquals(1.0 / 16, d.value(), 1e-15);
        assertEquals(1.0 / 16, d.lower(), 1e-15);
        assertEquals(1.0 / 16, d.upper(), 1e-15);
        Estimate back = DomainSpread.varianceDifference(other, ref, OPT);
        assertEquals(-1.0 / 16, back.value(), 1e-15);
    }

    @Test
    void pairedDifferenceOfAModelWithItselfIsZero() {
        List<Prediction> a = TestData.predictions("a", List.of("c1", "c2", "c3"), 60, 1.0, 4, 3);
        Estimate d = DomainSpread.varianceDifference(a, PairedComparisonTest.rename(a, "b"), OPT);
        assertEquals(0.0, d.value(), 0.0);
        assertEquals(0.0, d.lower(), 0.0);
        assertEquals(0.0, d.upper(), 0.0);
        // and the point difference is the difference of the two variances
        List<Prediction> b = TestData.predictions("b", List.of("c1", "c2", "c3"), 60, 0.5, 5, 3);
        assertEquals(DomainSpread.accuracyVariance(a, OPT).value() - DomainSpread.accuracyVariance(b, OPT).value(),
                DomainSpread.varianceDifference(a, b, OPT).value(), 1e-15);
    }

    @Test
    void refusesMixedOrUnpairedPredictions() {
        List<Prediction> a = domain("a", "x", 10, 5);
        List<Prediction> mixed = concat(List.of(a, domain("b", "y", 10, 5)));
        assertThrows(IllegalArgumentException.class, () -> DomainSpread.of(mixed, OPT));
        assertThrows(IllegalArgumentException.class, () -> DomainSpread.of(List.of(), OPT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DomainSpread.varianceDifference(a, domain("b", "x", 8, 5), OPT));
        assertTrue(e.getMessage().contains("a") && e.getMessage().contains("b (8 predictions)"), e.getMessage());
    }
}
