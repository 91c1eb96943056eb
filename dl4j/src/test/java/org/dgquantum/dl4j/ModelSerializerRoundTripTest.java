package org.dgquantum.dl4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.CircuitSpec;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.JavaBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A library user's save/load cycle for both network kinds DL4J has: the quantum layer (with every circuit field
 * off its default), gradient reversal and feature norm in a {@link ComputationGraph} and in a
 * {@link MultiLayerNetwork}, through DL4J's JSON and through {@link ModelSerializer} with the updater.
 * QuantumLayerTest already covers a graph's JSON with the circuit alone; here the point is the whole model file.
 *
 * <p>Outputs and parameters are compared exactly: the restored parameters are bit-identical and both models run
 * the same code on the same backend (a single-threaded Java backend, whose results do not depend on threads).
 */
class ModelSerializerRoundTripTest {
    private static final int FEATURES = 4;
    private static final int D = 6;
    /** Every field off its default, so a field JSON drops would come back different. */
    private static final CircuitSpec SPEC = new CircuitSpec(3, 2, "RX", List.of("RZ", "RY"), "linear", "parameter-shift");

    // One backend for original and restored models: a restored layer has none (it is not part of the model file).
    private final JavaBackend backend = new JavaBackend(1);

    @AfterEach
    void close() {
        backend.close();
    }

    private static QuantumLayer quantum(boolean classicalControl) {
        return new QuantumLayer.Builder().nIn(D).circuit(SPEC).alpha(0.375).circuitInitScale(0.75)
                .classicalControl(classicalControl).build();
    }

