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
                "--model vgg: expected dgquantum or a baseline");
        assertUserError(CircuitCommandTest.dgq("train", "--out", dir.resolve("z").toString(), "--epochs", "0"),
                "epochs");
    }

    /** train with the tiny options, {@code changes} replacing or adding options ("--flag" alone for a flag). */
    static String[] train(Path out, String... changes) {
        java.util.LinkedHashMap<String, String> o = new java.util.LinkedHashMap<>();
        for (int i = 0; i < TINY.length; i += 2) {
            o.put(TINY[i], TINY[i + 1]);
        }
        for (int i = 0; i < changes.length; i++) {
            boolean flag = i + 1 == changes.length || changes[i + 1].startsWith("--") && !changes[i + 1].matches("--?\\d.*");
            o.put(changes[i], flag ? null : changes[++i]);
        }
        List<String> args = new java.util.ArrayList<>(List.of("train", "--out", out.toString()));
        o.forEach((k, v) -> {
            args.add(k);
            if (v != null) {
                args.add(v);
            }
        });
        return args.toArray(String[]::new);
    }

    /**
     * Bad options, one per row: the option as the user typed it (and its value) in one line, exit 2, no stack
     * trace, nothing created; then the same --out with good options works.
     */
    @Test
    void everyBadOptionIsOneLineNamingItAndCreatesNothing() throws IOException {
        Path out = dir.resolve("runs").resolve("r");
        Object[][] table = {
            {train(out, "--qubits", "0"), "--qubits 0: expected 1..30"},
            {train(out, "--qubits", "31"), "--qubits 31: expected 1..30"},
            {train(out, "--qubits", "40"), "--qubits 40"},
            {train(out, "--layers", "-1"), "--layers -1: expected >= 1"},
            {train(out, "--layers", "0"), "--layers 0"},
            {train(out, "--rotations", "RQ"), "--rotations RQ: expected one of RX, RY, RZ"},
            {train(out, "--encoding", "RZ"), "--encoding RZ: expected RX or RY"},
            {train(out, "--encoding", "H"), "--encoding H: expected one of RX, RY, RZ"},
            {train(out, "--rotations", "RX,CZ"), "--rotations CZ"},
            {train(out, "--alpha", "NaN"), "--alpha NaN: expected a finite number"},
            {train(out, "--alpha", "Infinity"), "--alpha Infinity"},
            {train(out, "--entangler", "star"), "--entangler star: expected one of ring, linear, none"},
            {train(out, "--gradient", "finite-difference"), "--gradient finite-difference"},
            {train(out, "--train-per-class", "-5"), "--train-per-class -5: expected >= 0"},
            {train(out, "--test-per-class", "-1"), "--test-per-class -1"},
            {train(out, "--train-per-class", "1"), "--validation 0.2: expected a split that leaves both classes"},
            {train(out, "--model", "vgg"), "--model vgg: expected dgquantum or a baseline"},
            {train(out, "--data", "bogus"), "unknown data source 'bogus'"},
            {train(out, "--data", "folder:" + dir.resolve("nodata")), "nodata"},
            {train(out, "--epochs", "0"), "--epochs 0: expected >= 1"},
            {train(out, "--test-centers", "C9"), "dgq train: --test-centers C9: unknown center (expected some of"
                    + " A-highfield, B-mainstream, C-older, D-rician-ring, E-speckle-ghost)"},
            {train(out, "--test-centers", "A-highfield,B-mainstream,C-older,D-rician-ring,E-speckle-ghost"),
                "holds out every center"},
            {train(out, "--test-centers", "C-older,C-older"), "--test-centers C-older,C-older: a center named twice"},
            {train(out, "--test-centers", "A-highfield,,C-older"), "--test-centers A-highfield,,C-older: expected one"
                    + " or more center names separated by commas"},
            {train(out, "--test-centers", ""), "--test-centers : expected one or more center names"},
            {train(out, "--data", "npz:" + dir.resolve("tiny.npz"), "--test-centers", "A"),
                "--test-centers A: npz:" + dir.resolve("tiny.npz") + " is a single-center MedMNIST archive"},
            {train(out, "--batch", "1"), "--batch 1: expected >= 2"},
            {train(out, "--lr", "-1"), "--lr -1.0: expected a finite number > 0"},
            {train(out, "--lr", "NaN"), "--lr NaN"},
            {train(out, "--beta", "NaN"), "--beta NaN"},
            {train(out, "--beta", "-1"), "--beta -1.0"},
            {train(out, "--eta", "2"), "--eta 2.0: expected a number in [0, 1]"},
            {train(out, "--domain-weight", "-1"), "--domain-weight -1.0"},
            {train(out, "--validation", "1.5"), "--validation 1.5: expected a number in (0, 1)"},
            {train(out, "--select-by", "f1"), "--select-by f1: expected auc, accuracy, loss"},
            {train(out, "--init-from", dir.resolve("nope").toString()), "--init-from " + dir.resolve("nope")
                    + ": expected a run directory of dgq train (run directory " + dir.resolve("nope") + " does not exist)"},
            {train(out, "--image-size", "3"), "--image-size 3: expected 8..1024"},
            {train(out, "--image-size", "100000"), "--image-size 100000"},
            {train(out, "--width", "0"), "--width 0.0"},
            {train(out, "--width", "NaN"), "--width NaN"},
            {train(out, "--threads", "0"), "--threads 0: expected >= 1"},
            {train(out, "--backend", "quantum-annealer"), "--backend quantum-annealer: expected auto or one of "},
            {train(out, "--qubits", "x"), "--qubits"},
            {train(out, "--no-shift"), "--no-shift: expected the imaging-shift simulation on"},
            {train(out, "--epochs"), "--epochs"},
            {new String[] {"demo", "--out", out.toString(), "--resamples", "0"}, "--resamples 0: expected >= 1"},
            {new String[] {"demo", "--out", out.toString(), "--models", "dgquantum,dgquantum"}, "named twice"},
            {new String[] {"demo", "--out", out.toString(), "--models", "vgg"}, "--model vgg"},
            {new String[] {"demo", "--out", out.toString(), "--epochs", "0"}, "--epochs 0"},
            {new String[] {"demo", "--out", out.toString(), "--train-per-class", "-3"}, "--train-per-class -3"},
            {new String[] {"predict", "--run", out.toString()}, "does not exist"},
            {new String[] {"predict", "--run", out.toString(), "--split", "test"}, "--split"},
            {new String[] {"train", "--resume", out.toString()}, "does not exist"},
            {new String[] {"frobnicate"}, "unknown command 'frobnicate'"},
        };
        List<org.junit.jupiter.api.function.Executable> checks = new java.util.ArrayList<>();
        for (Object[] row : table) {
            String[] args = (String[]) row[0];
            String expected = (String) row[1];
            checks.add(() -> {
                CircuitCommandTest.Run r = CircuitCommandTest.dgq(args);
                String what = String.join(" ", args) + "\n" + r.stderr();
                assertEquals(2, r.exit(), what);
                List<String> lines = r.stderr().lines().filter(l -> l.startsWith("dgq")).toList();
                assertEquals(1, lines.size(), what);
                assertTrue(lines.get(0).contains(expected), "expected '" + expected + "' in: " + what);
                assertTrue(!r.stderr().contains("\tat ") && !r.stderr().contains("Exception"), "stack trace: " + what);
                assertTrue(!Files.exists(out.getParent()), "created " + out.getParent() + ": " + what);
            });
        }
        org.junit.jupiter.api.Assertions.assertAll(checks);

        // --out at a file.
        Files.createDirectories(dir.resolve("runs"));
        Path file = dir.resolve("runs").resolve("file");
        Files.writeString(file, "x");
        assertUserError(CircuitCommandTest.dgq(train(file)), "--out " + file + ": is a file");

        CircuitCommandTest.Run ok = CircuitCommandTest.dgq(train(out));
        assertEquals(0, ok.exit(), ok.stderr());
        assertTrue(ok.stdout().contains("best epoch 1"), ok.stdout());
    }

    @Test
    void initFromAnotherRunSelectedByLossAndTheLearningVerdict() throws IOException {
        Path a = dir.resolve("a");
        CircuitCommandTest.Run ta = CircuitCommandTest.dgq(train(a, "--model", "simplecnn"));
        assertEquals(0, ta.exit(), ta.stderr());
        Path b = dir.resolve("b");
        CircuitCommandTest.Run tb = CircuitCommandTest.dgq(train(b, "--model", "simplecnn", "--init-from",
                a.toString(), "--select-by", "loss", "--seed", "7"));
        assertEquals(0, tb.exit(), tb.stderr());
        String config = Files.readString(b.resolve("config.json"));
        assertTrue(config.contains("\"initFrom\" : \"" + a.toAbsolutePath() + "\"") && config.contains("\"loss\""),
                config);
        // The summary says it when the run did not learn, as learning.json records.
        String learning = Files.readString(b.resolve("learning.json"));
        assertEquals(learning.contains("\"learned\" : false"), tb.stdout().contains("DID NOT LEARN"),
                tb.stdout() + learning);
        assertTrue(tb.stdout().matches("(?s).*AUC \\d\\.\\d{3} \\[\\d\\.\\d{3}, \\d\\.\\d{3}].*"), tb.stdout());
        CircuitCommandTest.Run p = CircuitCommandTest.dgq("predict", "--run", b.toString());
        assertEquals(0, p.exit(), p.stderr());
        assertEquals(learning.contains("\"learned\" : false"), p.stderr().contains("WARNING: simplecnn did not learn"),
                p.stderr());
        // Another encoder width: refused, naming the first layer that differs; nothing written.
        assertUserError(CircuitCommandTest.dgq(train(dir.resolve("c"), "--model", "simplecnn", "--width", "0.5",
                "--init-from", a.toString())), "--init-from " + a.toAbsolutePath() + ": expected a run with the same"
                + " encoder: layer c0_conv parameter W has shape [8, 1, 3, 3] there, [16, 1, 3, 3] here");
        assertTrue(!Files.exists(dir.resolve("c")));
    }

    @Test
    void chosenTestCentersAreTheOnesPredictUses() throws IOException {
        Path run = dir.resolve("centers");
        CircuitCommandTest.Run t = CircuitCommandTest.dgq(train(run, "--test-centers", "C-older"));
        assertEquals(0, t.exit(), t.stderr());
        assertTrue(Files.readString(run.resolve("config.json")).contains("\"testCenters\" : [ \"C-older\" ]"),
                Files.readString(run.resolve("config.json")));
        CircuitCommandTest.Run p = CircuitCommandTest.dgq("predict", "--run", run.toString());
        assertEquals(0, p.exit(), p.stderr());
        List<String> rows = Files.readAllLines(run.resolve("predictions.csv")).subList(1, 1 + 2 * 2);
        assertEquals(2 * 2, Files.readAllLines(run.resolve("predictions.csv")).size() - 1, "1 center x 2 classes x 2");
        assertTrue(rows.stream().allMatch(r -> r.split(",")[1].equals("C-older")), rows.toString());
        // Another data source has centers of its own: its default split (here a flat folder's holdout).
        Path folder = dir.resolve("flat");
        for (int i = 0; i < 6; i++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(8, 8,
                    java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            Path f = folder.resolve((i % 2 == 0 ? "normal/" : "lesion/") + i + ".png");
            Files.createDirectories(f.getParent());
            assertTrue(javax.imageio.ImageIO.write(img, "png", f.toFile()));
        }
        CircuitCommandTest.Run other = CircuitCommandTest.dgq("predict", "--run", run.toString(), "--data",
                "folder:" + folder, "--out", dir.resolve("other.csv").toString());
        assertEquals(0, other.exit(), other.stderr());
        // Another choice is another run: refused in this directory, naming the option.
        assertUserError(CircuitCommandTest.dgq(train(run, "--test-centers", "A-highfield")), "--test-centers");
        assertUserError(CircuitCommandTest.dgq(train(run)), "--test-centers");
    }

    @Test
    void otherOptionsIntoARunDirectoryAreRefusedNamingTheOptions() {
        Path out = dir.resolve("run");
        assertEquals(0, CircuitCommandTest.dgq(train(out)).exit());
        assertUserError(CircuitCommandTest.dgq(train(out, "--epochs", "2", "--layers", "3")),
                "holds a run with other options: --layers 2 there, 3 now; --epochs 1 there, 2 now");
        // The same options continue (here: nothing left to do).
        CircuitCommandTest.Run again = CircuitCommandTest.dgq(train(out));
        assertEquals(0, again.exit(), again.stderr());
        assertTrue(again.stdout().contains("best epoch 1"), again.stdout());
    }

    @Test
    void demoContinuesOnlyTheSameDemo() throws IOException {
        Path out = dir.resolve("demo");
        String[] demo = {"demo", "--out", out.toString(), "--models", "simplecnn", "--image-size", "32", "--width",
            "0.25", "--train-per-class", "4", "--test-per-class", "2", "--batch", "8", "--epochs", "1",
            "--resamples", "20"};
        CircuitCommandTest.Run first = CircuitCommandTest.dgq(demo);
        assertEquals(0, first.exit(), first.stderr());
        assertTrue(first.stderr().contains("== model 1/1: simplecnn (1 epochs)"), first.stderr());
        for (String f : List.of("config.json", "metrics.json", "predictions.csv", "timing.json", "plots",
                "models/simplecnn/best.zip")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        String config = Files.readString(out.resolve("config.json"));
        assertTrue(Files.readString(out.resolve("timing.json")).matches("(?s).*\"peakRssBytes\" : [1-9][0-9]{7,}.*"),
                "timing.json records a peak RSS of at least 10 MB");

        String[] longer = demo.clone();
        longer[longer.length - 3] = "2";
        assertUserError(CircuitCommandTest.dgq(longer), "holds a run with other options: --epochs 1 there, 2 now (");
        assertEquals(config, Files.readString(out.resolve("config.json")), "a refused demo changes nothing");

        CircuitCommandTest.Run again = CircuitCommandTest.dgq(demo);
        assertEquals(0, again.exit(), again.stderr());
        assertTrue(again.stderr().contains("continuing the demo"), again.stderr());
        String table = first.stdout().substring(0, first.stdout().indexOf("simplecnn:"));
        assertEquals(table, again.stdout().substring(0, again.stdout().indexOf("simplecnn:")));
    }

    @Test
    void sweepPlanListsTheRunsOrNamesTheBadKey() throws IOException {
        CircuitCommandTest.Run ok = CircuitCommandTest.dgq("sweep", "plan", "../examples/sweeps/tiny.yaml");
        assertEquals(0, ok.exit(), ok.stderr());
        assertTrue(ok.stdout().startsWith("4 runs from ../examples/sweeps/tiny.yaml:"), ok.stdout());
        assertTrue(ok.stdout().contains("simplecnn-seed2-"), ok.stdout());
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "axes: {layers: [2, -1]}\n");
        assertUserError(CircuitCommandTest.dgq("sweep", "plan", bad.toString()),
                "bad.yaml: axes.layers[1]: -1: expected >= 1");
        assertEquals(List.of("bad.yaml"), Files.list(dir).map(p -> p.getFileName().toString()).toList(),
                "a plan writes nothing");
    }

    @Test
    void anUnavailableBackendIsRefusedBeforeAnythingIsWritten() {
        boolean cudaAvailable;
        try (var b = org.dgquantum.engine.Backends.open("cuda")) {
            cudaAvailable = true;
        } catch (org.dgquantum.engine.BackendUnavailableException e) {
            cudaAvailable = false;
        }
        org.junit.jupiter.api.Assumptions.assumeFalse(cudaAvailable, "this machine has a GPU");
        Path out = dir.resolve("gpu");
        assertUserError(CircuitCommandTest.dgq(train(out, "--backend", "cuda")),
                "--backend cuda: expected an available backend (");
        assertTrue(!Files.exists(out));
    }
}
