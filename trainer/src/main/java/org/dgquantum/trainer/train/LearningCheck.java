package org.dgquantum.trainer.train;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a run learned anything, judged at its best epoch, so that a run at chance says so instead of reporting
 * its test figures as a result (docs/trainer.md, "When a model does not learn").
 *
 * <p>The rule: a run <b>did not learn</b> when, at its best epoch, both
 * <ul>
 *   <li>its training accuracy is at most {@value #NEAR_CHANCE_ACCURACY} (chance is 0.50: two classes, and the data
 *       sources draw the same number of images per class; the training batches themselves are a plain shuffle, not
 *       balanced one by one). Training accuracy is measured on the augmented batches in training mode, so it is
 *       noisy; on a few hundred images its standard deviation at chance is about 0.025, and 0.60 lies four of them
 *       above chance, while a model that learned a visible lesion goes well past it; and</li>
 *   <li>the 95% interval of its validation AUC contains 0.5 (nothing shows that it ranks the classes). A state
 *       written before dgq recorded the interval falls back to the AUC itself being at most
 *       {@value #NEAR_CHANCE_AUC}, and the reason says so.</li>
 * </ul>
 * Both must hold: a model can fit its training batches yet not generalize (then its validation figures tell), or
 * rank well on validation while the shifted training batches stay hard (then it did learn).
 *
 * <p>A weaker warning, {@link #ranksButThresholdsBadly}: a run that learned a ranking (its validation AUC interval
 * lies above 0.5) while its validation accuracy at the 0.5 threshold is still at most {@value #NEAR_CHANCE_ACCURACY}:
 * the scores order the images but sit on one side of the threshold, so accuracy, sensitivity and specificity are
 * not a result of the ranking ({@code --select-by loss} picks epochs whose probabilities are calibrated).
 */
public final class LearningCheck {
    /** Training accuracy at or below which a two-class model counts as near chance. */
    public static final double NEAR_CHANCE_ACCURACY = 0.60;
    /** Validation AUC at or below which a run without a recorded AUC interval counts as not ranking. */
    public static final double NEAR_CHANCE_AUC = 0.60;
    /** Accuracy of a guess between two balanced classes. */
    public static final double CHANCE = 0.50;

    private static final String SEE = "see docs/trainer.md, \"When a model does not learn\"";

    private LearningCheck() {
    }

    /**
     * The verdict on a run.
     *
     * @param learned false when the run did not learn by the rule of {@link LearningCheck}
     * @param reason  one plain sentence with the numbers it was judged on, e.g. "did not learn: training accuracy
     *                0.51 at the best epoch 3 (chance 0.50) and validation AUC 0.53 [0.41, 0.65] contains 0.5; ..."
     */
    public record Verdict(boolean learned, String reason) {
    }

    /** The verdict on a run's state ({@link RunFiles#readState(java.nio.file.Path)} reads one from a run directory). */
    public static Verdict of(TrainState state) {
        TrainState.EpochRecord e = best(state);
        if (e == null) {
            return new Verdict(false, "did not learn: no epoch completed yet");
        }
        boolean trainNearChance = e.trainAccuracy() <= NEAR_CHANCE_ACCURACY;
        boolean noRanking = hasInterval(e)
                ? e.validationAucLower() <= 0.5 && e.validationAucUpper() >= 0.5
                : !(e.validationAuc() > NEAR_CHANCE_AUC); // NaN: nothing shows a ranking either
        String train = f("training accuracy %.2f at the best epoch %d (chance %.2f)", e.trainAccuracy(), e.epoch(), CHANCE);
        if (trainNearChance && noRanking) {
            String auc = hasInterval(e) ? f("validation AUC %s contains 0.5", auc(e))
                    : f("validation AUC %.2f <= %.2f (no AUC interval recorded: a run from an older dgq)",
                            e.validationAuc(), NEAR_CHANCE_AUC);
            return new Verdict(false, "did not learn: " + train + " and " + auc + "; its test figures are not a result ("
                    + SEE + ")");
        }
        return new Verdict(true, "learned: " + train + ", validation AUC " + auc(e));
    }

    /**
     * The weaker warning, when it applies: the run learned a ranking (validation AUC interval above 0.5, or without an
     * interval an AUC above {@value #NEAR_CHANCE_AUC}) but its validation accuracy at the 0.5 threshold is at most
     * {@value #NEAR_CHANCE_ACCURACY}. One sentence starting "ranks but thresholds badly".
     */
    public static Optional<String> ranksButThresholdsBadly(TrainState state) {
        TrainState.EpochRecord e = best(state);
        if (e == null || !of(state).learned()) {
            return Optional.empty();
        }
        boolean ranks = hasInterval(e) ? e.validationAucLower() > 0.5 : e.validationAuc() > NEAR_CHANCE_AUC;
        if (!ranks || !(e.validationAccuracy() <= NEAR_CHANCE_ACCURACY)) {
            return Optional.empty();
        }
        return Optional.of(f("ranks but thresholds badly: validation AUC %s at the best epoch %d, yet validation"
                + " accuracy %.2f at the 0.5 threshold (chance %.2f): the scores sit on one side of the threshold, so"
                + " accuracy, sensitivity and specificity are not a result of the ranking; --select-by loss picks"
                + " calibrated epochs (%s)", auc(e), e.epoch(), e.validationAccuracy(), CHANCE, SEE));
    }

    /**
     * What {@link RunFiles#LEARNING} holds.
     *
     * @param learned    {@link Verdict#learned()}
     * @param reason     {@link Verdict#reason()}
     * @param thresholds the {@link #ranksButThresholdsBadly} sentence, or null
     */
    public record Report(boolean learned, String reason, String thresholds) {
    }

    /**
     * Records the verdict in the run directory and, when the run did not learn or thresholds badly, says so on the
     * progress stream as a WARNING line: the end of every training call.
     */
    static void report(String name, RunFiles files, TrainState state, Progress progress) {
        Verdict v = of(state);
        Optional<String> thresholds = ranksButThresholdsBadly(state);
        RunFiles.writeJson(files.learning(), new Report(v.learned(), v.reason(), thresholds.orElse(null)));
        if (!v.learned()) {
            progress.message("WARNING: " + name + " " + v.reason());
        }
        thresholds.ifPresent(t -> progress.message("WARNING: " + name + " " + t));
    }

    /** The record of the best epoch, or null before the first epoch. */
    private static TrainState.EpochRecord best(TrainState state) {
        return state == null ? null
                : state.history().stream().filter(r -> r.epoch() == state.bestEpoch()).findFirst().orElse(null);
    }

    private static boolean hasInterval(TrainState.EpochRecord e) {
        return !Double.isNaN(e.validationAucLower()) && !Double.isNaN(e.validationAucUpper());
    }

    /** "0.53 [0.41, 0.65]", or "0.53" without an interval. */
    private static String auc(TrainState.EpochRecord e) {
        return hasInterval(e) ? f("%.2f [%.2f, %.2f]", e.validationAuc(), e.validationAucLower(), e.validationAucUpper())
                : f("%.2f", e.validationAuc());
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
