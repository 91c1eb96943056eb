package org.dgquantum.trainer.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.dgquantum.data.DataException;
import org.dgquantum.trainer.train.ConfigException;
import org.dgquantum.trainer.train.Progress;
import org.dgquantum.trainer.train.TrainConfig;
import org.dgquantum.trainer.train.Trainer;
import org.dgquantum.trainer.train.TrainerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, continuing and refusing runs: nothing left behind by a failed or killed start or write. */
class RunServiceTest {
    @TempDir
    Path tmp;

    /** SimpleCNN x0.25 at 32x32 with a 4-qubit, 2-layer circuit: 24 source images, 2 steps per epoch. */
    static TrainConfig tiny(int epochs) {
        return TrainConfig.dgQuantum(11).with(b -> b.encoder("simplecnn").width(0.25).imageSize(32).qubits(4)
                .circuitLayers(2).epochs(epochs).batchSize(8).perClass(4).perClassTest(2).learningRate(3e-3));
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static List<String> leftovers(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".tmp") || n.contains(".starting-")).toList();
        }
    }

    @Test
    void aFailedStartLeavesNothingAndTheSamePathWorksAfterwards() throws IOException {
        Path run = tmp.resolve("run");
        assertThrows(DataException.class,
                () -> RunService.train(tiny(1).with(b -> b.data("bogus")), run, Progress.silent()));
        // One image per class and center: the stratified split leaves the validation part empty.
        ConfigException split = assertThrows(ConfigException.class,
                () -> RunService.train(tiny(1).with(b -> b.perClass(1)), run, Progress.silent()));
        assertEquals("validationFraction", split.field());
        assertTrue(split.getMessage().contains("validation part holds 0 normal"), split.getMessage());
        assertEquals(List.of(), names(tmp), "nothing created");

        Trainer.Result r = RunService.train(tiny(1).with(b -> b.backend("java")), run, Progress.silent());
        assertEquals(1, r.state().epochsDone());
        assertEquals(List.of("best.zip", "checkpoints", "config.json", "learning.json"), names(run));
        assertTrue(Files.readString(run.resolve("config.json")).contains("\"backend\" : \"java\""), "backend recorded");
    }

    @Test
    void aKilledStartIsRecognisedAndItsPathReused() throws IOException {
        Path run = tmp.resolve("run");
        // What kills leave: a half-built directory beside the target, and a target holding only a temp file.
        Files.createDirectories(tmp.resolve(".run.starting-1f2e"));
        Files.writeString(tmp.resolve(".run.starting-1f2e/config.json"), "{\"name\": \"dgq");
        Files.createDirectories(run);
        Files.writeString(run.resolve(".config.json.7a7a.tmp"), "{\"na");

        RunService.train(tiny(1), run, Progress.silent());
        assertEquals(List.of("run"), names(tmp));
        assertEquals(List.of(), leftovers(tmp));
    }

    @Test
    void aDirectoryWithOtherFilesIsRefused() throws IOException {
        Path run = tmp.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("notes.txt"), "mine");
        TrainerException e = assertThrows(TrainerException.class, () -> RunService.train(tiny(1), run, Progress.silent()));
        assertTrue(e.getMessage().contains("holds other files"), e.getMessage());
        assertEquals(List.of("notes.txt"), names(run));
        Path file = tmp.resolve("file");
        Files.writeString(file, "x");
        e = assertThrows(TrainerException.class, () -> RunService.train(tiny(1), file, Progress.silent()));
        assertTrue(e.getMessage().contains("is a file"), e.getMessage());
    }

    @Test
    void aCrashDuringCheckpointWritesIsCleanedUpWhenTheRunContinues() throws IOException {
        Path run = tmp.resolve("run");
        RunService.trainUntil(tiny(2), run, Progress.silent(), 1);
        Path cp = run.resolve("checkpoints");
        assertEquals(List.of("epoch-0001.zip", "state.json"), names(cp));
        // A kill during epoch 2's writes: a partial zip, a complete zip that state.json does not name yet, and a
        // partial state.json.
        Files.write(cp.resolve(".epoch-0002.zip.5d1c.tmp"), new byte[] {'P', 'K', 3});
        Files.copy(cp.resolve("epoch-0001.zip"), cp.resolve("epoch-0002.zip"));
        Files.writeString(cp.resolve(".state.json.93.tmp"), "{\"epochsDone\": 2");
        Files.writeString(run.resolve(".best.zip.0.tmp"), "PK");

        // The same options into the same directory continue the run; so does --resume.
        Trainer.Result r = RunService.train(tiny(2), run, Progress.silent());
        assertEquals(2, r.state().epochsDone());
        assertEquals(List.of("epoch-0002.zip", "state.json"), names(cp));
        assertEquals(List.of(), leftovers(run));
        assertEquals(2, RunService.resume(run, Progress.silent()).state().epochsDone());
    }

    @Test
    void otherOptionsForTheSameDirectoryAndEditedConfigsAreRefusedNamingTheFields() throws IOException {
        Path run = tmp.resolve("run");
        RunService.trainUntil(tiny(2), run, Progress.silent(), 1);

        ConfigMismatchException other = assertThrows(ConfigMismatchException.class,
                () -> RunService.train(tiny(3).with(b -> b.qubits(5)), run, Progress.silent()));
        assertEquals(List.of("circuit.qubits", "epochs"),
                other.differences().stream().map(ConfigMismatchException.Difference::field).toList());
        assertEquals("4", other.differences().get(0).there());
        assertEquals("5", other.differences().get(0).asked());

        Path config = run.resolve("config.json");
        String original = Files.readString(config);
        Files.writeString(config, original.replaceFirst("\"qubits\" : 4", "\"qubits\" : 3"));
        ConfigMismatchException edited = assertThrows(ConfigMismatchException.class,
                () -> RunService.resume(run, Progress.silent()));
        assertEquals(List.of("circuit.qubits"),
                edited.differences().stream().map(ConfigMismatchException.Difference::field).toList());
        assertTrue(edited.getMessage().contains("epoch-0001.zip"), edited.getMessage());

        Files.writeString(config, original.replaceFirst("\"qubits\" : 4", "\"qubits\" : 0"));
        TrainerException invalid = assertThrows(TrainerException.class, () -> RunService.resume(run, Progress.silent()));
        assertTrue(invalid.getMessage().endsWith("config.json: circuit.qubits: 0 (expected 1..30)"), invalid.getMessage());
        assertFalse(invalid.getMessage().contains("Source"), invalid.getMessage());

        Files.writeString(config, original);
        assertEquals(2, RunService.resume(run, Progress.silent()).state().epochsDone());
    }
}
