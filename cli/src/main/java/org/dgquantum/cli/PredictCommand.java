package org.dgquantum.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dgquantum.data.DataBundle;
import org.dgquantum.eval.Metrics;
import org.dgquantum.data.Dataset;
import org.dgquantum.eval.Prediction;
import org.dgquantum.eval.PredictionsCsv;
import org.dgquantum.trainer.runs.RunService;
import org.dgquantum.trainer.train.ConfigException;
import org.dgquantum.trainer.train.LearningCheck;
import org.dgquantum.trainer.train.RunFiles;
import org.dgquantum.trainer.train.Scores;
import org.dgquantum.trainer.train.TrainConfig;
import org.dgquantum.trainer.train.TrainState;
import org.dgquantum.trainer.train.Trainer;
import org.dgquantum.trainer.train.TrainerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dgq predict}: predictions of a trained run on a data source, with or without test-time adaptation. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predicts with the best model of a run (dgq train) on a data source's unseen centers and writes"
                + " predictions.csv (id, domain, label, probability, prediction, model, seed).",
            "With --tta, each center is adapted separately: the BN running statistics move by eta toward every"
                    + " batch's statistics before it is predicted (weights unchanged)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:internal error", "2:bad arguments, bad data or run directory"})
public final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }


    @Option(names = "--run", required = true, paramLabel = "RUN_DIR", description = "Run directory of dgq train.")
    Path run;

    @Option(names = "--data", paramLabel = "SPEC",
            description = "Data source (default: the run's own, with its --test-centers); its images are resized to the"
                    + " run's image size. Another source is split as it is by default.")
    String data;

    @Option(names = "--split", paramLabel = "target|source|all", defaultValue = "target",
            description = "Which part of the source to predict: its unseen centers (target), its training centers"
                    + " (source) or both (default: ${DEFAULT-VALUE}).")
    Split split;

    /** The parts of a data source ({@code --split}). */
    enum Split { target, source, all }

    @Option(names = "--tta", description = "Test-time adaptation of the BN running statistics.")
    boolean tta;

    @Option(names = "--eta", paramLabel = "E", description = "TTA rate (default: the run's eta).")
    Double eta;

    @Option(names = "--checkpoint", paramLabel = "best|last", defaultValue = "best",
            description = "The best validation epoch or the last checkpoint (default: ${DEFAULT-VALUE}).")
    String checkpoint;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Output CSV (default: RUN_DIR/predictions.csv, or predictions-tta.csv with --tta).")
    Path out;

    @Option(names = "--threads", paramLabel = "N", description = "ND4J threads.")
    Integer threads;

    @Override
    public Integer call() {
        return Commands.run(this::predict);
    }

    private Integer predict() {
        Commands.threads(threads);
        if (out != null && Files.isDirectory(out)) {
            throw new TrainerException("--out " + out + ": is a directory (expected a CSV file name)");
        }
        RunFiles files = new RunFiles(run);
        TrainConfig c = RunService.config(run);
        if (data != null) {
            try {
                // The run's --test-centers name centers of its own data: another source gets its default split.
                c = data.equals(c.data()) ? c : c.with(b -> b.data(data).testCenters(List.of()));
            } catch (ConfigException e) {
                throw new TrainerException(e.describe("--data"));
            }
        }
        double rate = eta != null ? eta : c.eta();
        if (!(rate >= 0 && rate <= 1)) {
            throw new TrainerException("--eta " + rate + ": expected a number in [0, 1]");
        }
        Path model = switch (checkpoint) {
            case "best" -> files.best();
            case "last" -> {
                var s = files.readState();
                if (s == null) {
                    throw new TrainerException("--run " + files.dir() + ": has no checkpoint yet");
                }
                yield files.dir().resolve(RunFiles.CHECKPOINTS).resolve(s.checkpoint());
            }
            default -> throw new TrainerException("--checkpoint " + checkpoint + ": expected best or last");
        };
        warnIfNotLearned(c.name(), files);
        ComputationGraph g = RunFiles.loadModel(model);
        DataBundle bundle = Trainer.loadData(c);
        Dataset d = switch (split) {
            case target -> bundle.target();
            case source -> bundle.source();
            case all -> bundle.source().concat(bundle.target());
        };
        List<Prediction> preds = RunService.predict(c, g, d, tta, rate);
        Path target = out != null ? out : files.dir().resolve(tta ? "predictions-tta.csv" : PredictionsCsv.FILE_NAME);
        try {
            PredictionsCsv.write(target, preds);
        } catch (IOException e) {
            throw new TrainerException("--out " + target + ": cannot write: " + e.getMessage());
        }
        double[] p = preds.stream().mapToDouble(Prediction::probability).toArray();
        int[] y = preds.stream().mapToInt(Prediction::label).toArray();
        out().println(String.format(Locale.ROOT, "%s on %s (%d images, %s): accuracy %.3f, AUC %.3f; wrote %s",
                preds.isEmpty() ? c.name() : preds.get(0).model(), c.data(), preds.size(), split, Scores.accuracy(p, y), Metrics.auc(y, p), target));
        return 0;
    }

    /** Predictions of a run that did not learn are no result: say so first, on stderr (LearningCheck). */
    private void warnIfNotLearned(String name, RunFiles files) {
        TrainState s = files.readState();
        if (s == null) {
            return;
        }
        LearningCheck.Verdict v = LearningCheck.of(s);
        if (!v.learned()) {
            spec.commandLine().getErr().println("WARNING: " + name + " " + v.reason());
        }
        LearningCheck.ranksButThresholdsBadly(s).ifPresent(t -> spec.commandLine().getErr().println("WARNING: " + name + " " + t));
    }
}
