package org.dgquantum.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dgquantum.sweeps.SweepDir;
import org.dgquantum.sweeps.SweepPlan;
import org.dgquantum.sweeps.SweepTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local executor on tiny runs (2 epochs, so a killed run has a checkpoint to continue from): a sweep of 4 runs
 * in 2 workers, a worker killed with SIGKILL mid-run then the sweep relaunched (same predictions as without the
 * kill), and dgq report on a partial sweep. The uninterrupted sweep is made once and shared.
 */
class SweepExecutorTest {
    @TempDir
    static Path root;

    private static Path full;

    /** examples/sweeps/tiny.yaml with 2 epochs; {@code models} replaces its model axis. */
    static Path spec(String name, String models) throws IOException {
        String text = Files.readString(Path.of("../examples/sweeps/tiny.yaml")).replace("epochs: 1", "epochs: 2")
                .replace("model: [dgquantum, simplecnn]", "model: [" + models + "]");
        assertTrue(text.contains("epochs: 2") && text.contains("model: [" + models + "]"), text);
        return Files.writeString(root.resolve(name), text);
    }

    /** The uninterrupted sweep: 4 runs, 2 workers. */
    static synchronized Path fullSweep() throws IOException {
        if (full == null) {
            Path out = root.resolve("full");
            CircuitCommandTest.Run r = CircuitCommandTest.dgq("sweep", "run", spec("full.yaml", "dgquantum, simplecnn")
                    .toString(), "--out", out.toString(), "--workers", "2");
            assertEquals(0, r.exit(), r.stdout() + r.stderr() + logs(out));
            full = out;
        }
        return full;
    }

    static String logs(Path sweep) throws IOException {
        StringBuilder b = new StringBuilder();
        Path logs = sweep.resolve("logs");
        if (Files.isDirectory(logs)) {
            try (Stream<Path> s = Files.list(logs)) {
                for (Path p : s.toList()) {
                    b.append("\n== ").append(p).append('\n').append(Files.readString(p));
                }
            }
        }
        return b.toString();
    }

    @Test
    void fourTinyRunsInTwoWorkersAreAllDoneAndARelaunchSkipsThem() throws IOException {
        Path out = fullSweep();
        SweepDir sweep = SweepDir.open(out, "test");
        assertEquals(4, sweep.runs().size());
        for (SweepPlan.Run r : sweep.runs()) {
            assertEquals(SweepDir.State.DONE, sweep.state(r), r.directory() + logs(out));
            List<String> csv = Files.readAllLines(sweep.runDir(r).resolve("predictions.csv"));
            // 2 unseen centers x 2 classes x 2 images, without and with TTA.
            assertEquals(1 + 2 * 8, csv.size(), r.directory());
            assertTrue(Files.isRegularFile(sweep.log(r)), "log of " + r.directory());
            int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
            assertTrue(Files.readString(sweep.log(r)).contains(threads + " ND4J threads, " + threads + " processors"),
                    "cores/2 threads per worker: " + Files.readString(sweep.log(r)));
        }
        CircuitCommandTest.Run again = CircuitCommandTest.dgq("sweep", "run", root.resolve("full.yaml").toString(),
                "--out", out.toString(), "--workers", "2");
        assertEquals(0, again.exit(), again.stderr());
        assertTrue(again.stdout().contains("4 done before, 0 to run"), again.stdout());
        CircuitCommandTest.Run status = CircuitCommandTest.dgq("sweep", "status", out.toString());
        assertEquals(0, status.exit(), status.stdout() + status.stderr());
        assertTrue(status.stdout().contains("4 runs: 4 done, 0 failed"), status.stdout());
    }

