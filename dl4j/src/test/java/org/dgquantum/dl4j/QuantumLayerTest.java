package org.dgquantum.dl4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.CircuitSpec;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.JavaBackend;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantumLayerTest {

    static ComputationGraphConfiguration conf(DataType dt, int d, QuantumLayer layer) {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(dt).updater(new Adam(1e-2)).graphBuilder()
                .addInputs("h")
                .addLayer("q", layer, "h")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(d).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "q")
                .setOutputs("out")
                .setInputTypes(InputType.feedForward(d))
                .build();
    }

    @Test
    void defaultsAreEightQubitsThreeLayersRyRzRingAdjoint() {
        QuantumLayer l = new QuantumLayer.Builder().nIn(256).build();
        assertEquals(Circuit.standard(8, 3), l.circuit());
        assertEquals(Gradient.ADJOINT, l.gradientMethod());
        assertEquals(256, l.getNOut());
        assertEquals(2 * 256 * 8 + 3 * 8 * 2, QuantumParamInitializer.getInstance().numParams(l));
    }

    @Test
    void forwardIsResidualOfTheEngineCircuitOnPiTanhAngles() {
        int d = 5;
        int n = 3;
        double alpha = 0.7;
        QuantumLayer layer = new QuantumLayer.Builder().nIn(d)
                .circuit(new CircuitSpec(n, 2, "RY", List.of("RX", "RZ"), "linear", "adjoint")).alpha(alpha).build();
        ComputationGraph g = new ComputationGraph(conf(DataType.DOUBLE, d, layer));
        g.init();
        CountingBackend backend = new CountingBackend();
        QuantumLayerImpl q = (QuantumLayerImpl) g.getLayer("q");
        q.setBackend(backend);

        Nd4j.getRandom().setSeed(1);
        int batch = 4;
        INDArray h = Nd4j.rand(DataType.DOUBLE, batch, d).subi(0.5);
        INDArray out = g.feedForward(new INDArray[] {h}, false).get("q");

        // Independent computation with the engine directly.
        INDArray wq = q.getParam(QuantumParamInitializer.WQ); // [d, n]
        INDArray wr = q.getParam(QuantumParamInitializer.WR); // [n, d]
        INDArray w = q.getParam(QuantumParamInitializer.CIRCUIT);
        double[] theta = new double[batch * n];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < n; j++) {
                double a = 0;
                for (int i = 0; i < d; i++) {
                    a += h.getDouble(b, i) * wq.getDouble(i, j);
                }
                theta[b * n + j] = Math.PI * Math.tanh(a);
            }
        }
        double[] weights = new double[layer.circuit().weightCount()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = w.getDouble(0, i);
        }
        double[] z = new double[batch * n];
        try (JavaBackend ref = new JavaBackend(1)) {
            ref.forward(Circuit.of(n, 2, "RY", List.of("RX", "RZ"), "linear"), batch, theta, weights, z);
        }
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < d; i++) {
                double expected = h.getDouble(b, i);
                for (int j = 0; j < n; j++) {
                    expected += alpha * z[b * n + j] * wr.getDouble(j, i);
                }
                assertEquals(expected, out.getDouble(b, i), 1e-12, "out[" + b + "][" + i + "]");
            }
        }
        assertEquals(1, backend.forwards.get(), "one batched engine call per forward pass");
        assertEquals(batch, backend.lastBatch);
    }

    @Test
    void trainingGoesThroughTheInjectedBackendInFloat32AndChangesAllParameters() {
        int d = 6;
        ComputationGraph g = new ComputationGraph(conf(DataType.FLOAT, d,
                new QuantumLayer.Builder().nIn(d).qubits(3).circuitLayers(2).build()));
        g.init();
        CountingBackend backend = new CountingBackend();
        QuantumLayerImpl q = (QuantumLayerImpl) g.getLayer("q");
        q.setBackend(backend);
        assertEquals(DataType.FLOAT, q.getParam(QuantumParamInitializer.CIRCUIT).dataType());

        INDArray before = q.params().dup();
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, d);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 2);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % 2, 1);
        }
        g.fit(new MultiDataSet(new INDArray[] {x}, new INDArray[] {y}));
        assertTrue(backend.forwards.get() >= 1);
        assertEquals(1, backend.backwards.get(), "one batched engine VJP per backward pass");
        INDArray after = q.params();
        for (String key : List.of(QuantumParamInitializer.WQ, QuantumParamInitializer.WR, QuantumParamInitializer.CIRCUIT)) {
            assertNotEquals(0.0, q.getParam(key).sub(paramSlice(before, key, d, 3)).norm2Number().doubleValue(),
                    key + " must be trained");
        }
        assertEquals(before.length(), after.length());
        assertTrue(q.circuitNanos() > 0 && q.layerNanos() >= q.circuitNanos());
    }

    /** A seeded batch of features in [-1, 1) and alternating one-hot labels (two classes). */
    static MultiDataSet data(DataType dt, int batch, int features, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(dt, batch, features).subi(0.5).muli(2);
        INDArray y = Nd4j.zeros(dt, batch, 2);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % 2, 1);
        }
        return new MultiDataSet(new INDArray[] {x}, new INDArray[] {y});
    }

    private static INDArray paramSlice(INDArray flat, String key, int d, int n) {
        long wq = (long) d * n;
        INDArray v = flat.reshape(new long[] {flat.length()});
        return switch (key) {
            case QuantumParamInitializer.WQ -> v.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, wq)).reshape('f', new long[] {d, n});
            case QuantumParamInitializer.WR -> v.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(wq, 2 * wq)).reshape('f', new long[] {n, d});
            default -> v.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2 * wq, v.length())).reshape('c', new long[] {1, v.length() - 2 * wq});
        };
    }

    @Test
    void configurationRoundTripsThroughDl4jJson() {
        QuantumLayer layer = new QuantumLayer.Builder().nIn(7)
                .circuit(new CircuitSpec(5, 4, "rx", List.of("RZ", "ry", "RX"), "None", "parameter-shift")).alpha(0.25)
                .circuitInitScale(0.5).build();
        ComputationGraphConfiguration conf = conf(DataType.FLOAT, 7, layer);
        String json = conf.toJson();
        assertTrue(json.contains(QuantumLayer.class.getName()), json);
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
        assertEquals(conf, back);
        assertEquals(json, back.toJson());
        QuantumLayer l = (QuantumLayer) ((LayerVertex) back.getVertices().get("q")).getLayerConf().getLayer();
        assertEquals(Circuit.of(5, 4, "RX", List.of("RZ", "RY", "RX"), "none"), l.circuit());
        assertEquals(Gradient.PARAMETER_SHIFT, l.gradientMethod());
        // the spec is stored canonical, so equal circuits have equal JSON
        assertEquals(new CircuitSpec(5, 4, "RX", List.of("RZ", "RY", "RX"), "none", "parameter-shift"), l.getCircuit());
        assertEquals(0.25, l.getAlpha());
        assertEquals(7, l.getNOut());
        // and a network built from the parsed JSON runs
        ComputationGraph g = new ComputationGraph(back);
        g.init();
        ((QuantumLayerImpl) g.getLayer("q")).setBackend(new CountingBackend());
        assertEquals(2, g.outputSingle(Nd4j.rand(DataType.FLOAT, 3, 7)).size(1));
    }

    @Test
    void badSettingsAreRejectedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new QuantumLayer.Builder().nIn(4)
                .circuit(CircuitSpec.DEFAULT.withRotations(List.of("RY", "RQ"))).build());
        assertTrue(e.getMessage().contains("rotations[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new QuantumLayer.Builder().nIn(4)
                .circuit(CircuitSpec.DEFAULT.withGradient("finite")).build());
        assertTrue(e.getMessage().contains("gradient"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new QuantumLayer.Builder().nIn(4).circuitLayers(0).build());
        assertTrue(e.getMessage().startsWith("layers: 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new QuantumLayer.Builder().nIn(4).qubits(0).build());
        assertTrue(e.getMessage().contains("qubits"), e.getMessage());
    }
}
