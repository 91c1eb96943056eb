package org.dgquantum.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny sweep as a real Slurm job array (bin/slurm-local gives one on any Debian machine; .ci/run starts it).
 * Without a reachable Slurm it fails under CI=true and is skipped elsewhere, saying why.
 */
class SweepSlurmTest {
    @TempDir
    Path dir;

    /** Why Slurm cannot be used here, or null. */
    static String slurmMissing() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("scontrol", "ping").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || !out.contains("UP")) {
                return "scontrol ping: " + out.replaceAll("\\s+", " ");
            }
            return null;
        } catch (IOException e) {
            return "no Slurm client (scontrol): " + e.getMessage();
        }
    }

    @Test
    void theTinySweepRunsAsAJobArrayThenIsReported() throws Exception {
        String why = slurmMissing();
        if (why != null) {
            String hint = " (start one: bin/slurm-local start, then eval \"$(bin/slurm-local env)\")";
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true but Slurm is not usable: " + why + hint);
            }
            Assumptions.abort("Slurm is not usable here: " + why + hint);
        }
        Path out = dir.resolve("sweep");
        CircuitCommandTest.Run submit = CircuitCommandTest.dgq("sweep", "submit", SweepCommandsTest.TINY, "--out",
                out.toString(), "--max-parallel", "2", "--cpus-per-task", "1");
        assertEquals(0, submit.exit(), submit.stdout() + submit.stderr());
        assertTrue(submit.stdout().contains("4 tasks (--array=0-3%2)"), submit.stdout());

        CircuitCommandTest.Run status = null;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            status = CircuitCommandTest.dgq("sweep", "status", out.toString());
            if (status.exit() == 0) {
                break;
            }
            assertEquals(3, status.exit(), status.stdout() + status.stderr());
            if (status.stdout().contains(": 0 tasks queued or running")) {
                fail("the job array ended with runs not done:\n" + status.stdout() + SweepExecutorTest.logs(out));
            }
            Thread.sleep(2000);
        }
        assertEquals(0, status.exit(), "not done within 10 min:\n" + status.stdout() + SweepExecutorTest.logs(out));
        assertTrue(status.stdout().contains("4 runs: 4 done, 0 failed"), status.stdout());
        try (Stream<Path> logs = Files.list(out.resolve("logs"))) {
            assertEquals(4, logs.filter(p -> p.getFileName().toString().matches("slurm-[0-9]+_[0-3]\\.out")).count(),
                    "a log per array task");
        }

        CircuitCommandTest.Run again = CircuitCommandTest.dgq("sweep", "submit", SweepCommandsTest.TINY, "--out",
                out.toString());
        assertEquals(0, again.exit(), again.stderr());
        assertTrue(again.stdout().contains("nothing to submit (4 of 4 runs done"), again.stdout());

        CircuitCommandTest.Run report = CircuitCommandTest.dgq("report", out.toString(), "--resamples", "50");
        assertEquals(0, report.exit(), report.stderr());
        assertTrue(Files.readString(out.resolve("report/report.md")).contains("**4 of 4 runs finished.**"));
    }
}
