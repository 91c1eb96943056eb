package org.dgquantum.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dgquantum.trainer.runs.RunService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    /** SimpleCNN x0.25 at 32x32 with a 4-qubit, 2-layer circuit: 24 source images, 2 steps per epoch. */
    static TrainConfig tiny(int epochs) {
        return TrainConfig.dgQuantum(11).with(b -> b.encoder("simplecnn").width(0.25).imageSize(32).qubits(4)
                .circuitLayers(2).epochs(epochs).batchSize(8).perClass(4).perClassTest(2).learningRate(3e-3));
    }

    /** The history without wall times. */
    static List<TrainState.EpochRecord> metrics(Trainer.Result r) {
        return r.state().history().stream().map(e -> new TrainState.EpochRecord(e.epoch(), e.steps(), e.trainLoss(),
                e.trainClassLoss(), e.trainAccuracy(), e.validationLoss(), e.validationAccuracy(), e.validationAuc(), e.validationAucLower(), e.validationAucUpper(), e.lambda(), 0, 0))
                .toList();
    }

    static float[] params(ComputationGraph g) {
        return g.params().dup().toFloatVector();
    }

    @Test
    void sameSeedSameThreadsGivesIdenticalRuns(@TempDir Path tmp) {
        Trainer.Result a = RunService.train(tiny(2), tmp.resolve("a"), Progress.silent());
        Trainer.Result b = RunService.train(tiny(2), tmp.resolve("b"), Progress.silent());
        assertArrayEquals(params(a.last()), params(b.last()));
        assertEquals(metrics(a), metrics(b));
        assertEquals(2, a.state().history().size());
        assertEquals(4, a.state().globalStep());
        for (TrainState.EpochRecord e : a.state().history()) {
            // DG-Quantum's score adds the domain CE (about ln 3 here) to the class CE.
            assertTrue(e.trainClassLoss() > 0 && e.trainClassLoss() + 0.5 < e.trainLoss(), e.toString());
        }
        // Training moved the parameters away from their initialization.
        assertFalse(java.util.Arrays.equals(params(a.last()),
                params(org.dgquantum.trainer.model.DgQuantumGraph.build(tiny(2).toGraphOptions()))));
    }

    @Test
    void resumeContinuesExactlyWhereTheRunStopped(@TempDir Path tmp) throws IOException {
        Trainer.Result straight = RunService.train(tiny(2), tmp.resolve("straight"), Progress.silent());
        Trainer.Result first = RunService.trainUntil(tiny(2), tmp.resolve("resumed"), Progress.silent(), 1);
        assertEquals(1, first.state().epochsDone());
        Trainer.Result resumed = RunService.resume(tmp.resolve("resumed"), Progress.silent());
        assertEquals(2, resumed.state().epochsDone());
        assertArrayEquals(params(straight.last()), params(resumed.last()));
        assertEquals(metrics(straight), metrics(resumed));
        assertEquals(straight.state().bestEpoch(), resumed.state().bestEpoch());
        assertArrayEquals(params(straight.best()), params(resumed.best()));

        // Only the last checkpoint is kept, with its state; no temporary files are left behind.
        try (Stream<Path> files = Files.list(tmp.resolve("resumed/checkpoints"))) {
            assertEquals(List.of("epoch-0002.zip", "state.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (Stream<Path> all = Files.walk(tmp.resolve("resumed"))) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
        // A finished run resumed again does nothing.
        Trainer.Result again = RunService.resume(tmp.resolve("resumed"), Progress.silent());
        assertArrayEquals(params(straight.last()), params(again.last()));
    }

    @Test
    void baselineTrainsThroughTheSameLoop(@TempDir Path tmp) {
        // beta 0: the score is then the class cross-entropy alone, which the progress computes on its own.
        TrainConfig c = tiny(1).with(b -> b.name("simplecnn").quantum(false).adversarial(false).beta(0));
        Trainer.Result r = RunService.train(c, tmp.resolve("base"), Progress.silent());
        assertEquals(1, r.state().epochsDone());
        assertEquals(null, org.dgquantum.trainer.model.DgQuantumGraph.quantumLayer(r.last()));
        assertEquals(1, r.last().getNumOutputArrays());
        TrainState.EpochRecord e = r.state().history().get(0);
        assertTrue(e.trainLoss() > 0 && Double.isFinite(e.trainLoss()), "loss " + e.trainLoss());
        assertEquals(e.trainLoss(), e.trainClassLoss(), 1e-4 * e.trainLoss(), "class CE vs DL4J's score");
        assertTrue(e.trainAccuracy() >= 0 && e.trainAccuracy() <= 1);
        assertTrue(Files.isRegularFile(tmp.resolve("base/best.zip")));
        assertEquals(c, new RunFiles(tmp.resolve("base")).readConfig());
    }

    @Test
    void userErrorsAreReportedAsTrainerExceptions(@TempDir Path tmp) throws IOException {
        TrainerException missing = assertThrows(TrainerException.class,
                () -> RunService.resume(tmp.resolve("nope"), Progress.silent()));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        Files.createDirectories(tmp.resolve("empty"));
        TrainerException foreign = assertThrows(TrainerException.class,
                () -> RunService.resume(tmp.resolve("empty"), Progress.silent()));
        assertTrue(foreign.getMessage().contains("config.json"), foreign.getMessage());
        // A bad data spec fails before anything is written, so the same --out can be used again.
        assertThrows(org.dgquantum.data.DataException.class,
                () -> RunService.train(tiny(1).with(b -> b.data("bogus")), tmp.resolve("bad"), Progress.silent()));
        assertFalse(Files.exists(tmp.resolve("bad/config.json")));
        Files.createDirectories(tmp.resolve("taken"));
        Files.writeString(tmp.resolve("taken/config.json"), "{}");
        TrainerException taken = assertThrows(TrainerException.class,
                () -> RunService.train(tiny(1), tmp.resolve("taken"), Progress.silent()));
        assertTrue(taken.getMessage().contains("holds a run with other options"), taken.getMessage());
    }


    @Test
    void preciseBnUsesTheEpochsFirstBatchesHoldingAFewHundredImages() {
        assertEquals(8, Trainer.recalibrationBatches(28, 32), "256 images of the demo's 28 batches of 32");
        assertEquals(3, Trainer.recalibrationBatches(3, 8), "a small epoch: all its batches");
        assertEquals(2, Trainer.recalibrationBatches(40, 200), "a batch larger than 256 images");
    }

    /** A tiny SimpleCNN baseline: 1 epoch of 2 steps at 32 px. */
    static TrainConfig tinyBaseline(long seed) {
        return tiny(1).with(b -> b.name("simplecnn").quantum(false).adversarial(false).seed(seed));
    }

    @Test
    void initFromStartsTheEncoderFromTheOtherRunsBestModelNotTheHeads(@TempDir Path tmp) throws IOException {
        Trainer.Result a = RunService.train(tinyBaseline(11), tmp.resolve("a"), Progress.silent());
        ComputationGraph aBest = a.best();
        TrainConfig c = tinyBaseline(12).with(b -> b.initFrom(tmp.resolve("a").toString()));
        java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
        // stopAfter 0: the graph as it starts training.
        Trainer.Result b = RunService.trainUntil(c, tmp.resolve("b"), new Progress(new java.io.PrintStream(said), false,
                "b"), 0);
        List<String> encoder = EncoderInit.encoderLayers(b.last());
        assertTrue(encoder.contains("c0_conv") && encoder.contains("c0_bn") && encoder.contains("h"), encoder.toString());
        for (String layer : encoder) {
            // BN's running mean and variance are parameters too: the whole table is copied.
            assertEquals(aBest.getLayer(layer).params(), b.last().getLayer(layer).params(), layer);
        }
        assertFalse(aBest.getLayer("class").params().equals(b.last().getLayer("class").params()), "the class head is new");
        assertTrue(said.toString().contains("init from " + tmp.resolve("a").toAbsolutePath().normalize() + ": "
                + encoder.size() + " encoder layers, "), said.toString());
        assertEquals(c, new RunFiles(tmp.resolve("b")).readConfig());
        assertTrue(Files.readString(tmp.resolve("b/config.json")).contains("\"initFrom\""));
        assertFalse(Files.readString(tmp.resolve("a/config.json")).contains("initFrom"), "omitted when null");
    }

    @Test
    void initFromADifferentEncoderOrNoRunIsRefusedBeforeAnythingIsWritten(@TempDir Path tmp) {
        RunService.train(tinyBaseline(11), tmp.resolve("a"), Progress.silent());
        ConfigException wider = assertThrows(ConfigException.class, () -> RunService.train(
                tinyBaseline(11).with(b -> b.width(0.5).initFrom(tmp.resolve("a").toString())), tmp.resolve("b"),
                Progress.silent()));
        assertEquals("initFrom", wider.field());
        assertTrue(wider.expected().contains("layer c0_conv parameter W has shape [8, 1, 3, 3] there, [16, 1, 3, 3] here"),
                wider.getMessage());
        assertFalse(Files.exists(tmp.resolve("b")), "nothing written");
        ConfigException none = assertThrows(ConfigException.class, () -> RunService.train(
                tinyBaseline(11).with(b -> b.initFrom(tmp.resolve("nope").toString())), tmp.resolve("c"),
                Progress.silent()));
        assertTrue(none.getMessage().contains("a run directory of dgq train") && none.getMessage().contains("nope"),
                none.getMessage());
        assertFalse(Files.exists(tmp.resolve("c")), "nothing written");
    }

    @Test
    void everyRunRecordsItsAucIntervalAndLearningVerdict(@TempDir Path tmp) throws IOException {
        TrainConfig c = tinyBaseline(11).with(b -> b.epochs(2).selectBy("loss"));
        Trainer.Result r = RunService.train(c, tmp.resolve("r"), Progress.silent());
        for (TrainState.EpochRecord e : r.state().history()) {
            assertTrue(e.validationAucLower() <= e.validationAuc() && e.validationAuc() <= e.validationAucUpper(),
                    e.toString());
        }
        TrainState s = RunFiles.readState(tmp.resolve("r"));
        assertEquals(r.state(), s);
        TrainState.EpochRecord best = s.history().get(s.bestEpoch() - 1);
        assertEquals(-best.validationLoss(), s.bestScore(), "select by loss: the best score is minus the loss");
        assertTrue(s.history().stream().allMatch(e -> e.validationLoss() >= best.validationLoss()));
        LearningCheck.Report saved = RunFiles.readJson(tmp.resolve("r").resolve(RunFiles.LEARNING),
                LearningCheck.Report.class);
        assertEquals(LearningCheck.of(s).reason(), saved.reason());
        assertEquals(LearningCheck.of(s).learned(), saved.learned());
    }
}
