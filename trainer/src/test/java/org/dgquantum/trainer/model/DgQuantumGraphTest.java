package org.dgquantum.trainer.model;

import org.dgquantum.dl4j.GradientReversal;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.JavaBackend;
import org.dgquantum.engine.QuantumBackend;
import org.dgquantum.engine.QuantumBuffer;
import org.dgquantum.dl4j.QuantumLayerImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deeplearning4j.util.ModelSerializer;

import java.io.File;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DgQuantumGraphTest {

    /** Counts circuit evaluations going through the engine. */
    static final class Counting implements QuantumBackend {
        final JavaBackend inner = new JavaBackend(1);
        final AtomicInteger forwards = new AtomicInteger();
        final AtomicInteger backwards = new AtomicInteger();

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public int maxQubits() {
            return inner.maxQubits();
        }

        @Override
        public void forward(Circuit c, int batch, QuantumBuffer in, QuantumBuffer w, QuantumBuffer out) {
            forwards.incrementAndGet();
            inner.forward(c, batch, in, w, out);
        }

        @Override
        public void backward(Circuit c, int batch, QuantumBuffer in, QuantumBuffer w, QuantumBuffer up,
                             QuantumBuffer dIn, QuantumBuffer dW, Gradient m) {
            backwards.incrementAndGet();
            inner.backward(c, batch, in, w, up, dIn, dW, m);
        }
    }

    private static DgQuantumGraph.Options tiny(EncoderType model) {
        return DgQuantumGraph.Options.builder().model(model).width(0.25).inputSize(32).qubits(4).circuitLayers(2)
                .build();
    }

    private static MultiDataSet batch(int n, int size) {
        Nd4j.getRandom().setSeed(21);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, 1, size, size);
        INDArray yc = Nd4j.zeros(DataType.FLOAT, n, 2);
        INDArray yd = Nd4j.zeros(DataType.FLOAT, n, 3);
        for (int i = 0; i < n; i++) {
            yc.putScalar(i, i % 2, 1);
            yd.putScalar(i, i % 3, 1);
            if (i % 2 == 1) {
                x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).addi(0.5); // learnable class signal
            }
        }
        return new MultiDataSet(new INDArray[] {x}, new INDArray[] {yc, yd});
    }

    @Test
    void defaultsAreThePapers() {
        DgQuantumGraph.Options o = DgQuantumGraph.Options.builder().build();
        assertEquals(EncoderType.MOBILENETV2, o.model());
        assertEquals(256, o.featureDim());
        assertEquals(8, o.circuit().qubits());
        assertEquals(3, o.circuit().layers());
        assertEquals("RY", o.circuit().encoding());
        assertEquals(List.of("RY", "RZ"), o.circuit().rotations());
        assertEquals("ring", o.circuit().entangler());
        assertEquals("adjoint", o.circuit().gradient());
        assertEquals(3, o.domains());
        assertEquals(2, o.classes());
        assertTrue(o.quantum() && o.adversarial());
        assertEquals(o, o.toBuilder().build());
        assertThrows(IllegalArgumentException.class, () -> o.toBuilder().beta(-1).build());
        assertThrows(IllegalArgumentException.class, () -> o.toBuilder().gradient("fd").build());
        assertThrows(IllegalArgumentException.class, () -> o.toBuilder().model("vgg16"));
    }

    @Test
    void fullGraphRoundTripsThroughJson() {
        ComputationGraphConfiguration conf = DgQuantumGraph.configuration(tiny(EncoderType.EFFICIENTNET_B0));
        String json = conf.toJson();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
        assertEquals(conf, back);
        assertEquals(json, back.toJson());
        assertEquals(List.of(DgQuantumGraph.CLASS_OUTPUT, DgQuantumGraph.DOMAIN_OUTPUT), back.getNetworkOutputs());
    }

    @Test
    void parameterCountIsEncoderPlusHeads() {
        DgQuantumGraph.Options o = tiny(EncoderType.SIMPLE_CNN);
        long encoder = ParameterCounts.of(Encoders.standalone(o.encoder(), 1, DataType.FLOAT)).total();
        long quantum = 2L * 256 * 4 + 2 * 4 * 2;
        long classHead = 256L * 2 + 2;
        long domainHead = (256L * 64 + 64) + (64L * 3 + 3);
        assertEquals(encoder + quantum + classHead + domainHead, DgQuantumGraph.parameterCounts(o).total());
        long baseline = DgQuantumGraph.parameterCounts(o.toBuilder().baseline().build()).total();
        assertEquals(encoder + classHead, baseline);
    }

    @Test
    void theClassicalControlHasExactlyTheQuantumModelsParameterCount() {
        for (EncoderType t : new EncoderType[] {EncoderType.SIMPLE_CNN, EncoderType.MOBILENETV2}) {
            DgQuantumGraph.Options o = tiny(t);
            DgQuantumGraph.Options control = o.toBuilder().classicalControl(true).build();
            assertEquals(DgQuantumGraph.parameterCounts(o), DgQuantumGraph.parameterCounts(control), t.id());
            ComputationGraph g = DgQuantumGraph.build(control);
            assertTrue(DgQuantumGraph.quantumLayer(g).layerConf().isClassicalControl());
            assertEquals(DgQuantumGraph.build(o).getLayer(DgQuantumGraph.QUANTUM).numParams(),
                    g.getLayer(DgQuantumGraph.QUANTUM).numParams());
        }
        assertThrows(IllegalArgumentException.class,
                () -> tiny(EncoderType.SIMPLE_CNN).toBuilder().baseline().classicalControl(true).build());
    }

    @Test
    void trainsBothHeadsThroughTheEngineAndTheGrl() {
        DgQuantumGraph.Options o = tiny(EncoderType.SIMPLE_CNN).toBuilder().inputSize(16).learningRate(3e-3).build();
        ComputationGraph g = DgQuantumGraph.build(o);
        Counting backend = new Counting();
        DgQuantumGraph.setBackend(g, backend);
        QuantumLayerImpl q = DgQuantumGraph.quantumLayer(g);
        assertNotNull(q);
        assertEquals(backend, q.backend());

        assertEquals(0.0, DgQuantumGraph.lambda(g));
        DgQuantumGraph.setLambda(g, DgQuantumGraph.lambdaSchedule(0.3));
        assertEquals(GradientReversal.lambdaSchedule(0.3), DgQuantumGraph.lambda(g), 1e-15);

        MultiDataSet data = batch(8, 16);
        INDArray[] out = g.output(data.getFeatures(0));
        assertArrayEquals(new long[] {8, 2}, out[0].shape());
        assertArrayEquals(new long[] {8, 3}, out[1].shape());
        g.setLayerMaskArrays(null, null);
        double first = g.score(data, true);
        for (int i = 0; i < 10; i++) {
            g.fit(data);
        }
        assertTrue(g.score(data, true) < first, "the loss goes down on a fixed batch: " + first + " -> " + g.score(data, true));
        assertEquals(10, backend.backwards.get(), "one engine VJP per step");
        assertTrue(backend.forwards.get() >= 10);
        assertTrue(DgQuantumGraph.lastFeaturePenalty(g) > 0);
    }

    @Test
    void checkpointsRestoreParametersConfigurationAndLambda(@TempDir Path dir) throws Exception {
        DgQuantumGraph.Options o = tiny(EncoderType.SIMPLE_CNN).toBuilder().inputSize(16).build();
        ComputationGraph g = DgQuantumGraph.build(o);
        DgQuantumGraph.setBackend(g, new Counting());
        DgQuantumGraph.setLambda(g, 0.25);
        MultiDataSet data = batch(4, 16);
        g.fit(data);
        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(g, file, true);

        ComputationGraph back = ModelSerializer.restoreComputationGraph(file, true);
        assertEquals(g.getConfiguration(), back.getConfiguration());
        assertEquals(g.params(), back.params());
        assertEquals(g.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray());
        assertEquals(0.25, DgQuantumGraph.lambda(back));
        DgQuantumGraph.setBackend(back, new Counting());
        INDArray x = data.getFeatures(0);
        assertTrue(g.output(false, x)[0].equalsWithEps(back.output(false, x)[0], 1e-6));
    }

    @Test
    void baselineHasNeitherQuantumLayerNorDomainHead() {
        ComputationGraph g = DgQuantumGraph.build(tiny(EncoderType.SIMPLE_CNN).toBuilder().baseline().build());
        assertNull(DgQuantumGraph.quantumLayer(g));
        assertEquals(List.of(DgQuantumGraph.CLASS_OUTPUT), g.getConfiguration().getNetworkOutputs());
        DgQuantumGraph.setLambda(g, 0.5); // no-op
        assertTrue(Double.isNaN(DgQuantumGraph.lambda(g)));
        assertArrayEquals(new long[] {2, 2}, g.outputSingle(Nd4j.rand(DataType.FLOAT, 2, 1, 32, 32)).shape());
    }
}
