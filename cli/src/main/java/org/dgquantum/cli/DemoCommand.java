package org.dgquantum.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dgquantum.data.DataBundle;
import org.dgquantum.eval.Evaluation;
import org.dgquantum.eval.EvaluationOptions;
import org.dgquantum.eval.EvaluationReport;
import org.dgquantum.eval.Prediction;
import org.dgquantum.nd4j.OneDnnHelpers;
import org.dgquantum.trainer.runs.RunDirectory;
import org.dgquantum.trainer.runs.RunService;
import org.dgquantum.trainer.train.PeakMemory;
import org.dgquantum.trainer.train.Progress;
import org.dgquantum.trainer.train.RunFiles;
import org.dgquantum.trainer.train.TrainConfig;
import org.dgquantum.trainer.train.TrainState;
import org.dgquantum.trainer.train.Trainer;
import org.dgquantum.trainer.train.TrainerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dgq demo}, the README's main job: DG-Quantum and the plain MobileNetV2 baseline trained on the
 * built-in synthetic multi-center data, evaluated on its unseen centers with and without test-time adaptation.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains DG-Quantum (MobileNetV2 + quantum layer + gradient-reversal domain head) and the plain"
                + " MobileNetV2 baseline on the synthetic multi-center data (no download), predicts the unseen centers"
                + " with and without test-time BN adaptation, and prints accuracy, AUC, sensitivity and specificity"
                + " with 95%% bootstrap intervals.",
            "Writes OUT/config.json, OUT/metrics.json, OUT/predictions.csv, OUT/plots/*.png, OUT/timing.json and"
                    + " OUT/models/<model>/ (checkpoints). Run it again with the same --out to resume an"
                    + " interrupted demo."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:internal error", "2:bad arguments or output directory"})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private java.io.PrintWriter err() {
        return spec.commandLine().getErr();
    }


    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/demo",
            description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "12", description = "Epochs per model (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Mixin
    RunOptions run;

    @Option(names = "--resamples", paramLabel = "N", defaultValue = EvaluationOptions.DEFAULT_RESAMPLES_TEXT,
            description = "Bootstrap resamples of the confidence intervals (default: ${DEFAULT-VALUE}).")
    int resamples;

    @Option(names = "--models", paramLabel = "M,M", defaultValue = "dgquantum,mobilenetv2", split = ",",
            description = "Models to compare (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "--threads", paramLabel = "N", description = "ND4J threads.")
    Integer threads;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Timing of one model's training, for timing.json and docs/trainer.md. */
    public record Timing(String model, int steps, double trainSeconds, double secondsPerStep, double imagesPerSecond,
                         double quantumShare) {
    }

    @Override
    public Integer call() {
        return Commands.run(this::demo);
    }

    /** The demo's config.json: the configuration of every model, so that a rerun continues only the same demo. */
    record DemoConfig(String command, Map<String, TrainConfig> models) {
    }

    private Integer demo() {
        long start = System.nanoTime();
        Commands.threads(threads);
        EvaluationOptions evaluation = Commands.evaluation(resamples);
        Map<String, TrainConfig> configs = new LinkedHashMap<>();
        for (String m : models) {
            TrainConfig c = TrainConfig.forModel(m, run.seed).with(b -> run.applyTo(b).epochs(epochs));
            if (configs.put(c.name(), c) != null) {
                throw new TrainerException("--models " + String.join(",", models) + ": " + c.name()
                        + " is named twice (expected distinct models)");
            }
        }
        Path dir = out.toAbsolutePath().normalize();
        DemoConfig demo = new DemoConfig("demo", configs);
        // The models differ in their networks only: one load of the data serves them all, and bad data fails
        // before anything is written.
        DataBundle data = RunService.loadData(configs.values().iterator().next());
        if (RunDirectory.inspect(dir, demo, "--out") == RunDirectory.Found.NOTHING) {
            RunDirectory.create(dir, demo);
        } else {
            err().println("demo: continuing the demo in " + dir);
        }

        List<Prediction> preds = new ArrayList<>();
        List<Timing> timings = new ArrayList<>();
        int i = 0;
        int laterEpochs = configs.values().stream().mapToInt(TrainConfig::epochs).sum();
        for (TrainConfig c : configs.values()) {
            i++;
            laterEpochs -= c.epochs();
            err().println(String.format(Locale.ROOT, "%n== model %d/%d: %s (%d epochs)", i, configs.size(), c.name(),
                    c.epochs()));
            Trainer.Result r = RunService.train(c, dir.resolve("models").resolve(c.name()),
                    Progress.stderr(c.name()).laterEpochs(laterEpochs), data);
            timings.add(timing(r));
            err().println(c.name() + ": predicting the unseen centers, without and with test-time adaptation");
            preds.addAll(RunService.predictUnseen(c, r));
        }
        err().println("evaluating: metrics with " + resamples + " bootstrap resamples, plots");
        EvaluationReport report;
        try {
            report = Evaluation.writeRun(dir, preds, evaluation
                    .withSeed(run.seed));
        } catch (IOException e) {
            throw new TrainerException("--out " + dir + ": cannot write the evaluation: " + e.getMessage());
        }
        double wall = (System.nanoTime() - start) / 1e9;
        writeTiming(dir, timings, wall);
        out().println();
        out().println("Unseen centers (" + configs.values().iterator().next().data() + ", "
                + preds.size() / (2 * configs.size()) + " images), 95% bootstrap intervals:");
        out().print(report.summaryTable());
        out().println();
        for (Timing t : timings) {
            out().println(String.format(Locale.ROOT,
                    "%s: %d steps, %.2f s/step, %.1f images/s%s", t.model(), t.steps(), t.secondsPerStep(),
                    t.imagesPerSecond(), t.quantumShare() > 0 ? String.format(Locale.ROOT,
                            ", quantum layer %.1f%% of training time", 100 * t.quantumShare()) : ""));
        }
        out().println(String.format(Locale.ROOT, "wall time %.0f s, peak memory %s; results in %s", wall,
                PeakMemory.describe(PeakMemory.peakRssBytes()), dir));
        return 0;
    }

    static Timing timing(Trainer.Result r) {
        int steps = 0;
        double secs = 0;
        double q = 0;
        for (TrainState.EpochRecord e : r.state().history()) {
            steps += e.steps();
            secs += e.seconds();
            q += e.quantumSeconds();
        }
        double sps = steps == 0 ? Double.NaN : secs / steps;
        return new Timing(r.config().name(), steps, secs, sps, r.config().batchSize() / sps,
                secs == 0 ? 0 : q / secs);
    }

    private static void writeTiming(Path dir, List<Timing> timings, double wall) {
        ObjectNode root = JSON.createObjectNode();
        root.put("wallSeconds", wall);
        // What /usr/bin/time -v reports as "Maximum resident set size" (bin/dgq execs java).
        root.put("peakRssBytes", PeakMemory.peakRssBytes());
        root.put("threads", Trainer.threads());
        root.put("helpers", OneDnnHelpers.describe());
        ArrayNode a = root.putArray("models");
        for (Timing t : timings) {
            a.add(JSON.valueToTree(t));
        }
        RunFiles.writeJson(dir.resolve("timing.json"), root);
    }
}
