package org.dgquantum.examples.library;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dgquantum.dl4j.QuantumLayer;
import org.dgquantum.dl4j.QuantumLayerImpl;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.Backends;
import org.dgquantum.engine.QuantumBackend;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The quantum layer in the two kinds of DL4J network: dense -> quantum -> softmax, trained a few steps on made-up
 * data, saved with {@link ModelSerializer}, loaded, and checked to give the same outputs. The snippets between
 * the {@code // snippet:} markers are the ones in docs/library.md (DocsSnippetsTest keeps them identical).
 */
public final class Dl4jExample {
    static final int FEATURES = 8;
    static final int STEPS = 30;

    private Dl4jExample() {
    }

    /** What a run did: the loss before and after training, and the largest output difference after loading. */
    public record Result(String model, double lossBefore, double lossAfter, double maxOutputDifference) {
    }

    static ComputationGraphConfiguration graphConfiguration() {
        // snippet: graph
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42).dataType(DataType.FLOAT).updater(new Adam(1e-2))
                .graphBuilder()
                .addInputs("x")
                .addLayer("dense", new DenseLayer.Builder().nOut(16).activation(Activation.TANH).build(), "x")
                .addLayer("quantum", new QuantumLayer.Builder().qubits(4).circuitLayers(2).build(), "dense")
                .addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "quantum")
                .setOutputs("out")
                .setInputTypes(InputType.feedForward(FEATURES))
                .build();
        // end snippet
        return conf;
    }

    static MultiLayerConfiguration multiLayerConfiguration() {
        // snippet: multilayer
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42).dataType(DataType.FLOAT).updater(new Adam(1e-2))
                .list()
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.TANH).build())
                .layer(new QuantumLayer.Builder().qubits(4).circuitLayers(2).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(FEATURES))
                .build();
        // end snippet
        return conf;
    }

    /** Two classes of made-up data: class 1 is shifted by +0.5 in every feature. */
    static DataSet data(int batch, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.FLOAT, batch, FEATURES).muli(0.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 2);
        for (int i = 0; i < batch; i++) {
            int label = i % 2;
            y.putScalar(i, label, 1);
            x.getRow(i).addi(label == 1 ? 0.5 : -0.5);
        }
        return new DataSet(x, y);
    }

    // snippet: backend
    /** Hands a backend to every quantum layer of a network (a loaded network has none: it is not saved). */
    static void useBackend(Model network, QuantumBackend backend) {
        Layer[] layers = network instanceof ComputationGraph g ? g.getLayers() : ((MultiLayerNetwork) network).getLayers();
        for (Layer layer : layers) {
            if (layer instanceof QuantumLayerImpl quantum) {
                quantum.setBackend(backend);
            }
        }
    }
    // end snippet

    /**
     * The ComputationGraph on a backend this method opens and closes (the caller of setBackend owns it): trained,
     * saved, loaded, compared.
     */
    public static Result graph(Path dir) throws IOException, BackendUnavailableException {
        try (QuantumBackend backend = Backends.best()) {
            ComputationGraph net = new ComputationGraph(graphConfiguration());
            net.init();
            useBackend(net, backend);
            DataSet test = data(64, 1);
            double before = net.score(test);
            for (int step = 0; step < STEPS; step++) {
                net.fit(data(32, 100 + step));
            }
            double after = net.score(test);

            // snippet: save-graph
            File file = dir.resolve("graph.zip").toFile();
            ModelSerializer.writeModel(net, file, true); // true: with the updater state, to train on
            ComputationGraph loaded = ModelSerializer.restoreComputationGraph(file, true);
            // end snippet
            useBackend(loaded, backend);
            double diff = maxDifference(net.outputSingle(test.getFeatures()), loaded.outputSingle(test.getFeatures()));
            return new Result("ComputationGraph", before, after, diff);
        }
    }

    /** The MultiLayerNetwork on the lazy default backend (QuantumBackends.shared(), never closed). */
    public static Result multiLayer(Path dir) throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(multiLayerConfiguration());
        net.init();
        DataSet test = data(64, 1);
        double before = net.score(test);
        for (int step = 0; step < STEPS; step++) {
            net.fit(data(32, 100 + step));
        }
        double after = net.score(test);

        // snippet: save-multilayer
        File file = dir.resolve("multilayer.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(file, true);
        // end snippet
        double diff = maxDifference(net.output(test.getFeatures()), loaded.output(test.getFeatures()));
        return new Result("MultiLayerNetwork", before, after, diff);
    }

    static double maxDifference(INDArray a, INDArray b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            return Double.POSITIVE_INFINITY;
        }
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    /** Runs both examples and fails (non-zero exit) when a loaded model's outputs differ from the saved one's. */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("dgquantum-example-");
        try {
            for (Result r : new Result[] {graph(dir), multiLayer(dir)}) {
                System.out.printf("%s: loss %.4f -> %.4f after %d steps; loaded model's outputs differ by %g%n",
                        r.model(), r.lossBefore(), r.lossAfter(), STEPS, r.maxOutputDifference());
                if (r.maxOutputDifference() != 0) {
                    throw new IllegalStateException(r.model() + ": the loaded model's outputs differ by "
                            + r.maxOutputDifference());
                }
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
