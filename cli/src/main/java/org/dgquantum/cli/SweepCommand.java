package org.dgquantum.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.dgquantum.sweeps.LocalExecutor;
import org.dgquantum.sweeps.SlurmExecutor;
import org.dgquantum.sweeps.SweepDir;
import org.dgquantum.sweeps.SweepPlan;
import org.dgquantum.sweeps.SweepTask;
import org.dgquantum.trainer.train.TrainerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dgq sweep}: many training runs from one spec (docs/sweeps.md): {@code plan} lists them, {@code run} runs
 * them in local worker processes, {@code submit} as a Slurm job array, {@code status} shows where they stand;
 * {@code task} (hidden) is one run, what every worker and array task executes.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Many training runs from one spec (base options, axes of values, extra runs).",
        subcommands = {SweepCommand.Plan.class, SweepCommand.Run.class, SweepCommand.Submit.class,
            SweepCommand.Status.class, SweepCommand.Task.class})
public final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Exit status of a sweep with failed runs: this plus their number (at most {@link #MAX_EXIT}). */
    static final int FAILED_EXIT_BASE = 10;
    static final int MAX_EXIT = 125;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** {@code dgq sweep plan SPEC}: the runs a spec expands to and their directories; runs nothing. */
    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = {"Expands a sweep spec (YAML or JSON) into its runs and prints each run's directory (a"
                    + " readable prefix and a hash of its whole configuration) and the options it varies. Every run is"
                    + " validated; nothing is run or written.",
                "Spec: base: {option: value, ...}, axes: {option: [values], ...} (every combination), runs: [{option:"
                        + " value, ...}, ...] (more runs). Options are those of dgq train without the dashes (model,"
                        + " seed, qubits, layers, image-size, ...). Example: examples/sweeps/tiny.yaml."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:success", "1:internal error", "2:bad spec"})
    static final class Plan implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "SPEC", description = "The sweep spec (.yaml, .yml or .json).")
        Path file;

        @Override
        public Integer call() {
            SweepPlan plan = Commands.run(() -> SweepPlan.read(file));
            var out = spec.commandLine().getOut();
            out.println(plan.runs().size() + " runs from " + file + ":");
            for (SweepPlan.Run r : plan.runs()) {
                out.println(String.format("%4d  %-48s %s", r.index(), r.directory(), describe(r.options())));
            }
            return 0;
        }
    }

    static String describe(Map<String, String> options) {
        return options.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    /** {@code dgq sweep run SPEC --out SWEEP_DIR --workers N}: the local executor. */
    @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Runs a sweep's runs on this machine in N worker processes (one JVM per run, each with"
                    + " cores/N ND4J, OpenMP and quantum threads) and shows one progress line per change (done,"
                    + " running, failed, ETA). A failed run is recorded in its error.txt and the others go on.",
                "Running the same command again skips the runs marked done and continues interrupted ones from their"
                        + " last checkpoint. Layout: SWEEP_DIR/sweep.json, runs/<run>/ (with predictions.csv and"
                        + " done when finished), logs/<run>.log. Aggregate with dgq report SWEEP_DIR."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:every run done", "1:internal error", "2:bad spec, option or directory",
                "11..125:10 + the number of failed runs (125: 115 or more)"})
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "SPEC", description = "The sweep spec (.yaml, .yml or .json).")
        Path file;

        @Option(names = "--out", required = true, paramLabel = "SWEEP_DIR",
                description = "Sweep directory: a new one, or one holding the same sweep (which continues).")
        Path out;

        @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
                description = "Runs at a time, each in its own process (default: ${DEFAULT-VALUE}).")
        int workers;

        @Override
        public Integer call() {
            return Commands.run(() -> {
                return runLocally(SweepPlan.read(file), out, workers, spec.commandLine().getOut());
            });
        }
    }

    /**
     * Runs a sweep's unfinished runs in local workers, printing progress to {@code o}; returns the exit status (0,
     * or {@link #FAILED_EXIT_BASE} plus the failed runs).
     */
    static int runLocally(SweepPlan plan, Path out, int workers, PrintWriter o) {
        if (workers < 1 || workers > 1024) {
            throw new TrainerException("--workers " + workers + ": expected 1..1024");
        }
        SweepDir sweep = SweepDir.create(out, plan, "--out");
        int threads = LocalExecutor.threadsPerWorker(workers);
        long t0 = System.nanoTime();
        LocalExecutor.Summary s = new LocalExecutor(sweep, workers, o).run(index -> {
            List<String> cmd = new ArrayList<>(Workers.java(Integer.toString(threads)));
            cmd.addAll(List.of("sweep", "task", "--threads", Integer.toString(threads),
                    sweep.dir().toString(), Integer.toString(index)));
            return cmd;
        });
        o.println(String.format(Locale.ROOT, "sweep %s: %d of %d runs done (%d now, %d before), %d failed,"
                + " %.1f s", sweep.dir(), s.doneBefore() + s.doneNow(), s.runs(), s.doneNow(),
                s.doneBefore(), s.failed().size(), (System.nanoTime() - t0) / 1e9));
        if (!s.failed().isEmpty()) {
            o.println("failed: " + String.join(", ", s.failed()) + " (see runs/<run>/error.txt; run the"
                    + " same command again to retry them)");
            return Math.min(MAX_EXIT, FAILED_EXIT_BASE + s.failed().size());
        }
        return 0;
    }

    /** {@code dgq sweep task SWEEP_DIR INDEX}: one run of a sweep, as a worker or a Slurm array task runs it. */
    @Command(name = "task", hidden = true, mixinStandardHelpOptions = true,
            description = "Runs run INDEX of the sweep in SWEEP_DIR (what local workers and Slurm array tasks"
                    + " execute): skipped when done, continued from its checkpoint when started.")
    static final class Task implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "SWEEP_DIR")
        Path dir;

        @Parameters(index = "1", paramLabel = "INDEX")
        int index;

        @Option(names = "--threads", paramLabel = "N", description = "ND4J threads.")
        Integer threads;

        @Override
        public Integer call() {
            return Commands.run(() -> {
                Commands.threads(threads);
                SweepTask.run(dir, index);
                return 0;
            });
        }
    }

    /** {@code dgq sweep submit}: the Slurm executor. */
    @Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Submits a sweep's unfinished runs to Slurm as one job array (one task per run, --requeue,"
                    + " a log per task under SWEEP_DIR/logs) and records the job id in SWEEP_DIR/slurm/jobs.txt."
                    + " Each task runs its run like a local worker: skipped when done, continued from its last"
                    + " checkpoint when requeued or resubmitted.",
                "Submitting again sends only the runs that are neither done nor still queued or running."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:submitted (or nothing left to submit)", "1:internal error",
                "2:bad spec, option or directory, or sbatch refused the job"})
    static final class Submit implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "SPEC", description = "The sweep spec (.yaml, .yml or .json).")
        Path file;

        @Option(names = "--out", required = true, paramLabel = "SWEEP_DIR", description = "Sweep directory.")
        Path out;

        @Option(names = "--executor", paramLabel = "slurm", defaultValue = "slurm",
                description = "Where to run: slurm (default; for this machine use dgq sweep run).")
        String executor;

        @Mixin
        SlurmOptions slurm;

        @Option(names = "--dry-run", description = "Print the sbatch script; submit and write nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            return Commands.run(() -> {
                if (!executor.equals("slurm")) {
                    throw new TrainerException("--executor " + executor + ": expected slurm (for this machine: dgq"
                            + " sweep run)");
                }
                return submit(SweepPlan.read(file), out, slurm.toOptions(), dryRun, spec.commandLine().getOut());
            });
        }
    }

    /** Submits a sweep's unfinished runs as a Slurm job array, or prints the script ({@code dryRun}). */
    static int submit(SweepPlan plan, Path out, SlurmExecutor.Options o, boolean dryRun, PrintWriter w) {
        SweepDir.check(out, plan, "--out");
        List<String> java = Workers.java("${threads}");
        if (dryRun) {
            Path abs = out.toAbsolutePath().normalize();
            List<Integer> todo = Files.isDirectory(abs) && SweepDir.isSweep(abs)
                    ? SweepDir.open(abs, "--out").unfinished().stream().map(SweepPlan.Run::index).toList()
                    : plan.runs().stream().map(SweepPlan.Run::index).toList();
            w.print(SlurmExecutor.script(abs, todo, o, java));
            return 0;
        }
        w.println(SlurmExecutor.submit(out, plan, o, java).message());
        return 0;
    }

    /** {@code dgq sweep status SWEEP_DIR}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Where each run of a sweep stands: done, failed (with its error), started (its last"
                    + " epoch), pending; running or queued from squeue/sacct for submitted sweeps, where available.",
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:every run done", "1:internal error", "2:bad directory", "3:runs not done yet"})
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "SWEEP_DIR")
        Path dir;

        @Override
        public Integer call() {
            return Commands.run(() -> {
                SweepDir sweep = SweepDir.open(dir, "SWEEP_DIR");
                SlurmExecutor.StatusReport r = SlurmExecutor.status(sweep);
                spec.commandLine().getOut().print(r.text());
                return r.allDone() ? 0 : 3;
            });
        }
    }

    /** The command line of a worker: this JVM (same java, flags and classpath) running dgq's main class. */
    static final class Workers {
        private Workers() {
        }

        /**
         * {@code java FLAGS -XX:ActiveProcessorCount=THREADS -cp CLASSPATH org.dgquantum.cli.Main}; THREADS bounds
         * the quantum backend's threads (it sizes its pool from the processor count); {@code threads} may be a
         * shell variable for a script.
         */
        static List<String> java(String threads) {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                // A debugger's port would clash; the processor count is set per worker.
                if (!a.startsWith("-agentlib:jdwp") && !a.startsWith("-Xrunjdwp")
                        && !a.startsWith("-XX:ActiveProcessorCount=")) {
                    cmd.add(a);
                }
            }
            cmd.add("-XX:ActiveProcessorCount=" + threads);
            cmd.add("-cp");
            cmd.add(absoluteClassPath());
            cmd.add(Main.class.getName());
            return cmd;
        }

        private static String absoluteClassPath() {
            String sep = System.getProperty("path.separator");
            List<String> parts = new ArrayList<>();
            for (String p : System.getProperty("java.class.path").split(java.util.regex.Pattern.quote(sep))) {
                if (!p.isEmpty()) {
                    parts.add(Path.of(p).toAbsolutePath().normalize().toString());
                }
            }
            return String.join(sep, parts);
        }
    }
}
