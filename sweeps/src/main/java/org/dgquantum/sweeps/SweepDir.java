package org.dgquantum.sweeps;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dgquantum.engine.io.AtomicFiles;
import org.dgquantum.trainer.train.RunFiles;
import org.dgquantum.trainer.train.TrainConfig;
import org.dgquantum.trainer.train.TrainState;
import org.dgquantum.trainer.train.TrainerException;

/**
 * A sweep directory (DomainBed's layout):
 * <pre>
 *   SWEEP_DIR/sweep.json             the spec expanded: every run's index, directory, options and configuration
 *   SWEEP_DIR/runs/NAME/             the run directory (dgq train's files) plus, from the sweep task:
 *   SWEEP_DIR/runs/NAME/predictions.csv   the unseen centers, without and with test-time adaptation
 *   SWEEP_DIR/runs/NAME/done         marker: the run is finished (written last, atomically)
 *   SWEEP_DIR/runs/NAME/error.txt    why the last attempt failed (removed when a new attempt starts)
 *   SWEEP_DIR/logs/NAME.log          output of the local workers (appended per attempt)
 *   SWEEP_DIR/logs/slurm-JOB_INDEX.out    output of the Slurm array tasks
 *   SWEEP_DIR/slurm/                 the sbatch scripts and jobs.txt (the submitted job ids)
 * </pre>
 */
public final class SweepDir {
    public static final String SWEEP_JSON = "sweep.json";
    public static final String RUNS = "runs";
    public static final String LOGS = "logs";
    public static final String SLURM = "slurm";
    public static final String DONE = "done";
    public static final String ERROR = "error.txt";
    static final String FORMAT = "dgquantum-sweep/1";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** What is known of a run from its files. */
    public enum State { DONE, FAILED, STARTED, PENDING }

    private final Path dir;
    private final List<SweepPlan.Run> runs;
    private final String spec;

    private SweepDir(Path dir, List<SweepPlan.Run> runs, String spec) {
        this.spec = spec;
        this.dir = dir;
        this.runs = List.copyOf(runs);
    }

    public Path dir() {
        return dir;
    }

    public List<SweepPlan.Run> runs() {
        return runs;
    }

    public Path runDir(SweepPlan.Run r) {
        return dir.resolve(RUNS).resolve(r.directory());
    }

    public Path done(SweepPlan.Run r) {
        return runDir(r).resolve(DONE);
    }

    public Path error(SweepPlan.Run r) {
        return runDir(r).resolve(ERROR);
    }

    public Path log(SweepPlan.Run r) {
        return dir.resolve(LOGS).resolve(r.directory() + ".log");
    }

    public State state(SweepPlan.Run r) {
        if (Files.isRegularFile(done(r))) {
            return State.DONE;
        }
        if (Files.isRegularFile(error(r))) {
            return State.FAILED;
        }
        return Files.isRegularFile(runDir(r).resolve(RunFiles.CONFIG)) ? State.STARTED : State.PENDING;
    }