    @Test
    void aWorkerKilledMidRunIsResumedByARelaunchWithTheSamePredictions() throws Exception {
        Path reference = fullSweep();
        Path spec = spec("killed.yaml", "dgquantum");
        Path out = root.resolve("killed");
        // The sweep in its own process, so that its workers see the test hook: run 0 stops after epoch 1.
        List<String> cmd = new ArrayList<>(SweepCommand.Workers.java(
                Integer.toString(Runtime.getRuntime().availableProcessors())));
        cmd.addAll(List.of("sweep", "run", spec.toString(), "--out", out.toString(), "--workers", "2"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(root.resolve("killed-sweep.out").toFile());
        pb.environment().put(SweepTask.HANG_ENV, "0:1");
        Process sweepProcess = pb.start();
        try {
            Path log0 = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
            while (System.nanoTime() < deadline) {
                if (SweepDir.isSweep(out)) {
                    SweepDir s = SweepDir.open(out, "test");
                    log0 = s.log(s.runs().get(0));
                    if (Files.isRegularFile(log0) && Files.readString(log0).contains("waiting to be killed")) {
                        break;
                    }
                }
                if (!sweepProcess.isAlive()) {
                    fail("sweep ended early: " + Files.readString(root.resolve("killed-sweep.out")) + logs(out));
                }
                Thread.sleep(200);
            }
            // The worker names its pid in its log's first line.
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(pid ([0-9]+)\\)")
                    .matcher(Files.readString(log0));
            assertTrue(m.find(), "pid of the worker of run 0" + logs(out));
            ProcessHandle worker = ProcessHandle.of(Long.parseLong(m.group(1))).orElseThrow();
            assertTrue(sweepProcess.toHandle().descendants().anyMatch(worker::equals), "a worker of this sweep");
            assertTrue(worker.destroyForcibly(), "SIGKILL sent");
            assertTrue(sweepProcess.waitFor(600, TimeUnit.SECONDS), "the sweep finishes its other runs");
            String printed = Files.readString(root.resolve("killed-sweep.out"));
            assertEquals(11, sweepProcess.exitValue(), "10 + 1 failed run: " + printed + logs(out));
            assertTrue(printed.contains("failed: dgquantum-seed1-"), printed);
        } finally {
            sweepProcess.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            sweepProcess.destroyForcibly();
        }
        SweepDir killed = SweepDir.open(out, "test");
        SweepPlan.Run run0 = killed.runs().get(0);
        assertEquals(SweepDir.State.FAILED, killed.state(run0));
        assertTrue(killed.errorLine(run0).contains("killed by signal 9"), killed.errorLine(run0));
        assertEquals("epoch 1/2", killed.progress(run0));

        CircuitCommandTest.Run relaunch = CircuitCommandTest.dgq("sweep", "run", spec.toString(), "--out",
                out.toString(), "--workers", "2");
        assertEquals(0, relaunch.exit(), relaunch.stdout() + relaunch.stderr() + logs(out));
        assertTrue(relaunch.stdout().contains("1 done before, 1 to run"), relaunch.stdout());
        assertTrue(Files.readString(killed.log(run0)).contains("continuing the run"), "resumed from its checkpoint");
        for (SweepPlan.Run r : killed.runs()) {
            assertEquals(SweepDir.State.DONE, killed.state(r));
            assertArrayEquals(Files.readAllBytes(reference.resolve("runs").resolve(r.directory())
                    .resolve("predictions.csv")), Files.readAllBytes(killed.runDir(r).resolve("predictions.csv")),
                    r.directory() + ": predictions of the interrupted sweep differ from the uninterrupted one");
        }
    }

    @Test
    void aReportOnAPartialSweepCoversTheFinishedRunsAndNamesTheMissingOnes() throws IOException {
        Path source = fullSweep();
        Path partial = root.resolve("partial");
        try (Stream<Path> s = Files.walk(source)) {
            for (Path p : s.toList()) {
                Path q = partial.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        SweepDir sweep = SweepDir.open(partial, "test");
        SweepPlan.Run running = sweep.runs().get(1);
        SweepPlan.Run failed = sweep.runs().get(3);
        Files.delete(sweep.done(running));
        Files.delete(sweep.done(failed));
        Files.writeString(sweep.error(failed), "data source boom: expected something\n");
        Files.deleteIfExists(partial.resolve("report").resolve("metrics.json"));

        CircuitCommandTest.Run r = CircuitCommandTest.dgq("report", partial.toString(), "--resamples", "50");
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("2 of 4 runs finished; missing: " + running.directory() + ": not finished"),
                r.stdout());
        assertTrue(r.stdout().contains(failed.directory() + ": failed: data source boom"), r.stdout());
        JsonNode m = new ObjectMapper().readTree(partial.resolve("report/metrics.json").toFile());
        assertEquals(2, m.path("runs").path("finished").asInt());
        assertEquals(2, m.path("runs").path("missing").size());
        // One seed left of each model: dgquantum seed 1 (run 0), simplecnn seed 1 (run 2).
        assertEquals("[1]", m.path("models").path("dgquantum").path("seeds").toString());
        assertEquals("[1]", m.path("models").path("simplecnn+tta").path("seeds").toString());
        assertEquals(1, m.path("acrossSeeds").path("dgquantum").path("overall").path("auc").path("n").asInt());
        assertTrue(m.path("acrossSeeds").path("dgquantum").path("overall").has("ece"), m.toString());
        String md = Files.readString(partial.resolve("report/report.md"));
        assertTrue(md.contains("| Specificity | Precision | Balanced acc. | F1 | Sens. @90% spec. | ECE |"), md);
        assertTrue(md.contains("**2 of 4 runs finished.**") && md.contains("## Missing runs"), md);
        assertTrue(md.contains("| dgquantum+tta | 1 | 8 |"), md);
        assertTrue(Files.isRegularFile(partial.resolve("report/plots/metrics.png")));

        // The whole sweep: two seeds per variant, mean ± sd.
        CircuitCommandTest.Run whole = CircuitCommandTest.dgq("report", source.toString(), "--resamples", "50");
        assertEquals(0, whole.exit(), whole.stderr());
        String fullMd = Files.readString(source.resolve("report/report.md"));
        assertTrue(fullMd.contains("Nothing is missing") && fullMd.matches("(?s).*\\| dgquantum \\| 2 \\| 8 \\| "
                + "[0-9.]+ ± [0-9.]+ .*"), fullMd);
    }
}
