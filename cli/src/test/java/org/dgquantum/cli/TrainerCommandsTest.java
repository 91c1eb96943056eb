package org.dgquantum.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dgq train / predict in-process on a tiny model, and their user-error paths (one line, exit 2). */
class TrainerCommandsTest {
    @TempDir
    Path dir;

    static final String[] TINY = {"--model", "dgquantum", "--image-size", "32", "--width", "0.25", "--qubits", "4",
        "--layers", "2", "--train-per-class", "4", "--test-per-class", "2", "--batch", "8", "--epochs", "1"};

    static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static void assertUserError(CircuitCommandTest.Run r, String expected) {
        assertEquals(2, r.exit(), r.stderr());
        List<String> lines = r.stderr().lines().filter(l -> l.startsWith("dgq ")).toList();
        assertEquals(1, lines.size(), r.stderr());
        assertTrue(lines.get(0).contains(expected), r.stderr());
        assertTrue(!r.stderr().contains("\tat "), "stack trace printed: " + r.stderr());
    }

    @Test
    void trainThenPredictWithAndWithoutTta() throws IOException {
        Path run = dir.resolve("run");
        CircuitCommandTest.Run t = CircuitCommandTest.dgq(concat(concat(new String[] {"train"}, TINY), "--out",
                run.toString()));
        assertEquals(0, t.exit(), t.stderr());
        assertTrue(t.stdout().contains("best epoch 1"), t.stdout());
        assertTrue(Files.isRegularFile(run.resolve("best.zip")));

        CircuitCommandTest.Run p = CircuitCommandTest.dgq("predict", "--run", run.toString());
        assertEquals(0, p.exit(), p.stderr());
        List<String> csv = Files.readAllLines(run.resolve("predictions.csv"));
        assertEquals("id,domain,label,probability,prediction,model,seed", csv.get(0));
        assertEquals(1 + 2 * 2 * 2, csv.size(), "2 unseen centers x 2 classes x 2 images");
        assertTrue(csv.get(1).endsWith(",dgquantum,42"), csv.get(1));

        Path tta = dir.resolve("tta.csv");
        CircuitCommandTest.Run pt = CircuitCommandTest.dgq("predict", "--run", run.toString(), "--tta", "--out",
                tta.toString());
        assertEquals(0, pt.exit(), pt.stderr());
        assertTrue(Files.readAllLines(tta).get(1).endsWith(",dgquantum+tta,42"));
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws IOException {
        assertUserError(CircuitCommandTest.dgq("predict", "--run", dir.resolve("missing").toString()),
                "does not exist");
        Files.createDirectories(dir.resolve("notarun"));
        assertUserError(CircuitCommandTest.dgq("predict", "--run", dir.resolve("notarun").toString()), "config.json");
        assertUserError(CircuitCommandTest.dgq("train", "--resume", dir.resolve("missing").toString()),
                "does not exist");
        assertUserError(CircuitCommandTest.dgq(concat(concat(new String[] {"train"}, TINY), "--out",
                dir.resolve("x").toString(), "--data", "folder:" + dir.resolve("nodata"))), "nodata");
        assertUserError(CircuitCommandTest.dgq(concat(concat(new String[] {"train"}, TINY), "--out",
                dir.resolve("y").toString(), "--data", "bogus")), "unknown data source");
        assertUserError(CircuitCommandTest.dgq("train", "--out", dir.resolve("z").toString(), "--model", "vgg"),
                "unknown model");
        assertUserError(CircuitCommandTest.dgq("train", "--out", dir.resolve("z").toString(), "--epochs", "0"),
                "epochs");
    }
}
