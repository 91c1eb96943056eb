package org.dgquantum.sweeps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.dgquantum.engine.UserError;
import org.dgquantum.engine.io.AtomicFiles;
import org.dgquantum.eval.Prediction;
import org.dgquantum.eval.PredictionsCsv;
import org.dgquantum.trainer.runs.RunService;
import org.dgquantum.trainer.train.Progress;
import org.dgquantum.trainer.train.RunFiles;
import org.dgquantum.trainer.train.TrainConfig;
import org.dgquantum.trainer.train.Trainer;
import org.dgquantum.trainer.train.TrainerException;

/**
 * One run of a sweep, the same code path for a local worker and a Slurm array task ({@code dgq sweep task
 * SWEEP_DIR INDEX}): skip it when done; otherwise train it through the run service (which continues an
 * interrupted run from its last checkpoint), predict the unseen centers without and with test-time adaptation
 * (predictions.csv, what {@code dgq report} reads), and write the {@code done} marker last. A failure writes
 * error.txt and is rethrown.
 */
public final class SweepTask {
    /**
     * For the tests: "INDEX:EPOCH" makes run INDEX stop after that epoch (its checkpoint written) and wait to be
     * killed, so a test can kill a worker at a known point.
     */
    public static final String HANG_ENV = "DGQ_SWEEP_TEST_HANG";
    /** Set by the local executor: a worker whose sweep process is gone stops (nothing is left running). */
    public static final String PARENT_ENV = "DGQ_SWEEP_PARENT_PID";

    private SweepTask() {
    }

    /** The outcome: whether it trained now (false: it was already done). */
    public record Outcome(boolean trained, String directory, Path runDir) {
    }

    /** Runs task {@code index} of the sweep in {@code dir}. */
    public static Outcome run(Path dir, int index) {
        SweepDir sweep = SweepDir.open(dir, "SWEEP_DIR");
        if (index < 0 || index >= sweep.runs().size()) {
            throw new TrainerException("INDEX " + index + ": expected 0.." + (sweep.runs().size() - 1) + " (the runs of "
                    + sweep.dir().resolve(SweepDir.SWEEP_JSON) + ")");
        }
        SweepPlan.Run r = sweep.runs().get(index);
        Path runDir = sweep.runDir(r);
        if (sweep.state(r) == SweepDir.State.DONE) {
            System.err.println(r.directory() + ": already done");
            return new Outcome(false, r.directory(), runDir);
        }
        watchParent();
        long start = System.nanoTime();
        double jvmSeconds = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
        try {
            // A new attempt: the last one's error no longer holds (and an empty run directory is a new run).
            Files.deleteIfExists(sweep.error(r));
            TrainConfig c = r.config();
            System.err.println(r.directory() + ": run " + index + " of " + sweep.dir() + " on "
                    + InetAddress.getLocalHost().getHostName() + " (pid " + ProcessHandle.current().pid() + "), " + Trainer.threads() + " ND4J threads, "
                    + Runtime.getRuntime().availableProcessors() + " processors");
            Trainer.Result res = hangEpoch(index) > 0
                    ? RunService.trainUntil(c, runDir, Progress.stderr(c.name()), hangEpoch(index))
                    : RunService.train(c, runDir, Progress.stderr(c.name()));
            if (hangEpoch(index) > 0) {
                System.err.println(r.directory() + ": stopped after epoch " + hangEpoch(index) + " (" + HANG_ENV
                        + "), waiting to be killed");
                Thread.sleep(Long.MAX_VALUE);
            }
            List<Prediction> preds = RunService.predictUnseen(c, res);
            PredictionsCsv.write(runDir.resolve(PredictionsCsv.FILE_NAME), preds);
            ObjectNode done = SweepDir.JSON.createObjectNode();
            done.put("index", index);
            done.put("finished", Instant.now().toString());
            done.put("seconds", (System.nanoTime() - start) / 1e9);
            done.put("jvmStartSeconds", jvmSeconds);
            done.put("epochs", res.state().epochsDone());
            done.put("bestEpoch", res.state().bestEpoch());
            done.put("predictions", preds.size());
            AtomicFiles.write(sweep.done(r), out -> SweepDir.JSON.writeValue(out, done));
            System.err.println(r.directory() + ": done");
            return new Outcome(true, r.directory(), runDir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IOException e) {
            RuntimeException err = new TrainerException(runDir + ": cannot write: " + RunFiles.oneLine(e));
            recordError(sweep, r, err);
            throw err;
        } catch (RuntimeException | Error e) {
            recordError(sweep, r, e);
            throw e;
        }
    }

    /** error.txt: the one-line message first (what status and the executors show), then a stack trace for bugs. */
    static void recordError(SweepDir sweep, SweepPlan.Run r, Throwable e) {
        StringWriter text = new StringWriter();
        text.append(e instanceof UserError ? RunFiles.oneLine(e) : "internal error: " + RunFiles.oneLine(e)).append('\n');
        if (!(e instanceof UserError)) {
            e.printStackTrace(new PrintWriter(text));
        }
        try {
            AtomicFiles.write(sweep.error(r), text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException io) {
            System.err.println(sweep.error(r) + ": cannot write: " + io.getMessage());
        }
    }

    private static int hangEpoch(int index) {
        String v = System.getenv(HANG_ENV);
        if (v == null || !v.startsWith(index + ":")) {
            return 0;
        }
        return Integer.parseInt(v.substring(v.indexOf(':') + 1));
    }

    /** Halts this JVM when the local sweep that started it is gone (killed, or stopped without cleanup). */
    private static void watchParent() {
        String pid = System.getenv(PARENT_ENV);
        if (pid == null || pid.isBlank()) {
            return;
        }
        var parent = ProcessHandle.of(Long.parseLong(pid.strip()));
        Thread t = new Thread(() -> {
            while (parent.map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            // Checkpoints and markers are atomic: halting mid-epoch loses only that epoch.
            System.err.println("sweep process " + pid + " is gone: stopping");
            Runtime.getRuntime().halt(143);
        }, "sweep-parent-watch");
        t.setDaemon(true);
        t.start();
    }
}
