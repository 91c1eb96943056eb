package org.dgquantum.trainer.runs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dgquantum.data.DataBundle;
import org.dgquantum.data.Dataset;
import org.dgquantum.eval.Prediction;
import org.dgquantum.engine.BackendCalibration;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.Backends;
import org.dgquantum.engine.Precision;
import org.dgquantum.engine.QuantumBackend;
import org.dgquantum.trainer.model.DgQuantumGraph;
import org.dgquantum.trainer.train.ConfigException;
import org.dgquantum.trainer.train.EncoderInit;
import org.dgquantum.trainer.train.Predictor;
import org.dgquantum.trainer.train.Progress;
import org.dgquantum.trainer.train.RunFiles;
import org.dgquantum.trainer.train.TrainConfig;
import org.dgquantum.trainer.train.TrainState;
import org.dgquantum.trainer.train.Trainer;

/**
 * The one way every command ({@code train}, {@code predict}, {@code demo}, sweeps) starts, continues and uses a
 * training run. A start checks everything it can before it touches the disk, in this order: the configuration
 * (its constructor validates every field), the quantum backend (opened for the run and closed after it; its qubit
 * limit), the output path, the data (loaded,
 * both classes present in both parts of the training/validation split), a {@code --init-from} run (a run directory
 * with a best model of the same encoder, {@link EncoderInit}); only then is the run directory created,
 * atomically ({@link RunDirectory}). A directory that holds the same configuration continues from its last
 * checkpoint; one with another configuration is refused, naming the differing fields.
 */
public final class RunService {
    private RunService() {
    }

    /** Trains {@code c} into {@code dir}: a new run, or the continuation of the same configuration's run there. */
    public static Trainer.Result train(TrainConfig c, Path dir, Progress progress) {
        return trainUntil(c, dir, progress, Integer.MAX_VALUE);
    }

    /**
     * Like {@link #train}, with the data already loaded by {@link #loadData} for a configuration of the same data
     * options (runs that share their data, such as the demo's models, load it once).
     */
    public static Trainer.Result train(TrainConfig c, Path dir, Progress progress, DataBundle data) {
        return train(c, dir, progress, Integer.MAX_VALUE, () -> data);
    }

    /**
     * Like {@link #train} but stops after epoch {@code stopAfter} as if interrupted there (the checkpoint of
     * that epoch is written); a later call continues it. For tests and staged runs.
     */
    public static Trainer.Result trainUntil(TrainConfig c, Path dir, Progress progress, int stopAfter) {
        return train(c, dir, progress, stopAfter, () -> loadData(c));
    }

    private static Trainer.Result train(TrainConfig c, Path dir, Progress progress, int stopAfter,
                                        Supplier<DataBundle> data) {
        return withBackend(c, backend -> {
            RunFiles files = new RunFiles(dir);
            if (RunDirectory.inspect(files.dir(), c, "--out") == RunDirectory.Found.SAME_RUN) {
                progress.message(c.name() + ": continuing the run in " + files.dir());
                return detached(continueRun(c, files, progress, stopAfter, data, backend));
            }
            DataBundle loaded = data.get();
            if (c.initFrom() != null) {
                // A dry run into a throwaway graph: a bad --init-from fails before the run directory exists.
                EncoderInit.apply(c, DgQuantumGraph.build(c.toGraphOptions()));
            }
            RunDirectory.create(files.dir(), c);
            return detached(Trainer.fit(c, files, null, loaded, progress, stopAfter, backend));
        });
    }

    /** The result with its graph let go of the run's backend, which is closed when the run ends. */
    private static Trainer.Result detached(Trainer.Result r) {
        DgQuantumGraph.setBackend(r.last(), null);
        return r;
    }

    /** Continues the run in {@code dir} from its last checkpoint, with the configuration of its config.json. */
    public static Trainer.Result resume(Path dir, Progress progress) {
        RunFiles files = new RunFiles(dir);
        TrainConfig c = files.readConfig();
        return withBackend(c, backend -> detached(continueRun(c, files, progress, Integer.MAX_VALUE, () -> loadData(c),
                backend)));
    }

    /** The configuration of the run in {@code dir} (its config.json, validated). */
    public static TrainConfig config(Path dir) {
        return new RunFiles(dir).readConfig();
    }

