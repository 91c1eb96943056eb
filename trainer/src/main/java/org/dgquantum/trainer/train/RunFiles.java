package org.dgquantum.trainer.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The files of a run directory and how they are written: every file through a temporary file in the same
 * directory, then {@code ATOMIC_MOVE} over the target, so a reader (or a resumed run) sees the old file or
 * the complete new one, never a partial one.
 * <pre>
 *   RUN_DIR/config.json                  the {@link TrainConfig}
 *   RUN_DIR/checkpoints/epoch-NNNN.zip   model + Adam state after epoch NNNN (ModelSerializer, with updater)
 *   RUN_DIR/checkpoints/state.json       {@link TrainState}: epochs done, step, best epoch/score, history;
 *                                        names the checkpoint zip it belongs to (written after that zip)
 *   RUN_DIR/best.zip                     the model of the best validation epoch (what predict uses)
 * </pre>
 */
public final class RunFiles {
    public static final String CONFIG = "config.json";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String STATE = "state.json";
    public static final String BEST = "best.zip";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;

    public RunFiles(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    public Path config() {
        return dir.resolve(CONFIG);
    }

    public Path state() {
        return dir.resolve(CHECKPOINTS).resolve(STATE);
    }

    public Path checkpoint(int epoch) {
        return dir.resolve(CHECKPOINTS).resolve(String.format("epoch-%04d.zip", epoch));
    }

    public Path best() {
        return dir.resolve(BEST);
    }

    /** The config of an existing run, or a {@link TrainerException} naming what is missing. */
    public TrainConfig readConfig() {
        requireRun();
        try {
            return JSON.readValue(config().toFile(), TrainConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new TrainerException("run directory " + dir + ": cannot read " + CONFIG + ": " + oneLine(e));
        }
    }

    /** The checkpoint state, or null when no epoch has completed yet. */
    public TrainState readState() {
        if (!Files.isRegularFile(state())) {
            return null;
        }
        try {
            return JSON.readValue(state().toFile(), TrainState.class);
        } catch (IOException e) {
            throw new TrainerException("run directory " + dir + ": cannot read " + state() + ": " + oneLine(e));
        }
    }

    /** Throws unless {@code dir} looks like a run directory (has config.json). */
    public void requireRun() {
        if (!Files.isDirectory(dir)) {
            throw new TrainerException("run directory " + dir + " does not exist");
        }
        if (!Files.isRegularFile(config())) {
            throw new TrainerException("run directory " + dir + " has no " + CONFIG + " (not a dgq train output)");
        }
    }

    /** Restores a saved model (with its updater state when present). */
    public static ComputationGraph loadModel(Path zip) {
        OneDnnHelpers.enable();
        if (!Files.isRegularFile(zip)) {
            throw new TrainerException("model file " + zip + " does not exist");
        }
        try {
            return ModelSerializer.restoreComputationGraph(zip.toFile(), true);
        } catch (IOException | RuntimeException e) {
            throw new TrainerException("cannot read model " + zip + ": " + oneLine(e));
        }
    }

    public static void writeJson(Path target, Object value) {
        writeAtomically(target, out -> JSON.writeValue(out, value));
    }

    public static void writeModel(Path target, ComputationGraph g, boolean withUpdater) {
        writeAtomically(target, out -> ModelSerializer.writeModel(g, out, withUpdater));
    }

    /** Body that writes to a stream. */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    /** Writes {@code body} to a temporary file next to {@code target}, then renames it with ATOMIC_MOVE. */
    public static void writeAtomically(Path target, Body body) {
        Path abs = target.toAbsolutePath();
        try {
            Files.createDirectories(abs.getParent());
            Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    body.write(out);
                }
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + abs + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a file if present (older checkpoints). */
    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (NoSuchFileException ignored) {
            // gone already
        } catch (IOException e) {
            System.getLogger(RunFiles.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot delete old checkpoint " + p + ": " + e.getMessage());
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