    /** dense -> feature norm -> quantum -> softmax; FLOAT or DOUBLE picks the circuit's precision. */
    static MultiLayerConfiguration mlnConf(DataType dt, boolean classicalControl) {
        return new NeuralNetConfiguration.Builder().seed(11).dataType(dt).updater(new Adam(0.05)).list()
                .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(D).activation(Activation.TANH).build())
                .layer(new FeatureNorm(1e-3))
                .layer(quantum(classicalControl))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(FEATURES))
                .build();
    }

    /** DG-Quantum's shape in small: dense -> h_norm -> quantum -> class head, h_norm -> grl -> domain head. */
    static ComputationGraphConfiguration graphConf(DataType dt, boolean classicalControl) {
        return new NeuralNetConfiguration.Builder().seed(11).dataType(dt).updater(new Adam(0.05)).graphBuilder()
                .addInputs("x")
                .addLayer("dense", new DenseLayer.Builder().nOut(D).activation(Activation.TANH).build(), "x")
                .addLayer("h_norm", new FeatureNorm(1e-3), "dense")
                .addLayer("quantum", quantum(classicalControl), "h_norm")
                .addLayer("class", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "quantum")
                .addLayer("grl", new GradientReversal.Builder().lambda(0.625).build(), "h_norm")
                .addLayer("domain", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "grl")
                .setOutputs("class", "domain")
                .setInputTypes(InputType.feedForward(FEATURES))
                .build();
    }

    private static void assertQuantumFields(QuantumLayer l, boolean classicalControl) {
        Circuit c = l.circuit();
        assertEquals(3, c.qubits());
        assertEquals(2, c.layers());
        assertEquals("RX", c.encoding().name());
        assertEquals(List.of("RZ", "RY"), c.rotations().stream().map(Enum::name).toList());
        assertEquals("LINEAR", c.entangler().name());
        assertEquals(Gradient.PARAMETER_SHIFT, l.gradientMethod());
        assertEquals(SPEC, l.getCircuit());
        assertEquals(0.375, l.getAlpha(), 0.0);
        assertEquals(0.75, l.getCircuitInitScale(), 0.0);
        assertEquals(classicalControl, l.isClassicalControl());
        assertEquals(D, l.getNIn());
        assertEquals(D, l.getNOut());
    }

    @Test
    void multiLayerConfigurationRoundTripsThroughJson() {
        for (boolean control : new boolean[] {false, true}) {
            MultiLayerConfiguration conf = mlnConf(DataType.FLOAT, control);
            String json = conf.toJson();
            MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
            assertEquals(conf, back);
            assertEquals(json, back.toJson());
            assertQuantumFields((QuantumLayer) back.getConf(2).getLayer(), control);
            assertEquals(1e-3, ((FeatureNorm) back.getConf(1).getLayer()).getBeta(), 0.0);
            assertEquals(DataType.FLOAT, back.getDataType());
        }
    }

    @Test
    void graphConfigurationWithGradientReversalAndFeatureNormRoundTripsThroughJson() {
        for (boolean control : new boolean[] {false, true}) {
            ComputationGraphConfiguration conf = graphConf(DataType.DOUBLE, control);
            String json = conf.toJson();
            ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
            assertEquals(conf, back);
            assertEquals(json, back.toJson());
            assertQuantumFields((QuantumLayer) layer(back, "quantum"), control);
            assertEquals(1e-3, ((FeatureNorm) layer(back, "h_norm")).getBeta(), 0.0);
            assertEquals(0.625, ((GradientReversal) layer(back, "grl")).getLambda(), 0.0);
            assertEquals(DataType.DOUBLE, back.getDataType());
        }
    }

    private static org.deeplearning4j.nn.conf.layers.Layer layer(ComputationGraphConfiguration conf, String name) {
        return ((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer();
    }

    private static DataSet data(DataType dt, int batch, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(dt, batch, FEATURES).subi(0.5).muli(2);
        INDArray y = Nd4j.zeros(dt, batch, 2);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, (i * 7 / 3) % 2, 1);
        }
        return new DataSet(x, y);
    }

    private static MultiDataSet graphData(DataType dt, int batch, long seed) {
        DataSet d = data(dt, batch, seed);
        INDArray domain = Nd4j.zeros(dt, batch, 3);
        for (int i = 0; i < batch; i++) {
            domain.putScalar(i, i % 3, 1);
        }
        return new MultiDataSet(new INDArray[] {d.getFeatures()}, new INDArray[] {d.getLabels(), domain});
    }

    private static double[][] rows(INDArray a) {
        return a.castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    private static double[] flat(INDArray a) {
        return a.castTo(DataType.DOUBLE).toDoubleVector();
    }

    @Test
    void multiLayerNetworkRestoresOutputsAndUpdaterStateExactly(@TempDir Path dir) throws Exception {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            MultiLayerNetwork net = new MultiLayerNetwork(mlnConf(dt, false));
            net.init();
            QuantumLayerImpl q = (QuantumLayerImpl) net.getLayer(2);
            q.setBackend(backend);
            for (int step = 0; step < 3; step++) {
                net.fit(data(dt, 8, 100 + step));
            }
            File file = dir.resolve("mln-" + dt + ".zip").toFile();
            ModelSerializer.writeModel(net, file, true);

            MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(file, true);
            QuantumLayerImpl bq = (QuantumLayerImpl) back.getLayer(2);
            // The backend is not saved: a restored layer falls back to the lazy default until given one.
            assertSame(QuantumBackends.shared(), bq.backend());
            bq.setBackend(backend);
            assertEquals(net.getLayerWiseConfigurations(), back.getLayerWiseConfigurations());
            assertQuantumFields(bq.layerConf(), false);
            assertEquals(dt, bq.getParam(QuantumParamInitializer.CIRCUIT).dataType());
            assertArrayEquals(flat(net.params()), flat(back.params()), 0.0, dt + ": parameters");
            assertArrayEquals(flat(net.getUpdater().getStateViewArray()), flat(back.getUpdater().getStateViewArray()),
                    0.0, dt + ": Adam's moments");

            INDArray x = data(dt, 5, 7).getFeatures();
            assertArrayEquals(rows(net.output(x)), rows(back.output(x)), dt + ": outputs");

            // One more step on each: equal only if Adam's moments and iteration count came back too.
            DataSet next = data(dt, 8, 200);
            MultiLayerNetwork noUpdater = ModelSerializer.restoreMultiLayerNetwork(file, false);
            ((QuantumLayerImpl) noUpdater.getLayer(2)).setBackend(backend);
            net.fit(next);
            back.fit(next);
            noUpdater.fit(next);
            assertArrayEquals(flat(net.params()), flat(back.params()), 0.0, dt + ": parameters after one more step");
            assertFalse(net.params().equals(noUpdater.params()),
                    dt + ": without the updater state the step differs (else this test could not fail)");
            assertArrayEquals(rows(net.output(x)), rows(back.output(x)), dt + ": outputs after one more step");
        }
    }

    @Test
    void computationGraphRestoresOutputsAndUpdaterStateExactly(@TempDir Path dir) throws Exception {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            ComputationGraph g = new ComputationGraph(graphConf(dt, false));
            g.init();
            ((QuantumLayerImpl) g.getLayer("quantum")).setBackend(backend);
            ((GradientReversalImpl) g.getLayer("grl")).setLambda(0.25); // a value set during training is kept
            for (int step = 0; step < 3; step++) {
                g.fit(graphData(dt, 9, 300 + step));
            }
            File file = dir.resolve("graph-" + dt + ".zip").toFile();
            ModelSerializer.writeModel(g, file, true);

            ComputationGraph back = ModelSerializer.restoreComputationGraph(file, true);
            QuantumLayerImpl bq = (QuantumLayerImpl) back.getLayer("quantum");
            assertSame(QuantumBackends.shared(), bq.backend());
            bq.setBackend(backend);
            assertEquals(g.getConfiguration(), back.getConfiguration());
            assertQuantumFields(bq.layerConf(), false);
            assertEquals(0.25, ((GradientReversalImpl) back.getLayer("grl")).getLambda(), 0.0);
            assertEquals(dt, bq.getParam(QuantumParamInitializer.WQ).dataType());
            assertArrayEquals(flat(g.params()), flat(back.params()), 0.0, dt + ": parameters");
            assertArrayEquals(flat(g.getUpdater().getStateViewArray()), flat(back.getUpdater().getStateViewArray()),
                    0.0, dt + ": Adam's moments");

            INDArray x = data(dt, 5, 8).getFeatures();
            INDArray[] before = g.output(x);
            INDArray[] after = back.output(x);
            for (int o = 0; o < 2; o++) {
                assertArrayEquals(rows(before[o]), rows(after[o]), dt + ": output " + o);
            }

            MultiDataSet next = graphData(dt, 9, 400);
            ComputationGraph noUpdater = ModelSerializer.restoreComputationGraph(file, false);
            ((QuantumLayerImpl) noUpdater.getLayer("quantum")).setBackend(backend);
            g.fit(next);
            back.fit(next);
            noUpdater.fit(next);
            assertArrayEquals(flat(g.params()), flat(back.params()), 0.0, dt + ": parameters after one more step");
            assertFalse(g.params().equals(noUpdater.params()),
                    dt + ": without the updater state the step differs (else this test could not fail)");
        }
    }

    @Test
    void restoredLayerKeepsItsGradientMethodAndClassicalControl(@TempDir Path dir) throws Exception {
        // parameter shift: the restored layer must ask the backend for it, not fall back to adjoint.
        MultiLayerNetwork net = new MultiLayerNetwork(mlnConf(DataType.FLOAT, false));
        net.init();
        File file = dir.resolve("ps.zip").toFile();
        ModelSerializer.writeModel(net, file, false);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(file, false);
        CountingBackend counting = new CountingBackend();
        try {
            ((QuantumLayerImpl) back.getLayer(2)).setBackend(counting);
            back.fit(data(DataType.FLOAT, 4, 1));
            assertEquals(1, counting.backwards.get());
            assertEquals(Gradient.PARAMETER_SHIFT, counting.lastMethod);
        } finally {
            counting.close();
        }

        // the classical control: restored as the control, so the circuit backend is never called
        ComputationGraph g = new ComputationGraph(graphConf(DataType.FLOAT, true));
        g.init();
        file = dir.resolve("control.zip").toFile();
        ModelSerializer.writeModel(g, file, true);
        ComputationGraph gBack = ModelSerializer.restoreComputationGraph(file, true);
        CountingBackend unused = new CountingBackend();
        try {
            QuantumLayerImpl q = (QuantumLayerImpl) gBack.getLayer("quantum");
            q.setBackend(unused);
            assertTrue(q.layerConf().isClassicalControl());
            assertSame(ClassicalControl.INSTANCE, q.backend());
            INDArray x = graphData(DataType.FLOAT, 3, 5).getFeatures(0);
            assertArrayEquals(rows(g.output(x)[0]), rows(gBack.output(x)[0]), "the control's outputs");
            gBack.fit(graphData(DataType.FLOAT, 4, 2));
            assertEquals(0, unused.forwards.get() + unused.backwards.get(), "the circuit backend must not be called");
        } finally {
            unused.close();
        }
    }
}
