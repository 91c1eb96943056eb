package org.dgquantum.sweeps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.dgquantum.engine.io.AtomicFiles;
import org.dgquantum.trainer.train.RunFiles;
import org.dgquantum.trainer.train.TrainerException;

/**
 * The Slurm executor: a sweep's unfinished runs as one job array ({@code sbatch --array=I,J-K%P --requeue}); task
 * {@code SLURM_ARRAY_TASK_ID} is run {@code INDEX} of sweep.json, executed by {@code dgq sweep task} like a local
 * worker. The job ids go to SWEEP_DIR/slurm/jobs.txt; {@link #status} asks squeue (and sacct) about them.
 */
public final class SlurmExecutor {
    /** sbatch options; null: Slurm's default. */
    public record Options(String partition, String time, int cpusPerTask, String mem, Integer gpusPerTask,
                          Integer maxParallel, String account) {
        private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.:,+=@/-]+");

        public Options {
            if (cpusPerTask < 1) {
                throw new TrainerException("--cpus-per-task " + cpusPerTask + ": expected >= 1");
            }
            if (gpusPerTask != null && gpusPerTask < 0) {
                throw new TrainerException("--gpus-per-task " + gpusPerTask + ": expected >= 0");
            }
            if (maxParallel != null && maxParallel < 1) {
                throw new TrainerException("--max-parallel " + maxParallel + ": expected >= 1");
            }
            safe("--partition", partition);
            safe("--time", time);
            safe("--mem", mem);
            safe("--account", account);
        }