    /**
     * Predictions of a model on a dataset, optionally with test-time adaptation of the BN statistics, named
     * {@code c.name()} or, with adaptation, {@code c.name() + "+tta"} (the model column of predictions.csv).
     */
    public static List<Prediction> predict(TrainConfig c, ComputationGraph g, Dataset d, boolean tta, double eta) {
        String model = c.name() + (tta ? "+tta" : "");
        if (!(eta >= 0 && eta <= 1)) {
            throw new ConfigException("eta", eta, "a number in [0, 1]");
        }
        return withBackend(c, backend -> {
            DgQuantumGraph.setBackend(g, backend);
            try {
                return Predictor.predict(g, d, c.channels(), Math.max(c.batchSize(), 32), tta, eta, model, c.seed());
            } finally {
                DgQuantumGraph.setBackend(g, null); // closed after this call: the graph must not keep it
            }
        });
    }

    /**
     * The data of a run, checked: images of the run's size, both classes in the training part and in the
     * validation part of the split.
     */
    public static DataBundle loadData(TrainConfig c) {
        DataBundle data = Trainer.loadData(c);
        var split = Trainer.split(c, data.source());
        for (Dataset part : List.of(split.train(), split.validation())) {
            int[] n = part.classCounts();
            if (n[0] == 0 || n[1] == 0) {
                throw new ConfigException("validationFraction", c.validationFraction(), "a split that leaves both"
                        + " classes in both parts; of " + data.source().size() + " source images, the "
                        + (part == split.train() ? "training" : "validation") + " part holds " + n[0] + " normal and "
                        + n[1] + " lesion images (use more images per class or another fraction)");
            }
        }
        return data;
    }

    private static Trainer.Result continueRun(TrainConfig c, RunFiles files, Progress progress, int stopAfter,
                                              Supplier<DataBundle> data, QuantumBackend backend) {
        TrainState state = files.readState();
        if (state != null && state.config() != null) {
            var d = RunDirectory.differences(state.config(), c);
            if (!d.isEmpty()) {
                throw new ConfigMismatchException(files.config(), "was edited: its checkpoint "
                        + state.checkpoint() + " was trained with", d, "restore the checkpoint's options, or start"
                        + " a new run");
            }
        }
        files.deleteLeftovers();
        return Trainer.fit(c, files, state, data.get(), progress, stopAfter, backend);
    }

    /**
     * The circuit shape {@code auto} calibrates for: the run's circuit and batch, float32 (the networks' data type),
     * the run's gradient method.
     */
    static BackendCalibration.Shape shape(TrainConfig c) {
        return new BackendCalibration.Shape(c.circuit().circuit(), c.batchSize(), Precision.FLOAT32,
                c.circuit().gradientMethod());
    }

    /**
     * A trained run's best model on its unseen centers, without and then with test-time adaptation (the run's eta):
     * what the demo and a sweep task evaluate.
     */
    public static List<Prediction> predictUnseen(TrainConfig c, Trainer.Result r) {
        List<Prediction> preds = new ArrayList<>(predict(c, r.best(), r.data().target(), false, c.eta()));
        preds.addAll(predict(c, r.best(), r.data().target(), true, c.eta()));
        return preds;
    }

    /**
     * Runs {@code body} with the run's quantum backend (its config's {@code backend}: auto or a named one), which
     * the body hands to the graph's quantum layers, and closes it afterwards. A named backend that is
     * unavailable, or a circuit beyond the backend's qubits, fails before anything else. Without a quantum layer
     * the body gets null, as with the classical control (whose layer uses its own map: nothing to open or calibrate).
     */
    private static <T> T withBackend(TrainConfig c, Function<QuantumBackend, T> body) {
        if (!c.quantum() || c.classicalControl()) {
            return body.apply(null);
        }
        QuantumBackend backend;
        try {
            backend = c.backend().equals(TrainConfig.AUTO_BACKEND) ? Backends.best(shape(c)) : Backends.open(c.backend());
        } catch (BackendUnavailableException e) {
            throw new ConfigException("backend", c.backend(), "an available backend (" + e.getMessage() + ")");
        }
        try (backend) {
            if (c.circuit().qubits() > backend.maxQubits()) {
                throw new ConfigException("circuit.qubits", c.circuit().qubits(), "1.." + backend.maxQubits() + " (the limit of the "
                        + backend.name() + " quantum backend)");
            }
            return body.apply(backend);
        }
    }
}
