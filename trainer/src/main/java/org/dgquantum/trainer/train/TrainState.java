package org.dgquantum.trainer.train;

import java.util.List;

/**
 * What a resumed run needs besides the model: written to {@code checkpoints/state.json} after every epoch.
 * All random streams of training are pure functions of (seed, epoch, sample), so the seed and the number of
 * completed epochs are the whole RNG state; the Adam moments and iteration count live in the checkpoint zip.
 *
 * @param epochsDone   completed epochs
 * @param globalStep   completed optimizer steps
 * @param checkpoint   file name of the checkpoint zip (in checkpoints/) this state belongs to
 * @param bestEpoch    1-based epoch with the best validation score so far
 * @param bestScore    that score, higher is better: validation AUC, accuracy, or minus the validation log loss
 *                     (see {@link TrainConfig#selectBy()})
 * @param seed         the run's seed
 * @param threads      ND4J threads of the run (determinism holds for the same seed and thread count)
 * @param history      one record per completed epoch
 * @param config       the config the checkpoint was trained with: a resume refuses a config.json that differs
 *                     (null in states written before dgq recorded it)
 */
public record TrainState(int epochsDone, long globalStep, String checkpoint, int bestEpoch, double bestScore, long seed,
                         int threads, List<EpochRecord> history, TrainConfig config) {
    public TrainState {
        history = List.copyOf(history);
    }

    /**
     * One epoch.
     *
     * @param epoch              1-based
     * @param steps              optimizer steps in the epoch
     * @param trainLoss          mean total loss over the epoch's batches
     * @param trainClassLoss     mean class cross-entropy of the epoch's batches (the progress's "loss")
     * @param trainAccuracy      class accuracy on the (shifted) training batches, in training mode
     * @param validationLoss     mean class cross-entropy on the validation split
     * @param validationAccuracy accuracy on the validation split (threshold 0.5)
     * @param validationAuc      ROC AUC on the validation split
     * @param validationAucLower lower bound of its 95% interval (normal, DeLong's variance, clipped to [0, 1]);
     *                           NaN when undefined (fewer than 2 images of a class) or in a state.json written
     *                           before dgq recorded it
     * @param validationAucUpper upper bound of that interval
     * @param lambda             gradient-reversal lambda at the end of the epoch
     * @param seconds            wall time of the epoch's training steps
     * @param quantumSeconds     of which in the quantum layer (forward and backward; 0 without one)
     */
    public record EpochRecord(int epoch, int steps, double trainLoss, double trainClassLoss, double trainAccuracy,
                              double validationLoss, double validationAccuracy, double validationAuc,
                              Double validationAucLower, Double validationAucUpper, double lambda,
                              double seconds, double quantumSeconds) {
        // Boxed so that a state.json without the interval (older runs) reads as NaN: Jackson gives a missing
        // primitive 0, which would be a real-looking interval.
        public EpochRecord {
            validationAucLower = validationAucLower == null ? Double.NaN : validationAucLower;
            validationAucUpper = validationAucUpper == null ? Double.NaN : validationAucUpper;
        }
    }
}
