package org.dgquantum.trainer.train;

import org.dgquantum.nd4j.OneDnnHelpers;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.dgquantum.engine.io.AtomicFiles;

/**
 * The files of a run directory and how they are written: every file through {@link AtomicFiles} (a temporary
 * file in the same directory, then {@code ATOMIC_MOVE} over the target), so a reader (or a resumed run) sees the
 * old file or the complete new one, never a partial one.
 * <pre>
 *   RUN_DIR/config.json                  the {@link TrainConfig}
 *   RUN_DIR/checkpoints/epoch-NNNN.zip   model + Adam state after epoch NNNN (ModelSerializer, with updater)
 *   RUN_DIR/checkpoints/state.json       {@link TrainState}: epochs done, step, best epoch/score, history;
 *                                        names the checkpoint zip it belongs to (written after that zip)
 *   RUN_DIR/best.zip                     the model of the best validation epoch (what predict uses)
 *   RUN_DIR/learning.json                {@link LearningCheck}'s verdict on the run, rewritten at the end of
 *                                        every training call: learned, reason, thresholds (or null)
 * </pre>
 */
public final class RunFiles {
    public static final String CONFIG = "config.json";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String STATE = "state.json";
    public static final String BEST = "best.zip";
    public static final String LEARNING = "learning.json";

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

    public Path learning() {
        return dir.resolve(LEARNING);
    }

    /** The config of an existing run, or a {@link TrainerException} naming what is missing or invalid. */
    public TrainConfig readConfig() {
        requireRun();
        return readJson(config(), TrainConfig.class);
    }

    /** The checkpoint state, or null when no epoch has completed yet. */
    public TrainState readState() {
        return Files.isRegularFile(state()) ? readJson(state(), TrainState.class) : null;
    }

    /**
     * The checkpoint state of the run in {@code runDir} (for {@link LearningCheck#of} and reports), or null when no
     * epoch has completed yet; a {@link TrainerException} when it is not a run directory.
     */
    public static TrainState readState(Path runDir) {
        RunFiles files = new RunFiles(runDir);
        files.requireRun();
        return files.readState();
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

    /**
     * Removes what interrupted writes left behind: temporary files, and checkpoint zips that state.json does
     * not name (a kill between writing a zip and the state naming it). Called before a run continues.
     */
    public void deleteLeftovers() {
        try {
            AtomicFiles.deleteLeftovers(dir);
            Path checkpoints = dir.resolve(CHECKPOINTS);
            AtomicFiles.deleteLeftovers(checkpoints);
            if (Files.isDirectory(checkpoints)) {
                TrainState s = readState();
                String keep = s == null ? null : s.checkpoint();
                try (var zips = Files.newDirectoryStream(checkpoints, "epoch-*.zip")) {
                    for (Path z : zips) {
                        if (!z.getFileName().toString().equals(keep)) {
                            Files.deleteIfExists(z);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new TrainerException("run directory " + dir + ": cannot clean up: " + e.getMessage());
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

    /** Reads a JSON file of a run; a malformed or invalid one is one line naming the file, the place and the problem. */
    public static <T> T readJson(Path file, Class<T> type) {
        try {
            return JSON.readValue(file.toFile(), type);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof ConfigException c) {
                throw new TrainerException(file + ": " + c.getMessage());
            }
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? ""
                    : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new TrainerException(file + ": invalid" + where + ": " + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new TrainerException(file + ": cannot read: " + oneLine(e));
        }
    }

    public static void writeJson(Path target, Object value) {
        write(target, out -> JSON.writeValue(out, value));
    }

    public static void writeModel(Path target, ComputationGraph g, boolean withUpdater) {
        write(target, out -> ModelSerializer.writeModel(g, out, withUpdater));
    }

    /** Writes a run file atomically ({@link AtomicFiles}); a failure (disk full, permissions) is a user error. */
    public static void write(Path target, AtomicFiles.Body body) {
        try {
            AtomicFiles.write(target, body);
        } catch (IOException e) {
            throw new TrainerException("cannot write " + target.toAbsolutePath() + ": " + oneLine(e));
        }
    }

    /** Deletes a file if present (older checkpoints). */
    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            System.getLogger(RunFiles.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot delete old checkpoint " + p + ": " + e.getMessage());
        }
    }

    public static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return oneLine(m);
    }

    static String oneLine(String m) {
        return m == null ? "" : m.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
