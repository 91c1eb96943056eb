package org.dgquantum.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dgquantum.trainer.train.LearningCheck;
import org.dgquantum.trainer.train.PeakMemory;
import org.dgquantum.trainer.train.Progress;
import org.dgquantum.trainer.train.TrainConfig;
import org.dgquantum.trainer.train.TrainState;
import org.dgquantum.trainer.train.Trainer;
import org.dgquantum.trainer.runs.RunService;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dgq train}: trains one model into a run directory, or resumes one. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains DG-Quantum or a baseline on a data source's training centers, selecting the best "
                + "epoch on a held-out part of them; writes RUN_DIR/config.json, checkpoints/ (after every epoch,"
                + " atomically) and best.zip.",
            "Progress goes to stderr; the summary to stdout. An interrupted run continues with --resume RUN_DIR."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:internal error", "2:bad arguments, bad data or run directory"})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }


    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--out", paramLabel = "RUN_DIR", description = "Run directory: a new one, or one holding a run"
                + " of the same options, which continues from its last checkpoint.")
        Path out;

        @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue this run from its last checkpoint"
                + " (its config.json is used; the other options are ignored).")
        Path resume;
    }

    @Mixin
    ModelOptions options;

    @Option(names = "--threads", paramLabel = "N", description = "ND4J threads (default: OMP_NUM_THREADS or the core count).")
    Integer threads;

    @Override
    public Integer call() {
        return Commands.run(this::train);
    }

    private Integer train() {
        Commands.threads(threads);
        Trainer.Result r;
        if (target.resume != null) {
            r = RunService.resume(target.resume, Progress.stderr(RunService.config(target.resume).name()));
        } else {
            TrainConfig c = options.toConfig();
            r = RunService.train(c, target.out, Progress.stderr(c.name()));
        }
        TrainState s = r.state();
        if (s.bestEpoch() <= 0) {
            throw new IllegalStateException("no epoch completed in " + r.files().dir());
        }
        TrainState.EpochRecord best = s.history().get(s.bestEpoch() - 1);
        // The WARNING on stderr (LearningCheck) has the numbers; the summary must not read as a result either.
        String verdict = LearningCheck.of(s).learned() ? "" : "; DID NOT LEARN (see the warning above)";
        out().println(String.format(Locale.ROOT,
                "%s: %d epochs, best epoch %d (validation accuracy %.3f, AUC %.3f [%.3f, %.3f]), peak memory %s;"
                        + " run directory %s%s",
                r.config().name(), s.epochsDone(), s.bestEpoch(), best.validationAccuracy(), best.validationAuc(),
                best.validationAucLower(), best.validationAucUpper(), PeakMemory.describe(PeakMemory.peakRssBytes()),
                r.files().dir(), verdict));
        return 0;
    }
}