    /** The first line of a failed run's error file (empty when there is none). */
    public String errorLine(SweepPlan.Run r) {
        try {
            return Files.readString(error(r), StandardCharsets.UTF_8).lines().findFirst().orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    /** "epoch 1/2" for a started run with a checkpoint, "" otherwise. */
    public String progress(SweepPlan.Run r) {
        Path state = runDir(r).resolve(RunFiles.CHECKPOINTS).resolve(RunFiles.STATE);
        if (!Files.isRegularFile(state)) {
            return "";
        }
        try {
            TrainState s = RunFiles.readJson(state, TrainState.class);
            return "epoch " + s.epochsDone() + "/" + r.config().epochs();
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** The runs not yet done, in index order. */
    public List<SweepPlan.Run> unfinished() {
        return runs.stream().filter(r -> state(r) != State.DONE).toList();
    }

    /**
     * Checks that {@code dir} can take the sweep of {@code plan} without writing anything: it is new, empty, or
     * holds the same sweep (same run directories). {@code option} names it in errors.
     */
    public static void check(Path dir, SweepPlan plan, String option) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new TrainerException(option + " " + dir + ": is a file (expected a sweep directory)");
        }
        if (!Files.isDirectory(abs)) {
            return;
        }
        if (Files.isRegularFile(abs.resolve(SWEEP_JSON))) {
            SweepDir there = open(abs, option);
            List<String> a = there.runs.stream().map(SweepPlan.Run::directory).toList();
            List<String> b = plan.runs().stream().map(SweepPlan.Run::directory).toList();
            if (!a.equals(b)) {
                long common = b.stream().filter(a::contains).count();
                throw new TrainerException(option + " " + dir + ": holds another sweep (" + a.size() + " runs, "
                        + common + " of them in " + plan.file() + "'s " + b.size() + "); expected the same spec to"
                        + " continue it, or a new directory");
            }
            return;
        }
        try (Stream<Path> s = Files.list(abs)) {
            if (s.findAny().isPresent()) {
                throw new TrainerException(option + " " + dir + ": holds other files and no " + SWEEP_JSON
                        + " (expected a new or empty directory, or a sweep directory)");
            }
        } catch (IOException e) {
            throw new TrainerException(option + " " + dir + ": cannot list: " + RunFiles.oneLine(e));
        }
    }

    /** Creates (or reuses, after {@link #check}) the sweep directory of {@code plan}: sweep.json, runs/, logs/. */
    public static SweepDir create(Path dir, SweepPlan plan, String option) {
        check(dir, plan, option);
        Path abs = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(abs.resolve(RUNS));
            Files.createDirectories(abs.resolve(LOGS));
            if (!Files.isRegularFile(abs.resolve(SWEEP_JSON))) {
                ObjectNode root = JSON.createObjectNode();
                root.put("format", FORMAT);
                root.put("spec", specName(plan));
                ArrayNode a = root.putArray("runs");
                for (SweepPlan.Run r : plan.runs()) {
                    ObjectNode n = a.addObject();
                    n.put("index", r.index());
                    n.put("directory", r.directory());
                    n.set("options", JSON.valueToTree(r.options()));
                    n.set("config", JSON.valueToTree(r.config()));
                }
                AtomicFiles.write(abs.resolve(SWEEP_JSON), out -> JSON.writeValue(out, root));
            }
        } catch (IOException e) {
            throw new TrainerException(option + " " + dir + ": cannot write: " + RunFiles.oneLine(e));
        }
        return new SweepDir(abs, plan.runs(), specName(plan));
    }

    /** Whether {@code dir} is a sweep directory (holds sweep.json). */
    public static boolean isSweep(Path dir) {
        return Files.isRegularFile(dir.resolve(SWEEP_JSON));
    }

    /** Opens an existing sweep directory; {@code option} names it in errors. */
    public static SweepDir open(Path dir, String option) {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            throw new TrainerException(option + " " + dir + ": does not exist (expected a sweep directory)");
        }
        Path file = abs.resolve(SWEEP_JSON);
        if (!Files.isRegularFile(file)) {
            throw new TrainerException(option + " " + dir + ": has no " + SWEEP_JSON + " (not a sweep directory)");
        }
        JsonNode root = RunFiles.readJson(file, JsonNode.class);
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new TrainerException(file + ": format " + root.path("format") + " (expected \"" + FORMAT + "\")");
        }
        List<SweepPlan.Run> runs = new ArrayList<>();
        for (JsonNode n : root.path("runs")) {
            try {
                Map<String, String> options = new LinkedHashMap<>();
                n.path("options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
                runs.add(new SweepPlan.Run(n.path("index").asInt(), n.path("directory").asText(), 
                        JSON.treeToValue(n.path("config"), TrainConfig.class), options));
            } catch (IOException | RuntimeException e) {
                throw new TrainerException(file + ": runs[" + runs.size() + "]: invalid: " + RunFiles.oneLine(e));
            }
        }
        return new SweepDir(abs, runs, root.path("spec").asText());
    }

    /** The spec's file (absolute), or the name of a built-in spec such as {@link Reproduction#SPEC_NAME}. */
    public String spec() {
        return spec;
    }

    private static String specName(SweepPlan plan) {
        return plan.file().equals(Reproduction.SPEC_NAME) ? plan.file().toString()
                : plan.file().toAbsolutePath().normalize().toString();
    }
}
