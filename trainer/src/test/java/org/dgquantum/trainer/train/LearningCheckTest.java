package org.dgquantum.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LearningCheckTest {
    /** A state whose best epoch (2 of 3) has these figures. */
    static TrainState state(double trainAcc, double valAcc, double auc, double lower, double upper) {
        TrainState.EpochRecord other = new TrainState.EpochRecord(1, 10, 0.7, 0.7, 0.5, 0.69, 0.5, 0.5, 0.4, 0.6, 0, 1, 0);
        TrainState.EpochRecord best = new TrainState.EpochRecord(2, 10, 0.7, 0.7, trainAcc, 0.69, valAcc, auc, lower,
                upper, 0, 1, 0);
        TrainState.EpochRecord last = new TrainState.EpochRecord(3, 10, 0.1, 0.1, 0.99, 0.1, 0.99, 0.99, 0.98, 1.0, 0, 1, 0);
        return new TrainState(3, 30, "epoch-0003.zip", 2, auc, 1, 2, List.of(other, best, last), null);
    }

    @Test
    void aChanceLevelRunIsFlaggedWithItsNumbers() {
        LearningCheck.Verdict v = LearningCheck.of(state(0.51, 0.5, 0.53, 0.41, 0.65));
        assertFalse(v.learned());
        assertEquals("did not learn: training accuracy 0.51 at the best epoch 2 (chance 0.50) and validation AUC 0.53"
                + " [0.41, 0.65] contains 0.5; its test figures are not a result (see docs/trainer.md, \"When a model"
                + " does not learn\")", v.reason());
        assertEquals(Optional.empty(), LearningCheck.ranksButThresholdsBadly(state(0.51, 0.5, 0.53, 0.41, 0.65)));
    }

    @Test
    void aLearningRunIsNotFlagged() {
        LearningCheck.Verdict v = LearningCheck.of(state(0.93, 0.9, 0.97, 0.93, 1.0));
        assertTrue(v.learned(), v.reason());
        assertTrue(v.reason().startsWith("learned: training accuracy 0.93 at the best epoch 2"), v.reason());
        assertEquals(Optional.empty(), LearningCheck.ranksButThresholdsBadly(state(0.93, 0.9, 0.97, 0.93, 1.0)));
    }

    @Test
    void bothConditionsAreNeeded() {
        // Training at chance, yet the validation AUC interval lies above 0.5: it ranks.
        assertTrue(LearningCheck.of(state(0.55, 0.8, 0.85, 0.75, 0.95)).learned());
        // Fits its training batches, validation at chance: the validation figures say it, not this check.
        assertTrue(LearningCheck.of(state(0.9, 0.5, 0.52, 0.4, 0.64)).learned());
        // The boundary: 0.60 is near chance.
        assertFalse(LearningCheck.of(state(0.60, 0.5, 0.52, 0.4, 0.64)).learned());
    }

    @Test
    void aRankingWithAccuracyAtChanceThresholdsBadly() {
        TrainState s = state(0.9, 0.53, 0.98, 0.95, 1.0);
        assertTrue(LearningCheck.of(s).learned());
        String w = LearningCheck.ranksButThresholdsBadly(s).orElseThrow();
        assertTrue(w.startsWith("ranks but thresholds badly: validation AUC 0.98 [0.95, 1.00] at the best epoch 2, yet"
                + " validation accuracy 0.53 at the 0.5 threshold"), w);
        assertTrue(w.contains("--select-by loss"), w);
    }

    @Test
    void anOldStateWithoutIntervalsLoadsAsNanAndFallsBackToTheAuc() throws Exception {
        String old = """
                {"epochsDone": 1, "globalStep": 3, "checkpoint": "epoch-0001.zip", "bestEpoch": 1, "bestScore": 0.55,
                 "seed": 42, "threads": 2,
                 "history": [{"epoch": 1, "steps": 3, "trainLoss": 0.7, "trainClassLoss": 0.69, "trainAccuracy": 0.52,
                              "validationLoss": 0.69, "validationAccuracy": 0.5, "validationAuc": 0.55, "lambda": 0,
                              "seconds": 1.5, "quantumSeconds": 0}]}""";
        TrainState s = RunFiles.JSON.readValue(old, TrainState.class);
        TrainState.EpochRecord e = s.history().get(0);
        assertTrue(Double.isNaN(e.validationAucLower()) && Double.isNaN(e.validationAucUpper()), e.toString());
        LearningCheck.Verdict v = LearningCheck.of(s);
        assertFalse(v.learned());
        assertTrue(v.reason().contains("validation AUC 0.55 <= 0.60 (no AUC interval recorded"), v.reason());

        // A new state round-trips its interval.
        TrainState now = state(0.9, 0.9, 0.97, 0.93, 1.0);
        assertEquals(now, RunFiles.JSON.readValue(RunFiles.JSON.writeValueAsString(now), TrainState.class));
    }

    @Test
    void noEpochIsNoVerdictOfLearning() {
        TrainState none = new TrainState(0, 0, null, 0, Double.NEGATIVE_INFINITY, 1, 2, List.of(), null);
        assertFalse(LearningCheck.of(none).learned());
        assertFalse(LearningCheck.of(null).learned());
    }

    @Test
    void theAucIntervalIsDeLongsClippedAndUndefinedWithOneImageOfAClass() {
        int[] y = {0, 0, 0, 1, 1, 1};
        double[] p = {0.1, 0.2, 0.3, 0.7, 0.8, 0.9};
        double[] perfect = Scores.aucInterval(y, p, 1.0);
        assertEquals(1.0, perfect[0], 1e-12, "separated classes: DeLong's variance is 0");
        assertEquals(1.0, perfect[1], 1e-12);
        double[] mixed = Scores.aucInterval(y, new double[] {0.1, 0.8, 0.3, 0.7, 0.2, 0.9}, 0.667);
        assertTrue(mixed[0] < 0.667 && mixed[1] > 0.667 && mixed[1] <= 1.0, mixed[0] + " " + mixed[1]);
        double[] undefined = Scores.aucInterval(new int[] {0, 1, 1}, new double[] {0.1, 0.5, 0.9}, 1.0);
        assertTrue(Double.isNaN(undefined[0]) && Double.isNaN(undefined[1]));
    }

    @Test
    void selectByLossPrefersTheLowerLoss() {
        assertTrue(Trainer.selectionScore("loss", 0.9, 0.5, 0.3) > Trainer.selectionScore("loss", 0.99, 0.5, 0.6));
        assertEquals(0.9, Trainer.selectionScore("auc", 0.9, 0.5, 0.3));
        assertEquals(0.5, Trainer.selectionScore("auc", Double.NaN, 0.5, 0.3), "no AUC: accuracy");
        assertEquals(0.5, Trainer.selectionScore("accuracy", 0.9, 0.5, 0.3));
    }
}
