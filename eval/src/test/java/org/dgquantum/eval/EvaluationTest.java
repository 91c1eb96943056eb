package org.dgquantum.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class EvaluationTest {
    private static final EvaluationOptions OPT = EvaluationOptions.defaults().withResamples(400).withSeed(11);

    @Test
    void intervalsContainThePointEstimate() {
        EvaluationReport r = Evaluation.evaluate(TestData.predictions("m", 300, 1), OPT);
        ModelMetrics m = r.model("m");
        List<GroupMetrics> groups = new ArrayList<>(m.domains());
        groups.add(m.overall());
        for (GroupMetrics g : groups) {
            for (Metric metric : Metric.values()) {
                Estimate e = g.get(metric);
                assertTrue(e.defined(), metric + " on " + g.domain());
                assertTrue(e.lower() <= e.upper(), metric + " " + e);
                assertTrue(e.contains(e.value()), metric + " on " + g.domain() + ": " + e);
                assertTrue(e.width() > 0, metric + " " + e);
                assertTrue(e.lower() >= 0 && e.upper() <= 1, metric + " " + e);
                assertEquals(400, e.resamples(), "stratified: every resample has both classes");
            }
        }
        assertEquals(400, m.overall().aucDistribution().length);
    }

    @Test
    void pointEstimatesAreThePlainMetrics() {
        List<Prediction> ps = TestData.predictions("m", 200, 2);
        GroupMetrics g = Evaluation.evaluate(ps, OPT).model("m").overall();
        int[] labels = ps.stream().mapToInt(Prediction::label).toArray();
        int[] preds = ps.stream().mapToInt(Prediction::prediction).toArray();
        double[] scores = ps.stream().mapToDouble(Prediction::probability).toArray();
        ConfusionMatrix cm = ConfusionMatrix.of(labels, preds);
        assertEquals(cm, g.confusion());
        assertEquals(Metrics.auc(labels, scores), g.get(Metric.AUC).value(), 1e-12);
        assertEquals(cm.accuracy(), g.get(Metric.ACCURACY).value(), 1e-12);
        assertEquals(cm.sensitivity(), g.get(Metric.SENSITIVITY).value(), 1e-12);
        assertEquals(cm.specificity(), g.get(Metric.SPECIFICITY).value(), 1e-12);
        assertEquals(cm.precision(), g.get(Metric.PRECISION).value(), 1e-12);
        assertEquals(Metrics.sensitivityAt90Specificity(labels, scores),
                g.get(Metric.SENSITIVITY_AT_90_SPECIFICITY).value(), 1e-12);
        assertEquals(Metrics.ece(labels, scores), g.get(Metric.ECE).value(), 1e-12);
        assertEquals(200, g.samples());
        assertEquals(100, g.positives());
        assertEquals(100, g.negatives());
    }

    @Test
    void newMetricsHaveIntervalsAroundTheEstimateOnASmallSample() {
        for (long seed = 1; seed <= 5; seed++) {
            GroupMetrics g = Evaluation.evaluate(TestData.predictions("m", 40, seed), OPT.withSeed(seed)).model("m").overall();
            for (Metric metric : List.of(Metric.PRECISION, Metric.SENSITIVITY_AT_90_SPECIFICITY, Metric.ECE)) {
                Estimate e = g.get(metric);
                assertTrue(e.defined(), metric + " seed " + seed);
                assertTrue(e.contains(e.value()), metric + " seed " + seed + ": " + e);
                assertTrue(e.width() > 0, metric + " seed " + seed + ": " + e);
            }
        }
    }

    @Test
    void precisionWithoutPositivePredictionsIsUndefined() {
        List<Prediction> ps = new ArrayList<>();
        for (int i = 0; i < 20; i++) ps.add(Prediction.of("x-" + i, "low", i % 2, 0.1 + 0.3 * (i % 2) + i / 200.0, "m", 1));
        GroupMetrics g = Evaluation.evaluate(ps, OPT).model("m").overall();
        Estimate precision = g.get(Metric.PRECISION);
        assertFalse(precision.defined());
        assertEquals("undefined: no positive predictions", precision.note());
        assertEquals(0.0, g.get(Metric.F1).value(), 1e-12);
        assertEquals(1.0, g.get(Metric.SENSITIVITY_AT_90_SPECIFICITY).value(), 1e-12); // ranked perfectly
    }

    @Test
    void intervalsNarrowWithMoreSamples() {
        GroupMetrics small = Evaluation.evaluate(TestData.predictions("m", 80, 5), OPT).model("m").overall();
        GroupMetrics large = Evaluation.evaluate(TestData.predictions("m", 3000, 5), OPT).model("m").overall();
        for (Metric metric : Metric.values()) {
            double ws = small.get(metric).width();
            double wl = large.get(metric).width();
            assertTrue(wl < 0.5 * ws, metric + ": width " + wl + " with 3000 samples vs " + ws + " with 80");
        }
    }

    @Test
    void higherConfidenceGivesWiderIntervals() {
        List<Prediction> ps = TestData.predictions("m", 300, 6);
        Estimate e95 = Evaluation.evaluate(ps, OPT).model("m").overall().get(Metric.AUC);
        Estimate e80 = Evaluation.evaluate(ps, OPT.withConfidence(0.8)).model("m").overall().get(Metric.AUC);
        assertTrue(e80.width() < e95.width(), e80 + " vs " + e95);
        assertEquals(e80.value(), e95.value());
    }

    @Test
    void deterministicBySeed() {
        List<Prediction> ps = TestData.predictions("m", 300, 7);
        String a = Evaluation.evaluate(ps, OPT).toJsonString();
        String b = Evaluation.evaluate(ps, OPT).toJsonString();
        assertEquals(a, b);
        String c = Evaluation.evaluate(ps, OPT.withSeed(12)).toJsonString();
        assertNotEquals(a, c);
        Estimate ea = Evaluation.evaluate(ps, OPT).model("m").overall().get(Metric.AUC);
        Estimate ec = Evaluation.evaluate(ps, OPT.withSeed(12)).model("m").overall().get(Metric.AUC);
        assertEquals(ea.value(), ec.value(), "point estimate does not depend on the seed");
        assertNotEquals(ea.lower(), ec.lower());
    }

    @Test
    void aModelsIntervalsDoNotDependOnOtherModels() {
        List<Prediction> a = TestData.predictions("a", 200, 8);
        List<Prediction> both = new ArrayList<>(TestData.predictions("b", 200, 9));
        both.addAll(a);
        ModelMetrics alone = Evaluation.evaluate(a, OPT).model("a");
        ModelMetrics mixed = Evaluation.evaluate(both, OPT).model("a");
        assertEquals(alone.overall().metrics(), mixed.overall().metrics());
        assertEquals(List.of("b", "a"), Evaluation.evaluate(both, OPT).models().stream().map(ModelMetrics::model).toList());
    }

    @Test
    void oneClassDomainIsReportedNotFatal() {
        List<Prediction> ps = new ArrayList<>(TestData.predictions("m", 200, 10));
        for (int i = 0; i < 30; i++) ps.add(Prediction.of("neg-" + i, "negatives-only", 0, (i % 10) / 10.0, "m", 42));
        ModelMetrics m = Evaluation.evaluate(ps, OPT).model("m");
        GroupMetrics g = m.domain("negatives-only").orElseThrow();
        assertEquals(0, g.positives());
        Estimate auc = g.get(Metric.AUC);
        assertFalse(auc.defined());
        assertTrue(Double.isNaN(auc.lower()) && Double.isNaN(auc.upper()));
        assertNotNull(auc.note());
        assertTrue(auc.note().contains("both classes"), auc.note());
        assertFalse(g.get(Metric.SENSITIVITY).defined());
        assertFalse(g.get(Metric.BALANCED_ACCURACY).defined());
        assertFalse(g.get(Metric.SENSITIVITY_AT_90_SPECIFICITY).defined());
        assertTrue(g.get(Metric.SENSITIVITY_AT_90_SPECIFICITY).note().contains("both classes"));
        assertTrue(g.get(Metric.ECE).defined(), "calibration needs no second class");
        assertTrue(g.get(Metric.PRECISION).defined());
        assertEquals(0.0, g.get(Metric.PRECISION).value(), 1e-12); // every positive prediction is wrong
        assertTrue(g.get(Metric.SPECIFICITY).defined());
        assertTrue(g.get(Metric.ACCURACY).defined());
        assertEquals(0.5, g.get(Metric.ACCURACY).value(), 1e-12); // probabilities 0.5..0.9 predict 1
        assertEquals("n/a", auc.format());
        assertFalse(g.notes().isEmpty());
        assertEquals(0, g.aucDistribution().length);
        assertFalse(g.roc().defined());
        // the model's overall result still has both classes
        assertTrue(m.overall().get(Metric.AUC).defined());
    }

    @Test
    void zeroResamplesGivesPointEstimatesOnly() {
        EvaluationReport r = Evaluation.evaluate(TestData.predictions("m", 100, 11), OPT.withResamples(0));
        Estimate e = r.model("m").overall().get(Metric.ACCURACY);
        assertTrue(e.defined());
        assertTrue(Double.isNaN(e.lower()));
        assertTrue(e.format().matches("\\d\\.\\d\\d"), e.format());
        assertFalse(r.model("m").overall().roc().hasBand());
    }

    @Test
    void rocBandSurroundsTheCurve() {
        GroupMetrics g = Evaluation.evaluate(TestData.predictions("m", 400, 12), OPT).model("m").overall();
        RocCurve r = g.roc();
        assertTrue(r.hasBand());
        assertEquals(Evaluation.ROC_GRID, r.lower().length);
        for (int i = 0; i < r.gridFpr().length; i++) {
            assertTrue(r.lower()[i] <= r.upper()[i] + 1e-12);
            if (i > 0) assertTrue(r.upper()[i] >= r.upper()[i - 1] - 1e-12, "band is monotone");
        }
        assertEquals(1.0, r.upper()[r.upper().length - 1], 1e-12);
        // the middle of the band is well inside [0, 1] and not degenerate
        assertTrue(r.upper()[20] - r.lower()[20] > 0.01);
    }

    @Test
    void rejectsNothingToEvaluate() {
        assertThrows(IllegalArgumentException.class, () -> Evaluation.evaluate(List.of(), OPT));
        assertThrows(IllegalArgumentException.class, () -> EvaluationOptions.defaults().withConfidence(1.0));
        assertThrows(IllegalArgumentException.class, () -> EvaluationOptions.defaults().withResamples(-1));
    }

    @Test
    void defaultsAreThePapers500Resamples() {
        assertEquals(500, EvaluationOptions.defaults().resamples());
        assertEquals(Integer.toString(EvaluationOptions.DEFAULT_RESAMPLES), EvaluationOptions.DEFAULT_RESAMPLES_TEXT);
    }
}