        /** Values go into #SBATCH lines: no spaces or shell characters. */
        private static void safe(String option, String v) {
            if (v != null && !SAFE.matcher(v).matches()) {
                throw new TrainerException(option + " " + v + ": expected a Slurm value (letters, digits, and"
                        + " _.:,+=@/-)");
            }
        }
    }

    public record Submitted(String jobId, List<Integer> indices, Path script, String message) {
    }

    private SlurmExecutor() {
    }

    /** "0-3", "1,3,5-7": the indices as sbatch's --array list. */
    static String arrayList(List<Integer> indices) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < indices.size(); ) {
            int j = i;
            while (j + 1 < indices.size() && indices.get(j + 1) == indices.get(j) + 1) {
                j++;
            }
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(indices.get(i));
            if (j > i) {
                b.append('-').append(indices.get(j));
            }
            i = j + 1;
        }
        return b.toString();
    }

    /** The sbatch script of {@code indices}; {@code java} is the worker command with "${threads}" for its threads. */
    public static String script(Path sweepDir, List<Integer> indices, Options o, List<String> java) {
        Path dir = sweepDir.toAbsolutePath().normalize();
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("# dgq sweep submit: ").append(indices.size()).append(" runs of ").append(dir)
                .append(" as a job array; task I runs run I of sweep.json (dgq sweep task).\n");
        s.append("#SBATCH --job-name=dgq-sweep-").append(dir.getFileName().toString().replaceAll("[^A-Za-z0-9_.-]", "_"))
                .append('\n');
        s.append("#SBATCH --array=").append(arrayList(indices))
                .append(o.maxParallel() != null ? "%" + o.maxParallel() : "").append('\n');
        // A pre-empted or failed node's task goes back to the queue; it continues from its last checkpoint.
        s.append("#SBATCH --requeue\n");
        s.append("#SBATCH --output=").append(dir.resolve(SweepDir.LOGS)).append("/slurm-%A_%a.out\n");
        s.append("#SBATCH --cpus-per-task=").append(o.cpusPerTask()).append('\n');
        line(s, "--partition", o.partition());
        line(s, "--time", o.time());
        line(s, "--mem", o.mem());
        line(s, "--gpus-per-task", o.gpusPerTask() == null ? null : o.gpusPerTask().toString());
        line(s, "--account", o.account());
        s.append("set -eu\n");
        s.append("# One thread setting per task: ND4J, OpenMP and the quantum backend use the task's cores.\n");
        s.append("threads=\"${SLURM_CPUS_PER_TASK:-").append(o.cpusPerTask()).append("}\"\n");
        s.append("export OMP_NUM_THREADS=\"$threads\" OMP_WAIT_POLICY=\"${OMP_WAIT_POLICY:-PASSIVE}\"\n");
        s.append("exec");
        for (String a : java) {
            s.append(' ').append(a.contains("${threads}") ? "\"" + a.replace("\"", "\\\"") + "\"" : quote(a));
        }
        s.append(" sweep task --threads \"$threads\" ").append(quote(dir.toString()))
                .append(" \"$SLURM_ARRAY_TASK_ID\"\n");
        return s.toString();
    }

    private static void line(StringBuilder s, String option, String value) {
        if (value != null) {
            s.append("#SBATCH ").append(option).append('=').append(value).append('\n');
        }
    }

    static String quote(String a) {
        return a.matches("[A-Za-z0-9_./=:,+@%-]+") ? a : "'" + a.replace("'", "'\\''") + "'";
    }

    /**
     * Submits the runs of {@code plan} that are neither done nor queued/running in a job recorded in
     * {@code sweepDir}. Checks that sbatch exists before writing anything; a refused submission leaves the
     * directory as it was.
     */
    public static Submitted submit(Path sweepDir, SweepPlan plan, Options o, List<String> java) {
        Path abs = sweepDir.toAbsolutePath().normalize();
        if (!onPath("sbatch")) {
            throw new TrainerException("sbatch: not found on PATH (expected Slurm's client; on a workstation try"
                    + " bin/slurm-local start, or --dry-run to see the script)");
        }
        boolean existed = Files.exists(abs);
        SweepDir sweep = SweepDir.create(abs, plan, "--out");
        Map<Integer, String> active = activeTasks(sweep);
        List<Integer> todo = sweep.unfinished().stream().map(SweepPlan.Run::index)
                .filter(i -> !active.containsKey(i)).toList();
        if (todo.isEmpty()) {
            int done = plan.runs().size() - sweep.unfinished().size();
            return new Submitted(null, todo, null, "sweep " + abs + ": nothing to submit (" + done + " of "
                    + plan.runs().size() + " runs done, " + active.size() + " queued or running)");
        }
        Path slurm = abs.resolve(SweepDir.SLURM);
        Path script = slurm.resolve("submit-" + Instant.now().toString().replaceAll("[^0-9TZ]", "") + ".sbatch");
        try {
            AtomicFiles.write(script, script(abs, todo, o, java).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TrainerException("--out " + sweepDir + ": cannot write: " + RunFiles.oneLine(e));
        }
        Result r = exec(List.of("sbatch", "--parsable", script.toString()), 60);
        if (r.exit != 0 || !r.out.strip().matches("[0-9]+(;.*)?")) {
            // Nothing submitted: leave the directory as it was.
            try {
                Files.deleteIfExists(script);
                if (!existed) {
                    deleteTree(abs);
                }
            } catch (IOException ignored) {
                // best effort
            }
            throw new TrainerException("sbatch refused the job array: " + RunFiles.oneLine(new RuntimeException(
                    (r.out + " " + r.err).strip())));
        }
        String job = r.out.strip().split(";")[0];
        Path jobs = slurm.resolve("jobs.txt");
        try {
            String before = Files.isRegularFile(jobs) ? Files.readString(jobs) : "";
            AtomicFiles.writeString(jobs, before + job + " " + arrayList(todo) + " " + script.getFileName() + "\n");
        } catch (IOException e) {
            throw new TrainerException(jobs + ": cannot write (job " + job + " was submitted): " + RunFiles.oneLine(e));
        }
        return new Submitted(job, todo, script, String.format(Locale.ROOT, "sweep %s: submitted job %s, %d tasks"
                + " (--array=%s%s); logs in %s; follow with: dgq sweep status %s", abs, job, todo.size(),
                arrayList(todo), o.maxParallel() == null ? "" : "%" + o.maxParallel(), abs.resolve(SweepDir.LOGS), abs));
    }

    /** The recorded job ids (SWEEP_DIR/slurm/jobs.txt), oldest first. */
    public static List<String> jobs(SweepDir sweep) {
        Path jobs = sweep.dir().resolve(SweepDir.SLURM).resolve("jobs.txt");
        if (!Files.isRegularFile(jobs)) {
            return List.of();
        }
        try {
            return Files.readAllLines(jobs).stream().filter(l -> !l.isBlank()).map(l -> l.split(" ")[0]).toList();
        } catch (IOException e) {
            throw new TrainerException(jobs + ": cannot read: " + RunFiles.oneLine(e));
        }
    }

    /** Array tasks of the recorded jobs that squeue lists (queued, running, ...): run index to state. */
    static Map<Integer, String> activeTasks(SweepDir sweep) {
        Map<Integer, String> m = new LinkedHashMap<>();
        List<String> ids = jobs(sweep);
        if (ids.isEmpty() || !onPath("squeue")) {
            return m;
        }
        // -r: one line per array task, also for pending ones.
        Result r = exec(List.of("squeue", "-h", "-r", "-j", String.join(",", ids), "-o", "%i|%T"), 30);
        if (r.exit != 0) {
            return m;
        }
        for (String l : r.out.split("\n")) {
            String[] f = l.strip().split("\\|");
            // JOB_INDEX|STATE; %A|%a would print "(null)" for the index of a pending task.
            if (f.length == 2 && f[0].matches("[0-9]+_[0-9]+")) {
                m.put(Integer.parseInt(f[0].substring(f[0].indexOf('_') + 1)), f[1]);
            }
        }
        return m;
    }

    /** Final states of the recorded jobs' tasks from sacct, where accounting is available: run index to state. */
    static Map<Integer, String> accounted(SweepDir sweep) {
        Map<Integer, String> m = new LinkedHashMap<>();
        List<String> ids = jobs(sweep);
        if (ids.isEmpty() || !onPath("sacct")) {
            return m;
        }
        Result r = exec(List.of("sacct", "-n", "-P", "-X", "-j", String.join(",", ids), "--format=JobID,State"), 30);
        if (r.exit != 0) {
            return m;
        }
        for (String l : r.out.split("\n")) {
            String[] f = l.strip().split("\\|");
            if (f.length == 2 && f[0].matches("[0-9]+_[0-9]+")) {
                m.put(Integer.parseInt(f[0].substring(f[0].indexOf('_') + 1)), f[1].split(" ")[0]);
            }
        }
        return m;
    }

    public record StatusReport(String text, boolean allDone, Map<SweepDir.State, Integer> counts) {
    }

    /** Per-run state from the markers, with squeue's (or sacct's) word for runs of recorded jobs. */
    public static StatusReport status(SweepDir sweep) {
        List<String> ids = jobs(sweep);
        Map<Integer, String> active = activeTasks(sweep);
        Map<Integer, String> accounted = ids.isEmpty() ? Map.of() : accounted(sweep);
        Map<SweepDir.State, Integer> counts = new LinkedHashMap<>();
        StringBuilder b = new StringBuilder();
        int running = 0;
        for (SweepPlan.Run r : sweep.runs()) {
            SweepDir.State st = sweep.state(r);
            counts.merge(st, 1, Integer::sum);
            String slurm = active.containsKey(r.index()) ? active.get(r.index())
                    : st != SweepDir.State.DONE && accounted.containsKey(r.index()) ? accounted.get(r.index()) : null;
            if ("RUNNING".equals(slurm)) {
                running++;
            }
            String detail = switch (st) {
                case DONE -> "";
                case FAILED -> sweep.errorLine(r);
                case STARTED -> sweep.progress(r);
                case PENDING -> "";
            };
            b.append(String.format(Locale.ROOT, "%4d  %-48s %-8s%s%s%n", r.index(), r.directory(),
                    st.name().toLowerCase(Locale.ROOT), slurm == null ? "" : " slurm " + slurm,
                    detail.isEmpty() ? "" : "  " + detail));
        }
        int n = sweep.runs().size();
        String head = String.format(Locale.ROOT, "sweep %s: %d runs: %d done, %d failed, %d started, %d pending%s%s%n",
                sweep.dir(), n, counts.getOrDefault(SweepDir.State.DONE, 0),
                counts.getOrDefault(SweepDir.State.FAILED, 0), counts.getOrDefault(SweepDir.State.STARTED, 0),
                counts.getOrDefault(SweepDir.State.PENDING, 0),
                ids.isEmpty() ? "" : "; Slurm jobs " + String.join(",", ids) + ": " + active.size()
                        + " tasks queued or running (" + running + " running)",
                ids.isEmpty() || onPath("squeue") ? "" : " (squeue not available: states from the markers only)");
        return new StatusReport(head + b, counts.getOrDefault(SweepDir.State.DONE, 0) == n, counts);
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    record Result(int exit, String out, String err) {
    }

    /** Runs a Slurm client command with a time limit; its output read fully (they print little). */
    static Result exec(List<String> cmd, int seconds) {
        try {
            Path errFile = Files.createTempFile("dgq-slurm", ".err");
            try {
                Process p = new ProcessBuilder(cmd).redirectError(errFile.toFile()).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Result(-1, out, cmd.get(0) + " did not answer within " + seconds + " s");
                }
                return new Result(p.exitValue(), out, Files.readString(errFile));
            } finally {
                Files.deleteIfExists(errFile);
            }
        } catch (IOException e) {
            return new Result(-1, "", cmd.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "", "interrupted");
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
