package org.dgquantum.sweeps;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import org.dgquantum.engine.io.AtomicFiles;
import org.dgquantum.trainer.train.TrainerException;

/**
 * Runs a sweep's unfinished runs in up to N worker processes at a time, one process per run ({@code dgq sweep task
 * SWEEP_DIR INDEX}, started by the caller's command line), each with its share of the cores. A failed run is
 * recorded (error.txt, by the task or here when the worker died) and the others go on. One progress line per
 * change on {@code out}: done / running / failed, and an ETA from the runs finished so far.
 */
public final class LocalExecutor {
    /** The result of a launch. */
    public record Summary(int runs, int doneBefore, int doneNow, List<String> failed) {
    }

    private final SweepDir sweep;
    private final int workers;
    private final PrintWriter out;

    public LocalExecutor(SweepDir sweep, int workers, PrintWriter out) {
        this.sweep = sweep;
        this.workers = workers;
        this.out = out;
    }

    /** Threads per worker: the cores shared evenly, at least one. */
    public static int threadsPerWorker(int workers) {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
    }

    /**
     * Runs every unfinished run; {@code command} gives a worker's command line for a run index (the same JVM and
     * flags as this one, with {@link #threadsPerWorker} threads). Returns when all have finished or failed.
     */
    public Summary run(IntFunction<List<String>> command) {
        List<SweepPlan.Run> todo = sweep.unfinished();
        int doneBefore = sweep.runs().size() - todo.size();
        Deque<SweepPlan.Run> queue = new ArrayDeque<>(todo);
        Map<SweepPlan.Run, Process> running = new LinkedHashMap<>();
        Map<SweepPlan.Run, Long> startedAt = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        List<Double> durations = new ArrayList<>();
        int threads = threadsPerWorker(workers);
        out.println(String.format(Locale.ROOT, "sweep %s: %d runs, %d done before, %d to run in %d workers"
                + " (%d threads each); logs in %s", sweep.dir(), sweep.runs().size(), doneBefore, todo.size(),
                workers, threads, sweep.dir().resolve(SweepDir.LOGS)));
        // A stopped sweep (Ctrl-C, kill) stops its workers; their runs continue on the next launch.
        Thread hook = new Thread(() -> running.values().forEach(Process::destroy), "sweep-workers-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        int doneNow = 0;
        try {
            while (!queue.isEmpty() || !running.isEmpty()) {
                boolean changed = false;
                for (var it = running.entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    if (e.getValue().isAlive()) {
                        continue;
                    }
                    it.remove();
                    changed = true;
                    SweepPlan.Run r = e.getKey();
                    int exit = e.getValue().exitValue();
                    durations.add((System.nanoTime() - startedAt.get(r)) / 1e9);
                    if (exit == 0 && sweep.state(r) == SweepDir.State.DONE) {
                        doneNow++;
                    } else {
                        if (sweep.state(r) != SweepDir.State.FAILED) {
                            recordDeath(r, exit);
                        }
                        failed.add(r.directory());
                        out.println("  failed: " + r.directory() + ": " + sweep.errorLine(r) + " (log: "
                                + sweep.log(r) + ")");
                    }
                }
                // Finished workers first, then new ones: one progress line per change.
                while (running.size() < workers && !queue.isEmpty()) {
                    SweepPlan.Run r = queue.poll();
                    running.put(r, start(r, command.apply(r.index())));
                    startedAt.put(r, System.nanoTime());
                    changed = true;
                }
                if (changed) {
                    progress(doneBefore + doneNow, running.size(), failed.size(), queue.size(), durations);
                }
                if (!running.isEmpty()) {
                    Thread.sleep(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.values().forEach(Process::destroy);
            throw new IllegalStateException("interrupted", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs now
            }
        }
        return new Summary(sweep.runs().size(), doneBefore, doneNow, failed);
    }

    private Process start(SweepPlan.Run r, List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        int threads = threadsPerWorker(workers);
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().put(SweepTask.PARENT_ENV, Long.toString(ProcessHandle.current().pid()));
        pb.redirectErrorStream(true);
        pb.redirectOutput(Redirect.appendTo(sweep.log(r).toFile()));
        pb.redirectInput(Redirect.from(new java.io.File("/dev/null")));
        try {
            Files.createDirectories(sweep.log(r).getParent());
            return pb.start();
        } catch (IOException e) {
            throw new TrainerException("cannot start a worker (" + cmd.get(0) + "): " + e.getMessage());
        }
    }

    /** A worker that ended without its own error file (killed, out of memory): say so in error.txt. */
    private void recordDeath(SweepPlan.Run r, int exit) {
        String why = exit > 128 ? "worker killed by signal " + (exit - 128) + " (exit status " + exit + ")"
                : exit == 0 ? "worker exited without writing the done marker" : "worker exited with status " + exit;
        try {
            AtomicFiles.write(sweep.error(r), (why + "; see " + sweep.log(r) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            out.println(sweep.error(r) + ": cannot write: " + e.getMessage());
        }
    }

    private void progress(int done, int running, int failed, int queued, List<Double> durations) {
        int left = running + queued;
        String eta = "";
        if (left > 0 && !durations.isEmpty()) {
            double mean = durations.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            // Whole waves of workers, the running ones counted as half done.
            double seconds = mean * Math.ceil((queued + running / 2.0) / workers);
            eta = String.format(Locale.ROOT, ", ETA %s", duration(seconds));
        }
        out.println(String.format(Locale.ROOT, "[%d/%d] %d done, %d running, %d failed, %d queued%s",
                done + failed, sweep.runs().size(), done, running, failed, queued, eta));
        out.flush();
    }

    static String duration(double s) {
        return s < 90 ? String.format(Locale.ROOT, "%.0f s", s)
                : s < 5400 ? String.format(Locale.ROOT, "%.0f min", s / 60) : String.format(Locale.ROOT, "%.1f h", s / 3600);
    }
}
