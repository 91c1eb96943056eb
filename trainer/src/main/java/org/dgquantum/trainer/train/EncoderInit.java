package org.dgquantum.trainer.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dgquantum.trainer.model.DgQuantumGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code --init-from RUN_DIR}: a new run starts its encoder from another run's best model (transfer from a larger
 * dataset the user has, offline). Every encoder layer's parameters are copied, batch-norm running mean and variance
 * included (DL4J keeps them as parameters); the heads (feature norm, quantum layer, class and domain heads) keep
 * their fresh initialization, as they belong to the new task. The two encoders must be the same: same encoder,
 * width and channels (the image size may differ: the encoders end in a global pooling).
 */
public final class EncoderInit {
    /** The layers after the encoder's feature h, which are not copied. */
    static final Set<String> HEADS = Set.of(DgQuantumGraph.FEATURE_NORM, DgQuantumGraph.QUANTUM,
            DgQuantumGraph.CLASS_OUTPUT, DgQuantumGraph.GRL, DgQuantumGraph.DOMAIN_HIDDEN, DgQuantumGraph.DOMAIN_OUTPUT);

    private EncoderInit() {
    }

    /**
     * Copies the encoder of {@code c.initFrom()}'s best model into {@code g} (a new graph of {@code c}) and returns
     * what was copied, e.g. "init from DIR: 52 encoder layers, 1.2M parameters".
     *
     * @throws ConfigException (field initFrom) when the directory is not a run, has no best.zip, or its encoder
     *                         differs from c's (naming the first layer that does not match)
     */
    public static String apply(TrainConfig c, ComputationGraph g) {
        Path dir = Path.of(c.initFrom()).toAbsolutePath().normalize();
        RunFiles source = new RunFiles(dir);
        TrainConfig there;
        try {
            there = source.readConfig();
        } catch (TrainerException e) {
            throw refused(dir, "a run directory of dgq train (" + e.getMessage() + ")");
        }
        if (!Files.isRegularFile(source.best())) {
            throw refused(dir, "a run with a best model (it has no " + RunFiles.BEST + ": no epoch completed yet)");
        }
        ComputationGraph from = RunFiles.loadModel(source.best());
        String encoders = "its encoder " + describe(there) + ", this run's " + describe(c);
        int layers = 0;
        long params = 0;
        // Check everything before changing anything.
        for (String name : encoderLayers(g)) {
            Map<String, INDArray> mine = g.getLayer(name).paramTable();
            Layer theirs = from.getConfiguration().getVertices().containsKey(name) ? from.getLayer(name) : null;
            if (theirs == null) {
                throw refused(dir, "a run with the same encoder: layer " + name + " is missing there (" + encoders + ")");
            }
            for (Map.Entry<String, INDArray> p : mine.entrySet()) {
                INDArray t = theirs.paramTable().get(p.getKey());
                if (t == null || !Arrays.equals(t.shape(), p.getValue().shape())) {
                    throw refused(dir, "a run with the same encoder: layer " + name + " parameter " + p.getKey()
                            + " has shape " + (t == null ? "none" : Arrays.toString(t.shape())) + " there, "
                            + Arrays.toString(p.getValue().shape()) + " here (" + encoders + ")");
                }
            }
        }
        for (String name : encoderLayers(g)) {
            Map<String, INDArray> theirs = from.getLayer(name).paramTable();
            // The tables hold views of the graph's one parameter vector: assign in place.
            g.getLayer(name).paramTable().forEach((key, value) -> value.assign(theirs.get(key)));
            layers++;
            params += g.getLayer(name).numParams();
        }
        return "init from " + dir + ": " + layers + " encoder layers, " + count(params) + " parameters";
    }

    /** The encoder's layers that hold parameters, from the input on (the graph's topological order). */
    static List<String> encoderLayers(ComputationGraph g) {
        List<String> names = new ArrayList<>();
        for (Layer l : g.getLayers()) {
            String name = l.conf().getLayer().getLayerName();
            if (!HEADS.contains(name) && l.numParams() > 0) {
                names.add(name);
            }
        }
        return names;
    }

    private static String describe(TrainConfig c) {
        return String.format(Locale.ROOT, "%s x%s, %d channel%s", c.encoder(), c.width(), c.channels(),
                c.channels() == 1 ? "" : "s");
    }

    private static ConfigException refused(Path dir, String expected) {
        return new ConfigException("initFrom", dir, expected);
    }

    /** 950, 12.3k, 1.2M. */
    static String count(long n) {
        if (n < 1000) {
            return Long.toString(n);
        }
        return n < 1_000_000 ? String.format(Locale.ROOT, "%.1fk", n / 1e3) : String.format(Locale.ROOT, "%.1fM", n / 1e6);
    }
}
