package org.dgquantum.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class PairedComparisonTest {
    private static final EvaluationOptions OPT = EvaluationOptions.defaults().withResamples(300).withSeed(5);
    private static final List<String> DOMAINS = List.of("center-a", "center-b");

    static List<Prediction> rename(List<Prediction> ps, String model) {
        List<Prediction> out = new ArrayList<>();
        for (Prediction p : ps) {
            out.add(new Prediction(p.id(), p.domain(), p.label(), p.probability(), p.prediction(), model, p.seed()));
        }
        return out;
    }

    @Test
    void aModelComparedWithItselfDiffersByNothing() {
        List<Prediction> a = TestData.predictions("a", 200, 1);
        PairedComparison.Result r = PairedComparison.compare("a", a, "b", rename(a, "b"), OPT);
        assertEquals(200, r.pairs());
        for (Metric m : Metric.values()) {
            Estimate d = r.differences().get(m);
            assertEquals(0.0, d.value(), 0.0, m.key());
            assertEquals(0.0, d.lower(), 0.0, m.key());
            assertEquals(0.0, d.upper(), 0.0, m.key());
            assertEquals(300, d.resamples(), m.key());
            assertEquals(1.0, r.p().get(m), 0.0, m.key());
        }
        assertEquals(1.0, r.auc().p(), 0.0);
    }

    @Test
    void aClearlyBetterModelWins() {
        List<Prediction> good = TestData.predictions("good", DOMAINS, 150, 2.0, 1, 3);
        List<Prediction> weak = TestData.predictions("weak", DOMAINS, 150, 0.2, 2, 3);
        PairedComparison.Result r = PairedComparison.compare("good", good, "weak", weak, OPT);
        for (Metric m : List.of(Metric.ACCURACY, Metric.AUC, Metric.BALANCED_ACCURACY, Metric.F1)) {
            Estimate d = r.differences().get(m);
            assertTrue(d.value() > 0.2, m + " " + d);
            assertTrue(d.lower() > 0, m + " interval excludes 0: " + d);
            assertTrue(d.contains(d.value()), m + " " + d);
            assertTrue(r.p().get(m) < 0.01, m + " p " + r.p().get(m));
        }
        assertTrue(r.auc().difference() > 0.2 && r.auc().lower() > 0 && r.auc().p() < 1e-6, r.auc().toString());
        // and the other way round the signs flip
        PairedComparison.Result back = PairedComparison.compare("weak", weak, "good", good, OPT);
        assertEquals(-r.differences().get(Metric.AUC).value(), back.differences().get(Metric.AUC).value(), 1e-12);
        assertTrue(back.differences().get(Metric.AUC).upper() < 0);
    }

    @Test
    void similarModelsGetALargePValue() {
        // two models of the same quality with independent noise: no difference to find
        List<Prediction> a = TestData.predictions("a", DOMAINS, 150, 1.0, 1, 3);
        List<Prediction> b = TestData.predictions("b", DOMAINS, 150, 1.0, 2, 3);
        PairedComparison.Result r = PairedComparison.compare("a", a, "b", b, OPT);
        Estimate auc = r.differences().get(Metric.AUC);
        assertTrue(auc.contains(0), auc.toString());
        assertTrue(r.p().get(Metric.AUC) > 0.05, "p " + r.p().get(Metric.AUC));
        assertTrue(r.auc().p() > 0.05, r.auc().toString());
    }

    @Test
    void pointDifferencesAreThoseOfEvaluation() {
        List<Prediction> a = TestData.predictions("a", DOMAINS, 100, 1.5, 3, 2);
        List<Prediction> b = new ArrayList<>(TestData.predictions("b", DOMAINS, 100, 0.7, 4, 2));
        Collections.shuffle(b, new Random(1)); // pairing does not depend on order
        List<Prediction> all = new ArrayList<>(a);
        all.addAll(b);
        EvaluationReport rep = Evaluation.evaluate(all, OPT.withResamples(0));
        PairedComparison.Result r = PairedComparison.compare("a", a, "b", b, OPT);
        for (Metric m : Metric.values()) {
            double expected = rep.model("a").overall().get(m).value() - rep.model("b").overall().get(m).value();
            assertEquals(expected, r.differences().get(m).value(), 1e-12, m.key());
        }
        assertEquals(rep.model("a").overall().get(Metric.AUC).value(), r.auc().aucA(), 1e-12);
        assertEquals(rep.model("b").overall().get(Metric.AUC).value(), r.auc().aucB(), 1e-12);
    }

    @Test
    void deterministicAndIndependentOfOtherModels() {
        List<Prediction> a = TestData.predictions("a", 200, 1);
        List<Prediction> b = TestData.predictions("b", 200, 2);
        List<Prediction> c = TestData.predictions("c", 200, 3);
        PairedComparison.Result once = PairedComparison.compare("a", a, "b", b, OPT);
        List<Prediction> all = new ArrayList<>(a);
        all.addAll(c);
        all.addAll(b);
        List<PairedComparison.Result> each = PairedComparison.againstReference(all, "a", OPT);
        assertEquals(List.of("c", "b"), each.stream().map(PairedComparison.Result::other).toList());
        assertEquals(once, each.get(1));
        PairedComparison.Result otherSeed = PairedComparison.compare("a", a, "b", b, OPT.withSeed(6));
        assertTrue(otherSeed.differences().get(Metric.AUC).lower() != once.differences().get(Metric.AUC).lower());
    }

    @Test
    void refusesPredictionsThatDoNotPair() {
        List<Prediction> a = TestData.predictions("dgquantum", 100, 1);
        List<Prediction> b = new ArrayList<>(TestData.predictions("resnet", 100, 2));
        Prediction last = b.removeLast();
        b.add(new Prediction("elsewhere-1", last.domain(), last.label(), last.probability(), last.prediction(),
                last.model(), last.seed()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairedComparison.compare("dgquantum", a, "resnet", b, OPT));
        assertTrue(e.getMessage().contains("dgquantum") && e.getMessage().contains("resnet"), e.getMessage());
        assertTrue(e.getMessage().contains("1 of dgquantum's and 1 of resnet's"), e.getMessage());

        List<Prediction> fewer = b.subList(0, 50);
        e = assertThrows(IllegalArgumentException.class, () -> PairedComparison.compare("dgquantum", a, "resnet", fewer, OPT));
        assertTrue(e.getMessage().contains("50 of dgquantum's"), e.getMessage());

        List<Prediction> otherSeed = rename(a, "resnet").stream()
                .map(p -> new Prediction(p.id(), p.domain(), p.label(), p.probability(), p.prediction(), p.model(), 7))
                .toList();
        assertThrows(IllegalArgumentException.class, () -> PairedComparison.compare("dgquantum", a, "resnet", otherSeed, OPT));

        List<Prediction> flipped = new ArrayList<>(rename(a, "resnet"));
        Prediction p = flipped.getFirst();
        flipped.set(0, new Prediction(p.id(), p.domain(), 1 - p.label(), p.probability(), p.prediction(), p.model(), p.seed()));
        e = assertThrows(IllegalArgumentException.class, () -> PairedComparison.compare("dgquantum", a, "resnet", flipped, OPT));
        assertTrue(e.getMessage().contains("label") && e.getMessage().contains(p.id()), e.getMessage());

        List<Prediction> twice = new ArrayList<>(a);
        twice.add(a.getFirst());
        e = assertThrows(IllegalArgumentException.class, () -> PairedComparison.compare("dgquantum", twice, "resnet", b, OPT));
        assertTrue(e.getMessage().contains("more than one prediction"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PairedComparison.againstReference(a, "nobody", OPT));
    }

    @Test
    void undefinedMetricsAreUndefinedDifferences() {
        // only negatives: AUC, sensitivity, ... undefined for both models; accuracy still compared
        List<Prediction> a = TestData.predictions("a", 100, 1).stream().filter(p -> p.label() == 0).toList();
        List<Prediction> b = rename(TestData.predictions("b", 100, 2), "b").stream().filter(p -> p.label() == 0).toList();
        PairedComparison.Result r = PairedComparison.compare("a", a, "b", b, OPT);
        assertTrue(!r.differences().get(Metric.AUC).defined());
        assertTrue(r.differences().get(Metric.AUC).note().contains("both models"), r.differences().get(Metric.AUC).note());
        assertTrue(Double.isNaN(r.p().get(Metric.AUC)));
        assertTrue(Double.isNaN(r.auc().p()));
        assertTrue(r.differences().get(Metric.ACCURACY).defined());
    }

    @Test
    void bootstrapPValue() {
        assertEquals(1.0, PairedComparison.bootstrapP(new double[] {-1, 0, 1, 2}), 0.0); // 2 * 2/4, capped
        assertEquals(0.5, PairedComparison.bootstrapP(new double[] {-1, 1, 2, 3}), 0.0); // 2 * 1/4
        assertEquals(0.0, PairedComparison.bootstrapP(new double[] {1, 2, 3}), 0.0);
        assertEquals(1.0, PairedComparison.bootstrapP(new double[] {0, 0}), 0.0);
        assertTrue(Double.isNaN(PairedComparison.bootstrapP(new double[0])));
    }

    @Test
    void withoutResamplesOnlyPointDifferences() {
        PairedComparison.Result r = PairedComparison.compare("a", TestData.predictions("a", 100, 1), "b",
                TestData.predictions("b", 100, 2), OPT.withResamples(0));
        Estimate d = r.differences().get(Metric.ACCURACY);
        assertTrue(d.defined() && Double.isNaN(d.lower()) && d.resamples() == 0);
        assertTrue(Double.isNaN(r.p().get(Metric.ACCURACY)));
    }

    /** Metric {@code m} from the plain functions of {@link Metrics} and {@link ConfusionMatrix}. */
    private static double plain(Metric m, int[] labels, double[] scores, int[] preds) {
        return switch (m) {
            case AUC -> Metrics.auc(labels, scores);
            case SENSITIVITY_AT_90_SPECIFICITY -> Metrics.sensitivityAt90Specificity(labels, scores);
            case ECE -> Metrics.ece(labels, scores);
            default -> ConfusionMatrix.of(labels, preds).value(m);
        };
    }

    @Test
    void intervalsMatchResamplesMaterializedAsArrays() {
        // replays the documented resampling (same seed, strata and draws) but materializes each resample as arrays
        // of repeated images and computes the metrics with the plain functions, for both models on the same images
        List<Prediction> a = TestData.predictions("a", DOMAINS, 40, 1.2, 7, 2);
        List<Prediction> b = TestData.predictions("b", DOMAINS, 40, 0.6, 8, 2);
        EvaluationOptions opt = OPT.withResamples(50);
        PairedComparison.Result r = PairedComparison.compare("a", a, "b", b, opt);
        int n = a.size();
        int[] labels = a.stream().mapToInt(Prediction::label).toArray();
        int[][] strata = PairedComparison.strata(labels);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(PairedComparison.seed(opt.seed(), "paired", "a", "b"));
        int[] w = new int[n];
        double[][] diffs = new double[Metric.values().length][opt.resamples()];
        for (int k = 0; k < opt.resamples(); k++) {
            PairedComparison.draw(strata, rng, w);
            List<Integer> picked = new ArrayList<>();
            for (int i = 0; i < n; i++) for (int c = 0; c < w[i]; c++) picked.add(i);
            assertEquals(n, picked.size());
            int[] l = picked.stream().mapToInt(i -> labels[i]).toArray();
            double[] sa = picked.stream().mapToDouble(i -> a.get(i).probability()).toArray();
            double[] sb = picked.stream().mapToDouble(i -> b.get(i).probability()).toArray();
            int[] pa = picked.stream().mapToInt(i -> a.get(i).prediction()).toArray();
            int[] pb = picked.stream().mapToInt(i -> b.get(i).prediction()).toArray();
            for (Metric m : Metric.values()) diffs[m.ordinal()][k] = plain(m, l, sa, pa) - plain(m, l, sb, pb);
        }
        for (Metric m : Metric.values()) {
            double[] d = java.util.Arrays.stream(diffs[m.ordinal()]).sorted().toArray();
            Estimate e = r.differences().get(m);
            assertEquals(Metrics.quantile(d, 0.025), e.lower(), 1e-12, m.key());
            assertEquals(Metrics.quantile(d, 0.975), e.upper(), 1e-12, m.key());
            assertEquals(PairedComparison.bootstrapP(d), r.p().get(m), 1e-12, m.key());
        }
    }
}
