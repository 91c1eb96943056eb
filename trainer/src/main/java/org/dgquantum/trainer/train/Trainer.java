package org.dgquantum.trainer.train;

import org.dgquantum.nd4j.OneDnnHelpers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dgquantum.data.DataBundle;
import org.dgquantum.eval.Metrics;
import org.dgquantum.data.DataSources;
import org.dgquantum.data.Dataset;
import org.dgquantum.data.SyntheticGenerator;
import org.dgquantum.trainer.model.DgQuantumGraph;
import org.dgquantum.dl4j.QuantumLayerImpl;
import org.dgquantum.engine.QuantumBackend;
import org.dgquantum.trainer.shift.ImagingShift;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training loop (docs/architecture.md). Per epoch: a seeded shuffle of the training split; per batch the
 * imaging-shift simulation (each image gets a virtual domain, which is its domain label), the gradient-reversal
 * lambda from training progress p = step / total steps, one Adam step on CE_class + lambda CE_domain +
 * beta E||h||^2; after the epoch, validation on the held-out source split (no shift), model selection by
 * validation AUC (or accuracy, or log loss), and an atomic checkpoint (model with Adam state + {@link TrainState}).
 * A new run starts from random parameters, or its encoder from another run's ({@link EncoderInit}). At the end,
 * {@link LearningCheck} says whether the run learned (learning.json; a WARNING line when it did not).
 *
 * <p>Determinism: every random stream (split, shuffles, shift, initialization) is a pure function of the seed,
 * the epoch and the sample, so the same seed and ND4J thread count give the same parameters and metrics, and a
 * resumed run continues exactly where the interrupted one stopped.
 */
public final class Trainer {
    private static final System.Logger LOG = System.getLogger(Trainer.class.getName());

    /** The outcome of a training run. */
    public record Result(TrainConfig config, TrainState state, RunFiles files, ComputationGraph last,
                         DataBundle data) {
        /** The model of the best validation epoch (read from best.zip). */
        public ComputationGraph best() {
            return RunFiles.loadModel(files.best());
        }
    }

    private Trainer() {
    }

    /** The data of a config: the bundle, and the source split into training and validation parts. */
    public static DataBundle loadData(TrainConfig c) {
        DataBundle b = DataSources.load(c.data(), c.dataOptions());
        b.source().requireBothClasses();
        if (b.source().height() != c.imageSize() || b.source().width() != c.imageSize()) {
            throw new TrainerException("data source " + c.data() + " yields " + b.source().height() + "x"
                    + b.source().width() + " images, expected " + c.imageSize() + "x" + c.imageSize());
        }
        return b;
    }

    public static Dataset.Split split(TrainConfig c, Dataset source) {
        return source.split(c.validationFraction(), SyntheticGenerator.mix(c.seed(), 0x5B11L));
    }

