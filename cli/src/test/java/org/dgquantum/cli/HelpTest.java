package org.dgquantum.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every help screen renders cleanly: no picocli warnings, no description cut mid-sentence. */
class HelpTest {
    @Test
    void helpScreensHaveNoWarningsAndWholeSentences() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // picocli reports format problems (e.g. a bare '%') on System.err, not on the command's own stream.
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (String command : new String[] {"circuit", "bench", "demo", "train", "predict", "sweep", "sweep plan",
                "sweep run", "sweep submit", "sweep status", "report"}) {
                String[] args = (command + " --help").split(" ");
                CircuitCommandTest.Run r = CircuitCommandTest.dgq(args);
                assertEquals(0, r.exit(), command);
                assertTrue(r.stdout().contains("Usage: dgq " + command), r.stdout());
            }
            CircuitCommandTest.Run top = CircuitCommandTest.dgq("--help");
            assertEquals(0, top.exit());
            // Each command's summary line in the top-level list ends a sentence.
            for (String line : top.stdout().split("\n")) {
                if (line.matches("  (circuit|bench|demo|train|predict|sweep|report) .*")) {
                    String rest = top.stdout().substring(top.stdout().indexOf(line));
                    String entry = rest.split("\n  (?=[a-z])", 2)[0];
                    assertTrue(entry.strip().endsWith("."), "cut summary: " + entry);
                }
            }
        } finally {
            System.setErr(stderr);
        }
        String warnings = captured.toString(StandardCharsets.UTF_8);
        assertFalse(warnings.contains("picocli WARN"), warnings);
    }
}
