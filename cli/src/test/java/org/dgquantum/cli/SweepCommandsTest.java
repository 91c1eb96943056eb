package org.dgquantum.cli;

import static org.dgquantum.cli.TrainerCommandsTest.assertUserError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ArrayList;
import java.util.stream.Stream;
import org.dgquantum.sweeps.SweepDir;
import org.dgquantum.sweeps.SweepPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dgq sweep run / submit / status / task and dgq report: bad input (one line, exit 2, nothing made), the script. */
class SweepCommandsTest {
    @TempDir
    Path dir;

    static final String TINY = "../examples/sweeps/tiny.yaml";

    private long entries() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.count();
        }
    }

    @Test
    void badInputIsOneLineNamingTheOptionOrFileAndLeavesNothing() throws IOException, InterruptedException {
        String out = dir.resolve("sweep").toString();
        long before = entries();
        assertUserError(CircuitCommandTest.dgq("sweep", "run", TINY, "--out", out, "--workers", "0"),
                "--workers 0: expected 1..1024");
        assertUserError(CircuitCommandTest.dgq("sweep", "run", dir.resolve("nope.yaml").toString(), "--out", out),
                "nope.yaml: no such file");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "axes: {qubits: [4, 0]}\n");
        before = entries();
        assertUserError(CircuitCommandTest.dgq("sweep", "run", bad.toString(), "--out", out),
                "bad.yaml: axes.qubits[1]: 0: expected 1..");
        assertUserError(CircuitCommandTest.dgq("sweep", "submit", TINY, "--out", out, "--max-parallel", "0"),
                "--max-parallel 0: expected >= 1");
        assertUserError(CircuitCommandTest.dgq("sweep", "submit", TINY, "--out", out, "--cpus-per-task", "0"),
                "--cpus-per-task 0: expected >= 1");
        assertUserError(CircuitCommandTest.dgq("sweep", "submit", TINY, "--out", out, "--time", "1 day"),
                "--time 1 day: expected a Slurm value");
        assertUserError(CircuitCommandTest.dgq("sweep", "submit", TINY, "--out", out, "--executor", "local"),
                "--executor local: expected slurm");
        assertUserError(CircuitCommandTest.dgq("sweep", "status", out), "does not exist");
        assertUserError(CircuitCommandTest.dgq("report", out), "does not exist");
        assertEquals(before, entries(), "a refused command created something");

        Path file = Files.writeString(dir.resolve("afile"), "x");
        assertUserError(CircuitCommandTest.dgq("sweep", "run", TINY, "--out", file.toString()), "is a file");
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "mine");
        assertUserError(CircuitCommandTest.dgq("sweep", "run", TINY, "--out", other.toString()),
                "holds other files and no sweep.json");
        assertUserError(CircuitCommandTest.dgq("report", other.toString()), "neither a sweep directory");
        try (Stream<Path> s = Files.list(other)) {
            assertEquals(1, s.count(), "nothing added to a foreign directory");
        }

        // A sweep directory of another spec; a sweep with nothing finished; a task index out of range.
        SweepPlan tiny = SweepPlan.read(Path.of(TINY));
        SweepDir sweep = SweepDir.create(dir.resolve("made"), tiny, "test");
        Path seeds = Files.writeString(dir.resolve("seeds.yaml"), "base: {image-size: 32}\naxes: {seed: [1, 2]}\n");
        assertUserError(CircuitCommandTest.dgq("sweep", "run", seeds.toString(), "--out", sweep.dir().toString()),
                "holds another sweep (4 runs, 0 of them in");
        assertUserError(CircuitCommandTest.dgq("report", sweep.dir().toString()), "no finished run with predictions yet");
        assertFalse(Files.exists(sweep.dir().resolve("report")), "no report directory for a refused report");
        assertUserError(CircuitCommandTest.dgq("sweep", "task", sweep.dir().toString(), "7"), "INDEX 7: expected 0..3");
        assertUserError(CircuitCommandTest.dgq("report", sweep.runDir(tiny.runs().get(0)).toString(),
                sweep.dir().toString()), "does not exist");
        CircuitCommandTest.Run status = CircuitCommandTest.dgq("sweep", "status", sweep.dir().toString());
        assertEquals(3, status.exit(), status.stderr());
        assertTrue(status.stdout().contains("4 runs: 0 done, 0 failed, 0 started, 4 pending"), status.stdout());

        // The same through Main.main in its own JVM: the output must survive System.exit (picocli's writers flush on
        // println only, and status ends with print).
        List<String> cmd = new ArrayList<>(SweepCommand.Workers.java("1"));
        cmd.addAll(List.of("sweep", "status", sweep.dir().toString()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String stdout = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(3, p.waitFor());
        assertTrue(stdout.contains("4 runs: 0 done, 0 failed, 0 started, 4 pending"), "stdout: '" + stdout + "'");
    }

    @Test
    void theDryRunPrintsAJobArrayOfTheUnfinishedRunsAndWritesNothing() throws IOException {
        Path out = dir.resolve("sweep");
        CircuitCommandTest.Run r = CircuitCommandTest.dgq("sweep", "submit", TINY, "--out", out.toString(),
                "--max-parallel", "2", "--cpus-per-task", "3", "--gpus-per-task", "1", "--partition", "gpu",
                "--time", "1:00:00", "--mem", "8G", "--account", "proj1", "--dry-run");
        assertEquals(0, r.exit(), r.stderr());
        String script = r.stdout();
        for (String line : new String[] {"#SBATCH --array=0-3%2", "#SBATCH --requeue", "#SBATCH --cpus-per-task=3",
            "#SBATCH --gpus-per-task=1", "#SBATCH --partition=gpu", "#SBATCH --time=1:00:00", "#SBATCH --mem=8G",
            "#SBATCH --account=proj1", "#SBATCH --output=" + out.toAbsolutePath() + "/logs/slurm-%A_%a.out",
            "threads=\"${SLURM_CPUS_PER_TASK:-3}\"", "\"-XX:ActiveProcessorCount=${threads}\"",
            "org.dgquantum.cli.Main sweep task --threads \"$threads\" " + out.toAbsolutePath()
                    + " \"$SLURM_ARRAY_TASK_ID\""}) {
            assertTrue(script.contains(line), "missing " + line + " in:\n" + script);
        }
        assertFalse(Files.exists(out), "a dry run writes nothing");

        // Runs already done are left out of the array.
        SweepDir sweep = SweepDir.create(out, SweepPlan.read(Path.of(TINY)), "test");
        for (int i : new int[] {0, 2}) {
            Files.createDirectories(sweep.runDir(sweep.runs().get(i)));
            Files.writeString(sweep.done(sweep.runs().get(i)), "{}");
        }
        CircuitCommandTest.Run again = CircuitCommandTest.dgq("sweep", "submit", TINY, "--out", out.toString(),
                "--dry-run");
        assertEquals(0, again.exit(), again.stderr());
        assertTrue(again.stdout().contains("#SBATCH --array=1,3\n"), again.stdout());
    }
}
