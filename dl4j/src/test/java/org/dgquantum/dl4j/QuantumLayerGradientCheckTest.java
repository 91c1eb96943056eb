package org.dgquantum.dl4j;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dgquantum.engine.Gradient;
import org.dgquantum.dl4j.FeatureNorm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.dgquantum.engine.HostBuffer;
import org.dgquantum.engine.QuantumBuffer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's own gradient check (central differences of the network score against backprop, float64)
 * on input -> dense(8, tanh) -> feature norm -> quantum layer (4 qubits, 2 layers) -> softmax output.
 */
class QuantumLayerGradientCheckTest {
    private static DataType savedDefault;
    private static DataType savedFloating;

    @BeforeAll
    static void doublePrecision() {
        savedDefault = Nd4j.dataType();
        savedFloating = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(savedDefault, savedFloating);
    }

    static ComputationGraph net(Gradient method, double beta, double alpha, CountingBackend backend) {
        return net(method, beta, alpha, backend, false);
    }

    static ComputationGraph net(Gradient method, double beta, double alpha, CountingBackend backend,
                                boolean classicalControl) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(12345)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(6).nOut(8).activation(Activation.TANH).build(), "in")
                .addLayer("norm", new FeatureNorm(beta), "dense")
                .addLayer("q", new QuantumLayer.Builder().nIn(8).qubits(4).circuitLayers(2).gradient(method)
                        .alpha(alpha).classicalControl(classicalControl).build(), "norm")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "q")
                .setOutputs("out")
                .setInputTypes(InputType.feedForward(6))
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        ((QuantumLayerImpl) g.getLayer("q")).setBackend(backend);
        return g;
    }

    static INDArray[] data(int batch) {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.DOUBLE, batch, 6).subi(0.5).muli(2);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, batch, 3);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        return new INDArray[] {x, y};
    }

    /**
     * minAbsoluteError 1e-9: the last layer's RZ angles have an exactly zero gradient (RZ commutes with
     * the CNOTs' action on Z-diagonal observables and with the Z readout), where central differences
     * return float64 round-off of about 1e-10.
     */
    static boolean check(ComputationGraph g, INDArray[] xy) {
        return check(g, xy, false);
    }

    static boolean check(ComputationGraph g, INDArray[] xy, boolean exitOnFirstError) {
        return check(g, xy, exitOnFirstError, null);
    }

    static boolean check(ComputationGraph g, INDArray[] xy, boolean exitOnFirstError, Set<String> exclude) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).excludeParams(exclude)
                .inputs(new INDArray[] {xy[0]}).labels(new INDArray[] {xy[1]})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(exitOnFirstError));
    }

    @Test
    void adjointGradientsMatchNumericalDerivativesOfTheScore() {
        CountingBackend backend = new CountingBackend();
        ComputationGraph g = net(Gradient.ADJOINT, 0.05, 0.8, backend);
        assertEquals(DataType.DOUBLE, g.params().dataType());
        assertTrue(check(g, data(5)), "gradient check failed (see log)");
        assertTrue(backend.backwards.get() >= 1, "the backward pass must go through the engine");
        assertEquals(Gradient.ADJOINT, backend.lastMethod);
        // 2 forward evaluations per parameter, all through the injected backend
        assertTrue(backend.forwards.get() >= 2 * g.numParams(), "forwards: " + backend.forwards.get());
    }

    @Test
    void theClassicalControlsGradientsMatchToo() {
        CountingBackend backend = new CountingBackend();
        ComputationGraph g = net(Gradient.ADJOINT, 0.05, 0.8, backend, true);
        assertTrue(check(g, data(5)), "gradient check failed (see log)");
        assertEquals(0, backend.forwards.get(), "the control replaces the circuit backend");
    }

    @Test
    void parameterShiftGradientsMatchToo() {
        CountingBackend backend = new CountingBackend();
        ComputationGraph g = net(Gradient.PARAMETER_SHIFT, 0.0, 1.3, backend);
        // the quantum layer's parameters, and its input gradient through dense_b
        assertTrue(check(g, data(3), false, Set.of("dense_W", "out_W", "out_b")), "gradient check failed (see log)");
        assertEquals(Gradient.PARAMETER_SHIFT, backend.lastMethod);
    }

    @Test
    void theCheckCatchesAWrongGradient() {
        // The check must be able to fail: a backend whose VJP is scaled by 1.5 is caught.
        CountingBackend wrong = new CountingBackend() {
            @Override
            public void backward(org.dgquantum.engine.Circuit c, int batch, QuantumBuffer in, QuantumBuffer w,
                                 QuantumBuffer up, QuantumBuffer dIn, QuantumBuffer dW, Gradient m) {
                super.backward(c, batch, in, w, up, dIn, dW, m);
                HostBuffer h = (HostBuffer) dW;
                for (long i = 0; i < h.length(); i++) {
                    h.set(i, 1.5 * h.get(i));
                }
            }
        };
        ComputationGraph g = net(Gradient.ADJOINT, 0.0, 1.0, wrong);
        assertFalse(check(g, data(3), true, Set.of("dense_W", "dense_b", "q_Wq", "q_Wr", "out_W", "out_b")));
    }
}
