package org.dgquantum.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The whole command on a tiny plan, in-process (--forks 0), without looking at any timing. */
class BenchCommandTest {

    @Test
    void tinyRunWritesTableJsonAndMarkdown(@TempDir Path dir) throws Exception {
        // A benchmark run elsewhere on this machine holds JMH's lock; this run measures nothing.
        System.setProperty("jmh.ignoreLock", "true");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        BenchCommand c = new BenchCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc = new CommandLine(c).execute("--forks", "0", "--warmup", "0", "--iterations", "1", "--time", "20",
                "--sizes", "2x3", "--methods", "forward,parameter-shift", "--precision", "float64", "--threads", "1,2",
                "--passes", "2", "--out", dir.toString(), "--markdown", dir.resolve("t.md").toString());
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, stdout + err.toString(StandardCharsets.UTF_8));
        assertTrue(stdout.contains("parameter-shift"), stdout);
        JsonNode root = new ObjectMapper().readTree(dir.resolve("bench-results.json").toFile());
        assertEquals(4, root.get("results").size(), root.toPrettyString());
        for (JsonNode r : root.get("results")) {
            assertEquals(2, r.get("iterations").asInt(), "one iteration per pass, two passes");
            assertTrue(r.get("usPerSample").asDouble() > 0);
            assertTrue(r.has("cpusUsed"), "CPU counters reach the report");
        }
        assertTrue(Files.readString(dir.resolve("t.md")).contains("| forward | 2 | 4 | 3 | float64 |"));
    }

    @Test
    void badOptionsExitWithTwo(@TempDir Path dir) {
        for (String[] args : new String[][] {{"--sizes", "8y4"}, {"--methods", "sideways"}, {"--precision", "float16"},
                {"--backend", "quantum-annealer"}, {"--passes", "0"}}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            BenchCommand c = new BenchCommand(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
            String[] all = new String[args.length + 2];
            System.arraycopy(args, 0, all, 0, args.length);
            all[args.length] = "--out";
            all[args.length + 1] = dir.toString();
            CommandLine cl = BenchCommand.commandLine(c);
            cl.setErr(new java.io.PrintWriter(err, true));
            assertEquals(2, cl.execute(all), String.join(" ", args));
            assertEquals(1, err.toString().lines().count(), err.toString());
            assertTrue(err.toString().startsWith("bench: "), err.toString());
        }
        assertTrue(dir.toFile().list().length == 0, "nothing written on bad options");
    }
}
