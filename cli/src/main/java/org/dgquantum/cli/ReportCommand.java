package org.dgquantum.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.dgquantum.eval.EvaluationOptions;
import org.dgquantum.sweeps.SweepDir;
import org.dgquantum.sweeps.ReproduceReport;
import org.dgquantum.sweeps.Reproduction;
import org.dgquantum.sweeps.SweepReport;
import org.dgquantum.trainer.train.TrainerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dgq report}: one report over the finished runs of a sweep, or of run directories. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Aggregates the predictions of finished runs (a sweep directory, or run directories holding"
                + " predictions.csv) into OUT/metrics.json, OUT/report.md, a self-contained OUT/report.html,"
                + " OUT/predictions.csv (all of them), OUT/figures/ (the paper's five figures of all variants) and"
                + " OUT/plots/*.png: one row per model"
                + " variant (a model, with or without test-time adaptation, and the options its runs differ in"
                + " apart from the seed), its seeds pooled (bootstrap intervals) and as mean +- sd across seeds,"
                + " overall and per unseen center.",
            "Works on a sweep that is still running: it reports what is finished and lists what is missing.",
            "On the directory of dgq reproduce it rewrites that reproduction's own report page at its top."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:internal error", "2:bad directory, or no finished run yet"})
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "A sweep directory, or run directories.")
    List<Path> inputs;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output directory (default: SWEEP_DIR/report for one sweep directory; required otherwise).")
    Path out;

    @Option(names = "--resamples", paramLabel = "N", defaultValue = EvaluationOptions.DEFAULT_RESAMPLES_TEXT,
            description = "Bootstrap resamples of the pooled intervals (default: ${DEFAULT-VALUE}).")
    int resamples;

    @Override
    public Integer call() {
        return Commands.run(() -> {
            EvaluationOptions evaluation = Commands.evaluation(resamples);
            for (Path p : inputs) {
                if (!java.nio.file.Files.isDirectory(p)) {
                    throw new TrainerException(p + ": does not exist (expected a sweep or run directory)");
                }
                if (!SweepDir.isSweep(p) && !java.nio.file.Files.isRegularFile(p.resolve("config.json"))) {
                    throw new TrainerException(p + ": neither a sweep directory (sweep.json) nor a run directory"
                            + " (config.json)");
                }
            }
            if (inputs.size() == 1 && out == null && Reproduction.isReproduction(inputs.get(0))) {
                // A reproduction's own report page, at the top of its directory (what dgq reproduce writes).
                ReproduceReport.Written w = ReproduceReport.write(inputs.get(0), evaluation,
                        "dgq " + String.join(" ", spec.commandLine().getParseResult().originalArgs()),
                        new Main.Version().getVersion()[0]);
                spec.commandLine().getOut().println("wrote " + w.files().stream().map(Path::toString)
                        .collect(java.util.stream.Collectors.joining(", ")) + " (" + w.finished() + " of " + w.runs()
                        + " runs)");
                return 0;
            }
            Path target = out != null ? out : SweepReport.defaultOut(inputs);
            if (target == null) {
                throw new TrainerException("--out: required when the inputs are not one sweep directory ("
                        + inputs.get(0) + " has no sweep.json)");
            }
            SweepReport.Written w = SweepReport.write(inputs, target, evaluation);
            var o = spec.commandLine().getOut();
            o.print(w.summary());
            o.println("wrote " + target.resolve("metrics.json") + ", " + target.resolve(SweepReport.MARKDOWN)
                    + ", " + target.resolve("plots"));
            return 0;
        });
    }
}