    /**
     * Trains {@code c} in the run directory of {@code files} (which holds its config.json) from {@code state}
     * (null: from scratch) up to its last epoch or epoch {@code stopAfter}, whichever comes first. Runs are
     * started and continued through {@code runs.RunService}, which checks everything first.
     *
     * @param backend the run's quantum backend, handed to the graph's quantum layer (null: no quantum layer)
     */
    public static Result fit(TrainConfig c, RunFiles files, TrainState state, DataBundle data, Progress progress,
                             int stopAfter, QuantumBackend backend) {
        OneDnnHelpers.enable();
        Dataset.Split split = split(c, data.source());
        Dataset train = split.train();
        Dataset val = split.validation();
        int threads = threads();
        ComputationGraph g;
        if (state == null) {
            g = DgQuantumGraph.build(c.toGraphOptions());
            if (c.initFrom() != null) {
                progress.message(c.name() + ": " + EncoderInit.apply(c, g));
            }
            state = new TrainState(0, 0, null, 0, Double.NEGATIVE_INFINITY, c.seed(), threads, List.of(), c);
        } else {
            if (state.threads() != threads) {
                LOG.log(System.Logger.Level.WARNING, "run " + files.dir() + " was trained with " + state.threads()
                        + " ND4J threads, now " + threads + ": the result may differ in the last bits");
            }
            g = RunFiles.loadModel(files.dir().resolve(RunFiles.CHECKPOINTS).resolve(state.checkpoint()));
        }
        DgQuantumGraph.setBackend(g, backend);
        if (state.epochsDone() >= c.epochs()) {
            progress.message(c.name() + ": all " + c.epochs() + " epochs already done in " + files.dir());
            LearningCheck.report(c.name(), files, state, progress);
            return new Result(c, state, files, g, data);
        }
        ImagingShift shift = ImagingShift.defaults(SyntheticGenerator.mix(c.seed(), 0x5A1F7L));
        FlipAugmentation flips = new FlipAugmentation(SyntheticGenerator.mix(c.seed(), 0xF11BL));
        boolean dropLast = train.size() >= c.batchSize();
        int stepsPerEpoch = train.batchIndices(c.batchSize(), false, 0, dropLast).size();
        long totalSteps = (long) stepsPerEpoch * c.epochs();
        ClassHeadListener acc = new ClassHeadListener(c.quantum() ? DgQuantumGraph.QUANTUM : DgQuantumGraph.FEATURE_NORM);
        g.setListeners(acc);
        progress.message(c.name() + ": " + train.size() + " training / " + val.size() + " validation images ("
                + data.name() + "), " + stepsPerEpoch + " steps/epoch, " + OneDnnHelpers.describe() + ", "
                + threads + " ND4J threads");

        List<TrainState.EpochRecord> history = new ArrayList<>(state.history());
        long step = state.globalStep();
        int bestEpoch = state.bestEpoch();
        double bestScore = state.bestScore();
        for (int epoch = state.epochsDone(); epoch < Math.min(c.epochs(), stopAfter); epoch++) {
            Nd4j.getRandom().setSeed(SyntheticGenerator.mix(c.seed(), 0xE90C4L, epoch));
            List<int[]> batches = train.batchIndices(c.batchSize(), true,
                    SyntheticGenerator.mix(c.seed(), 0x5F1EL, epoch), dropLast);
            progress.epochStart();
            QuantumLayerImpl q = DgQuantumGraph.quantumLayer(g);
            if (q != null) {
                q.resetTimers();
            }
            long t0 = System.nanoTime();
            double lossSum = 0;
            double classLossSum = 0;
            long correct = 0;
            long seen = 0;
            double lambda = 0;
            for (int bi = 0; bi < batches.size(); bi++) {
                int[] ix = batches.get(bi);
                INDArray raw = train.features(ix, c.channels());
                INDArray yClass = train.labelsOneHot(ix);
                long[] keys = imageKeys(epoch, train.size(), ix);
                INDArray flipped = c.flips() ? flips.apply(raw, keys) : raw;
                INDArray x = flipped;
                INDArray[] labels;
                if (c.shift()) {
                    ImagingShift.Shifted s = shift.shiftBatch(x, keys);
                    x = s.features();
                    labels = c.adversarial() ? new INDArray[] {yClass, s.domainsOneHot(shift.numDomains())}
                            : new INDArray[] {yClass};
                } else {
                    labels = new INDArray[] {yClass};
                }
                double p = (double) step / totalSteps;
                lambda = c.adversarial() ? c.domainWeight() * DgQuantumGraph.lambdaSchedule(p) : 0;
                DgQuantumGraph.setLambda(g, lambda);
                acc.reset();
                g.fit(new MultiDataSet(new INDArray[] {x}, labels));
                // The batch's arrays are off-heap: free them now rather than at some later GC (see NativeArrays).
                NativeArrays.free(raw, flipped, x);
                NativeArrays.free(labels);
                step++;
                double loss = g.score();
                lossSum += loss;
                int[] y = train.subset(ix).labels();
                correct += acc.correct(y);
                classLossSum += acc.classLoss(y);
                seen += ix.length;
                progress.step(epoch + 1, c.epochs(), bi + 1, batches.size(), classLossSum / (bi + 1),
                        (double) correct / seen);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double quantumSeconds = q == null ? 0 : q.layerNanos() / 1e9;
            recalibrate(c, g, train, shift, epoch, batches);
            g.incrementEpochCount();
            double[] pv = Predictor.probabilities(g, val, c.channels(), Math.max(c.batchSize(), 64));
            int[] yv = val.labels();
            double vAuc = Metrics.auc(yv, pv);
            double vAcc = Scores.accuracy(pv, yv);
            double vLoss = Scores.logLoss(pv, yv);
            double[] vAucInterval = Scores.aucInterval(yv, pv, vAuc);
            double score = selectionScore(c.selectBy(), vAuc, vAcc, vLoss);
            TrainState.EpochRecord rec = new TrainState.EpochRecord(epoch + 1, batches.size(),
                    lossSum / batches.size(), classLossSum / batches.size(), (double) correct / seen, vLoss, vAcc, vAuc,
                    vAucInterval[0], vAucInterval[1], lambda, seconds, quantumSeconds);
            history.add(rec);
            boolean best = score > bestScore;
            if (best) {
                bestScore = score;
                bestEpoch = epoch + 1;
                RunFiles.writeModel(files.best(), g, false);
            }
            // Checkpoint: the zip first, then the state naming it; only then drop the previous zip.
            Path zip = files.checkpoint(epoch + 1);
            RunFiles.writeModel(zip, g, true);
            String previous = state.checkpoint();
            state = new TrainState(epoch + 1, step, zip.getFileName().toString(), bestEpoch, bestScore, c.seed(),
                    threads, history, c);
            RunFiles.writeJson(files.state(), state);
            if (previous != null && !previous.equals(state.checkpoint())) {
                RunFiles.deleteQuietly(files.dir().resolve(RunFiles.CHECKPOINTS).resolve(previous));
            }
            // Keeps the resident size flat over long runs (docs/trainer.md, "Memory").
            NativeArrays.releaseFreedMemory();
            progress.epochEnd(rec, c.epochs(), best);
        }
        g.setListeners();
        if (state.epochsDone() > 0) {
            LearningCheck.report(c.name(), files, state, progress);
        }
        return new Result(c, state, files, g, data);
    }

    /**
     * The model-selection score of an epoch, higher is better: the validation AUC (accuracy when it is undefined),
     * the accuracy, or minus the log loss (a proper score: unlike the AUC it sees whether the probabilities are
     * calibrated, i.e. whether the 0.5 threshold falls between the classes).
     */
    static double selectionScore(String selectBy, double auc, double accuracy, double logLoss) {
        return switch (selectBy) {
            case "auc" -> Double.isNaN(auc) ? accuracy : auc;
            case "loss" -> -logLoss;
            default -> accuracy;
        };
    }

    /** Per-image augmentation keys of one batch: unique per (epoch, training image), so epochs differ. */
    static long[] imageKeys(int epoch, int trainSize, int[] ix) {
        long[] keys = new long[ix.length];
        for (int i = 0; i < ix.length; i++) {
            keys[i] = (long) epoch * trainSize + ix[i];
        }
        return keys;
    }

    /**
     * Precise BN after an epoch: the running statistics become those of the epoch's first training batches
     * holding {@link #PRECISE_BN_IMAGES} images (shifted as in training), see {@link TestTimeAdaptation#recalibrate}.
     */
    static void recalibrate(TrainConfig c, ComputationGraph g, Dataset train, ImagingShift shift, int epoch,
                            List<int[]> batches) {
        // One batch at a time, each freed after use: holding every batch (and every batch's activations until
        // the next GC) made the resident memory grow by gigabytes per epoch.
        TestTimeAdaptation.Recalibration r = new TestTimeAdaptation.Recalibration(g);
        for (int[] ix : batches.subList(0, recalibrationBatches(batches.size(), c.batchSize()))) {
            INDArray x = train.features(ix, c.channels());
            INDArray shifted = c.shift() ? shift.shiftBatch(x, imageKeys(epoch, train.size(), ix)).features() : x;
            r.add(shifted);
            NativeArrays.free(x, shifted);
        }
        r.apply();
    }

    /**
     * Images whose statistics set the BN running statistics after an epoch. A training-mode forward pass costs
     * about 2/3 of a training step here, so recalibrating over every batch took a third of the demo's wall time;
     * a few hundred images estimate the statistics well (Wu and Johnson, "Rethinking 'Batch' in BatchNorm", 2021).
     */
    static final int PRECISE_BN_IMAGES = 256;

    /** The epoch's first batches (its shuffled order: a fresh sample every epoch) that hold PRECISE_BN_IMAGES. */
    static int recalibrationBatches(int batches, int batchSize) {
        return Math.min(batches, Math.max(1, (PRECISE_BN_IMAGES + batchSize - 1) / batchSize));
    }

    /** ND4J's thread count (OMP_NUM_THREADS or the core count). */
    public static int threads() {
        return Nd4j.getEnvironment().maxMasterThreads();
    }

    /**
     * Records the class predictions of each training forward pass from the class head's input (the output
     * layers' own activations are not passed to listeners): logits = x W + b, argmax.
     */
    /**
     * Reads the class head's input on each training forward pass and applies the head's weights, so training
     * accuracy and class cross-entropy cost no extra pass. The class CE is what the progress shows as "loss":
     * DG-Quantum's total score also holds the domain CE, which the gradient reversal drives up on purpose.
     */
    static final class ClassHeadListener extends BaseTrainingListener {
        private final String head;
        private INDArray logits;

        ClassHeadListener(String head) {
            this.head = head;
        }

        void reset() {
            logits = null;
        }

        /** Correct predictions of the last forward pass. */
        int correct(int[] labels) {
            if (logits == null) {
                return 0;
            }
            long[] am = Nd4j.argMax(logits, 1).castTo(DataType.INT64).toLongVector();
            int n = 0;
            for (int i = 0; i < Math.min(labels.length, am.length); i++) {
                if (am[i] == labels[i]) {
                    n++;
                }
            }
            return n;
        }

        /** Mean class cross-entropy of the last forward pass (softmax head; log-sum-exp for stability). */
        double classLoss(int[] labels) {
            if (logits == null || labels.length == 0) {
                return Double.NaN;
            }
            double[][] z = logits.castTo(DataType.DOUBLE).toDoubleMatrix();
            double sum = 0;
            for (int i = 0; i < Math.min(labels.length, z.length); i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z[i]) {
                    max = Math.max(max, v);
                }
                double lse = 0;
                for (double v : z[i]) {
                    lse += Math.exp(v - max);
                }
                sum += max + Math.log(lse) - z[i][labels[i]];
            }
            return sum / Math.min(labels.length, z.length);
        }

        @Override
        public void onForwardPass(Model model, Map<String, INDArray> activations) {
            ComputationGraph g = (ComputationGraph) model;
            INDArray x = activations.get(head);
            if (x == null) {
                return;
            }
            var out = g.getLayer(DgQuantumGraph.CLASS_OUTPUT);
            INDArray w = out.getParam("W");
            INDArray b = out.getParam("b");
            logits = x.castTo(w.dataType()).mmul(w).addiRowVector(b).detach();
        }
    }
}
