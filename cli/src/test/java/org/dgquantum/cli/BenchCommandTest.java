package org.dgquantum.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dgq bench} on a tiny plan, in-process (--forks 0), without looking at any timing. */
class BenchCommandTest {

    @Test
    void tinyRunWritesTableJsonAndMarkdown(@TempDir Path dir) throws Exception {
        // A benchmark run elsewhere on this machine holds JMH's lock; this run measures nothing.
        System.setProperty("jmh.ignoreLock", "true");
        CircuitCommandTest.Run r = CircuitCommandTest.dgq("bench", "--forks", "0", "--warmup", "0", "--iterations", "1",
                "--time", "20", "--sizes", "2x3", "--methods", "forward,parameter-shift", "--precision", "float64",
                "--threads", "1,2", "--passes", "2", "--out", dir.toString(), "--markdown", dir.resolve("t.md").toString());
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("parameter-shift"), r.stdout());
        assertTrue(r.stderr().contains("/8] parameter-shift n=2 L=4 B=3 float64 java 2 threads"), r.stderr());
        JsonNode root = new ObjectMapper().readTree(dir.resolve("bench-results.json").toFile());
        assertEquals(4, root.get("results").size(), root.toPrettyString());
        for (JsonNode res : root.get("results")) {
            assertEquals(2, res.get("iterations").asInt(), "one iteration per pass, two passes");
            assertTrue(res.get("usPerSample").asDouble() > 0);
            assertTrue(res.has("cpusUsed"), "CPU counters reach the report");
        }
        assertTrue(Files.readString(dir.resolve("t.md")).contains("| forward | 2 | 4 | 3 | float64 |"));

        CircuitCommandTest.Run again = CircuitCommandTest.dgq("bench", "--render", dir.resolve("bench-results.json").toString());
        assertEquals(0, again.exit(), again.stderr());
        assertTrue(again.stdout().contains("parameter-shift"), again.stdout());
    }

    @Test
    void badOptionsExitWithTwoAndOneLine(@TempDir Path dir) {
        for (String[] args : new String[][] {{"--sizes", "8y4"}, {"--methods", "sideways"}, {"--precision", "float16"},
                {"--backend", "quantum-annealer"}, {"--passes", "0"}, {"--layers", "x"}, {"--render", "missing.json"}}) {
            String[] all = new String[args.length + 3];
            all[0] = "bench";
            System.arraycopy(args, 0, all, 1, args.length);
            all[args.length + 1] = "--out";
            all[args.length + 2] = dir.toString();
            CircuitCommandTest.Run r = CircuitCommandTest.dgq(all);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.stderr());
            assertEquals(1, r.stderr().lines().count(), r.stderr());
            assertTrue(r.stderr().startsWith("dgq bench: "), r.stderr());
        }
        assertEquals(0, dir.toFile().list().length, "nothing written on bad options");
    }
}
