package org.dgquantum.trainer.model;

import org.dgquantum.dl4j.FeatureNorm;
import org.dgquantum.dl4j.GradientReversal;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gradient reversal, feature-norm penalty and the squeeze-excitation channel scale. */
class LayersTest {

    private static ComputationGraph net(Layer middle, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(5).nOut(4).activation(Activation.TANH).build(), "in")
                .addLayer("mid", middle, "dense")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "mid")
                .setOutputs("out").setInputTypes(InputType.feedForward(5)).build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static INDArray[] data() {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 6, 5);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 6, 3);
        for (int i = 0; i < 6; i++) {
            y.putScalar(i, i % 3, 1);
        }
        return new INDArray[] {x, y};
    }

    private static Gradient gradient(ComputationGraph g, INDArray[] xy) {
        g.setInputs(xy[0]);
        g.setLabels(xy[1]);
        g.computeGradientAndScore();
        return g.gradient();
    }

    @Test
    void gradientReversalNegatesAndScalesTheGradientBelowItOnly() {
        INDArray[] xy = data();
        ComputationGraph plain = net(new ActivationLayer.Builder().activation(Activation.IDENTITY).build(), 1);
        ComputationGraph reversed = net(new GradientReversal(0.0), 1);
        assertEquals(plain.params(), reversed.params(), "same seed, same parameters");
        DgQuantumGraphTestSupport.setGrl(reversed, "mid", 0.37);

        Gradient gp = gradient(plain, xy);
        Gradient gr = gradient(reversed, xy);
        assertEquals(plain.score(), reversed.score(), 1e-12, "identity forward");
        assertEquals(gp.getGradientFor("out_W"), gr.getGradientFor("out_W"), "head above the GRL unchanged");
        INDArray expected = gp.getGradientFor("dense_W").mul(-0.37);
        assertTrue(expected.equalsWithEps(gr.getGradientFor("dense_W"), 1e-12), "dense_W: -lambda * gradient");
        assertTrue(gp.getGradientFor("dense_W").norm2Number().doubleValue() > 1e-6, "non-trivial gradient");
        assertTrue(gp.getGradientFor("dense_b").mul(-0.37).equalsWithEps(gr.getGradientFor("dense_b"), 1e-12));
    }

    @Test
    void lambdaScheduleIsDanns() {
        assertEquals(0.0, GradientReversal.lambdaSchedule(0.0), 1e-15);
        assertEquals(2 / (1 + Math.exp(-5)) - 1, GradientReversal.lambdaSchedule(0.5), 1e-15);
        assertEquals(2 / (1 + Math.exp(-10)) - 1, GradientReversal.lambdaSchedule(1.0), 1e-15);
        assertEquals(GradientReversal.lambdaSchedule(1.0), GradientReversal.lambdaSchedule(7.0), "clamped");
        assertTrue(GradientReversal.lambdaSchedule(0.1) < GradientReversal.lambdaSchedule(0.2));
    }

    @Test
    void featureNormAddsBetaTimesMeanSquaredNormToTheScoreAndPassesTheGradientCheck() {
        INDArray[] xy = data();
        double beta = 0.3;
        ComputationGraph with = net(new FeatureNorm(beta), 4);
        ComputationGraph without = net(new FeatureNorm(0.0), 4);
        gradient(with, xy);
        gradient(without, xy);
        INDArray h = with.feedForward(xy[0], false).get("dense");
        double expected = beta * h.mul(h).sumNumber().doubleValue() / h.size(0);
        assertEquals(expected, FeatureNorm.penalty(h, beta), 1e-12);
        assertEquals(without.score() + expected, with.score(), 1e-10);

        DataType saved = Nd4j.dataType();
        DataType savedFp = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            assertTrue(check(with, xy));
        } finally {
            Nd4j.setDefaultDataTypes(saved, savedFp);
        }
    }

    private static boolean check(ComputationGraph g, INDArray[] xy) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                .inputs(new INDArray[] {xy[0]}).labels(new INDArray[] {xy[1]})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-10)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
    }

    @Test
    void channelScaleVertexPassesTheGradientCheck() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(9).dataType(DataType.DOUBLE)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(2, 2).nIn(2).nOut(3).activation(Activation.TANH).build(), "in")
                .addLayer("se_pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv")
                .addLayer("se_fc", new DenseLayer.Builder().nIn(3).nOut(3).activation(Activation.SIGMOID).build(), "se_pool")
                .addVertex("scale", new ChannelScaleVertex(), "conv", "se_fc")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "scale")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").setInputTypes(InputType.convolutional(4, 4, 2)).build();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 4, 4);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 3, 2);
        for (int i = 0; i < 3; i++) {
            y.putScalar(i, i % 2, 1);
        }
        // forward: each channel of each sample multiplied by its scale
        java.util.Map<String, INDArray> acts = g.feedForward(x, false);
        INDArray conv = acts.get("conv");
        INDArray s = acts.get("se_fc");
        INDArray scaled = acts.get("scale");
        assertEquals(conv.getDouble(1, 2, 0, 1) * s.getDouble(1, 2), scaled.getDouble(1, 2, 0, 1), 1e-12);

        DataType saved = Nd4j.dataType();
        DataType savedFp = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            assertTrue(check(g, new INDArray[] {x, y}));
        } finally {
            Nd4j.setDefaultDataTypes(saved, savedFp);
        }
        g.fit(new MultiDataSet(new INDArray[] {x}, new INDArray[] {y}));
    }
}
