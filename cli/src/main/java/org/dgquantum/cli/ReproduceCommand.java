package org.dgquantum.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import org.dgquantum.data.DataBundle;
import java.util.concurrent.Callable;
import org.dgquantum.eval.EvaluationOptions;
import org.dgquantum.sweeps.ReproduceReport;
import org.dgquantum.sweeps.Reproduction;
import org.dgquantum.sweeps.SweepDir;
import org.dgquantum.sweeps.SweepPlan;
import org.dgquantum.trainer.runs.RunService;
import org.dgquantum.trainer.train.TrainerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dgq reproduce}: the paper's experiment in one command (docs/reproduce.md): the built-in sweep of
 * {@link Reproduction} run locally or on Slurm, then {@link ReproduceReport}'s page at the top of the output
 * directory.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reproduces the paper's experiment: trains DG-Quantum, ResNet18, MobileNetV2, EfficientNet-B0"
                + " and SimpleCNN on the training centers, DG-Quantum's ablations (without imaging-shift simulation,"
                + " domain head, quantum layer, test-time adaptation) and a classical control (the circuit replaced"
                + " by a classical layer of the same parameter count), over seeds; evaluates them on the unseen"
                + " centers and writes report.md, report.html, predictions.csv, metrics.json and figures/ at the top"
                + " of OUT, with a verdict computed from the numbers.",
            "It is a sweep (docs/sweeps.md): the same command again skips finished runs and continues interrupted"
                    + " ones; with --executor slurm it submits what is left, and writes the report once all is done."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every run done and the report written (or, with slurm, submitted)", "1:internal error",
            "2:bad option, data or directory", "11..125:10 + the number of failed runs (the report covers the others)"})
public final class ReproduceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "OUT", description = "Output directory (a sweep directory; required unless"
            + " --print-spec).")
    Path out;

    @Option(names = "--data", paramLabel = "SPEC", description = "Data source (default: synthetic): synthetic | mri |"
            + " folder:DIR | npz:FILE | dicom:DIR.")
    String data;

    @Option(names = "--test-centers", paramLabel = "A,B", split = ",",
            description = "Centers held out as unseen (default: the source's own split, see data/README.md).")
    List<String> testCenters;

    @Option(names = "--leave-one-center-out",
            description = "DomainBed's protocol: one run group per center of the data, holding that center out (every"
                    + " model trained on the others); the report pools the groups, so each center is predicted by the"
                    + " models that did not see it.")
    boolean leaveOneCenterOut;

    @Option(names = "--seeds", paramLabel = "S,S", split = ",",
            description = "Seeds (default: 1,2,3; with --quick 1,2).")
    List<Long> seeds;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs of every run (default: dgq train's, 5; with --quick 1).")
    Integer epochs;

    @Option(names = "--quick", description = "A smoke run: 16 px images, narrow encoders, 4 qubits, one epoch, a few"
            + " images per class; minutes, not hours. Its numbers mean nothing.")
    boolean quick;

    @Option(names = "--executor", paramLabel = "local|slurm", defaultValue = "local",
            description = "Where the runs go: local worker processes or a Slurm job array (default: ${DEFAULT-VALUE}).")
    String executor;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
            description = "Local runs at a time, each in its own process (default: ${DEFAULT-VALUE}).")
    int workers;

    @Mixin
    SlurmOptions slurm;

    @Option(names = "--dry-run", description = "With slurm: print the sbatch script; submit and write nothing.")
    boolean dryRun;

    @Option(names = "--resamples", paramLabel = "N", defaultValue = EvaluationOptions.DEFAULT_RESAMPLES_TEXT,
            description = "Bootstrap resamples of every interval and paired test (default: ${DEFAULT-VALUE}, the"
                    + " paper's).")
    int resamples;

    @Option(names = "--print-spec", description = "Print the built-in sweep spec and exit (edit a copy and run it"
            + " with dgq sweep run to change the experiment).")
    boolean printSpec;

    @Override
    public Integer call() {
        return Commands.run(() -> {
            var o = spec.commandLine().getOut();
            if (printSpec) {
                o.print(Reproduction.specText());
                return 0;
            }
            if (out == null) {
                throw new TrainerException("--out: missing (expected the output directory)");
            }
            if (!executor.equals("local") && !executor.equals("slurm")) {
                throw new TrainerException("--executor " + executor + ": expected local or slurm");
            }
            EvaluationOptions evaluation = Commands.evaluation(resamples);
            if (leaveOneCenterOut && testCenters != null && !testCenters.isEmpty()) {
                throw new TrainerException("--leave-one-center-out: not with --test-centers (it holds out every center"
                        + " in turn)");
            }
            Reproduction.Choice choice = new Reproduction.Choice(data, seeds, testCenters, quick, List.of(), epochs);
            if (leaveOneCenterOut) {
                DataBundle d = RunService.loadData(Reproduction.plan(choice).runs().get(0).config());
                LinkedHashSet<String> centers = new LinkedHashSet<>(d.source().domainNames());
                centers.addAll(d.target().domainNames());
                choice = new Reproduction.Choice(data, seeds, List.of(), quick, List.copyOf(centers), epochs);
            }
            SweepPlan plan = Reproduction.plan(choice);
            // The data and the chosen centers are checked once here (each held-out group), not in every run.
            plan.runs().stream().map(r -> r.config().testCenters()).distinct().forEach(held ->
                    RunService.loadData(plan.runs().stream().filter(r -> r.config().testCenters().equals(held))
                            .findFirst().orElseThrow().config()));
            String command = "dgq " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
            int status;
            if (executor.equals("slurm")) {
                Path abs = out.toAbsolutePath().normalize();
                boolean allDone = Files.isDirectory(abs) && SweepDir.isSweep(abs)
                        && SweepDir.open(abs, "--out").unfinished().isEmpty();
                if (!allDone) {
                    SweepCommand.submit(plan, out, slurm.toOptions(), dryRun, o);
                    if (!dryRun) {
                        o.println("when the jobs are done, run the same command again to write the report (progress:"
                                + " dgq sweep status " + out + ")");
                    }
                    return 0;
                }
                status = 0;
            } else {
                status = SweepCommand.runLocally(plan, out, workers, o);
            }
            ReproduceReport.Written w = ReproduceReport.write(out, evaluation, command,
                    new Main.Version().getVersion()[0]);
            o.println("verdict:");
            w.verdict().forEach(line -> o.println("  " + line.replace("**", "")));
            o.println("wrote " + w.dir().resolve(ReproduceReport.HTML) + ", " + ReproduceReport.MARKDOWN + ", "
                    + "predictions.csv, metrics.json, " + ReproduceReport.FIGURES + "/ (" + w.finished() + " of "
                    + w.runs() + " runs)");
            return status;
        });
    }
}
