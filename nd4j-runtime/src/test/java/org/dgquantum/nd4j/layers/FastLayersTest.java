package org.dgquantum.nd4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dgquantum.nd4j.OneDnnHelpers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The vector kernels against DL4J's own layer code (ND4J ops, oneDNN helpers off) in whole networks: 1x1
 * convolution -> batch norm -> ReLU6 -> pooling -> output, trained with Adam, so outputs, gradients, running statistics and the saved form
 * are all compared; and the depthwise convolution that keeps its forward output.
 */
class FastLayersTest {
    private final int savedThreads = Nd4j.getEnvironment().maxMasterThreads();

    @AfterEach
    void restore() {
        FastLayers.set(null);
        OneDnnHelpers.set(false);
        Nd4j.getEnvironment().setMaxMasterThreads(savedThreads);
    }

    private static MultiLayerNetwork network(boolean vector, DataType type, int channels) {
        BatchNormalization bn = new BatchNormalization.Builder().nIn(channels).nOut(channels).build();
        IActivation relu6 = vector ? new VectorRelu6() : new ActivationReLU6();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(type)
                .updater(new Adam(0.05)).list()
                // A layer below the batch norm, so that its input gradient reaches parameters (no bias: its gradient is 0
                // through a batch norm, and Adam would turn rounding noise there into full steps).
                .layer(new ConvolutionLayer.Builder(1, 1).nOut(channels).hasBias(false)
                        .activation(Activation.IDENTITY).build())
                .layer(vector ? VectorBatchNormalization.of(bn) : bn)
                .layer(new ActivationLayer.Builder().activation(relu6).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(6, 7, channels)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static INDArray random(DataType type, long seed, double scale, long... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        INDArray a = Nd4j.create(type, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, 2 + scale * (r.nextDouble() - 0.5));
        }
        return a;
    }

    /** Trains both networks on the same batches; returns the largest parameter and output differences. */
    private static double[] trainBoth(DataType type, int steps) {
        int channels = 5;
        FastLayers.set(true);
        MultiLayerNetwork fast = network(true, type, channels);
        MultiLayerNetwork plain = network(false, type, channels);
        plain.setParams(fast.params().dup());
        double maxOut = 0;
        for (int s = 0; s < steps; s++) {
            INDArray x = random(type, 100 + s, 8, 4, channels, 6, 7);
            INDArray y = random(type, 200 + s, 1, 4, 2);
            maxOut = Math.max(maxOut, maxAbs(fast.output(x, true).sub(plain.output(x, true))));
            fast.fit(x, y);
            plain.fit(x, y);
        }
        INDArray probe = random(type, 7, 8, 3, channels, 6, 7);
        maxOut = Math.max(maxOut, maxAbs(fast.output(probe, false).sub(plain.output(probe, false))));
        return new double[] {maxAbs(fast.params().sub(plain.params())), maxOut};
    }

    private static double maxAbs(INDArray a) {
        return a.castTo(DataType.DOUBLE).amaxNumber().doubleValue();
    }

    @Test
    void float32TrainingMatchesDl4jsOwnBatchNorm() {
        OneDnnHelpers.set(false);
        double[] d = trainBoth(DataType.FLOAT, 4);
        // Same math, different summation order: float rounding only. A wrong gradient (e.g. without the terms
        // through the batch statistics) moves parameters by ~1e-2 here.
        assertTrue(d[0] < 2e-5, "parameters differ by " + d[0]);
        assertTrue(d[1] < 2e-5, "outputs differ by " + d[1]);
    }

    @Test
    void float64IsLeftToDl4jBitForBit() {
        OneDnnHelpers.set(false);
        double[] d = trainBoth(DataType.DOUBLE, 2);
        assertEquals(0.0, d[0]);
        assertEquals(0.0, d[1]);
    }

    @Test
    void theLayerUsesTheVectorHelperOnlyWhenSwitchedOn() {
        FastLayers.set(true);
        assertInstanceOf(VectorBatchNormHelper.class, network(true, DataType.FLOAT, 3).getLayer(1).getHelper());
        FastLayers.set(false);
        OneDnnHelpers.set(false);
        assertEquals(null, network(true, DataType.FLOAT, 3).getLayer(1).getHelper());
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        INDArray[] params = new INDArray[2];
        for (int threads = 1; threads <= 2; threads++) {
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
            FastLayers.set(true);
            int channels = 16;
            MultiLayerNetwork net = network(true, DataType.FLOAT, channels);
            // Large enough (4 * 16 * 48 * 48 > Split.MIN_PARALLEL_ELEMENTS) to be split over threads.
            INDArray x = random(DataType.FLOAT, 3, 8, 4, channels, 48, 48);
            INDArray y = random(DataType.FLOAT, 4, 1, 4, 2);
            net.setInput(x);
            for (int s = 0; s < 2; s++) {
                net.fit(x, y);
            }
            params[threads - 1] = net.params().dup();
        }
        assertEquals(params[0], params[1]);
    }

    @Test
    void relu6DerivativeIsNd4jsBitForBit() {
        SplittableRandom r = new SplittableRandom(11);
        int n = 40_003; // not a multiple of any vector length or of the split's block
        INDArray x = Nd4j.create(DataType.FLOAT, n);
        INDArray dy = Nd4j.create(DataType.FLOAT, n);
        float[] edges = {0f, -0f, 6f, -1e-30f, 1e-30f, Math.nextDown(6f), Math.nextUp(6f), Float.NaN,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int i = 0; i < n; i++) {
            x.putScalar(i, i < edges.length ? edges[i] : (float) (r.nextDouble() * 10 - 2));
            dy.putScalar(i, (float) r.nextGaussian());
        }
        FastLayers.set(true);
        INDArray fast = new VectorRelu6().backprop(x.dup(), dy).getFirst();
        INDArray plain = new ActivationReLU6().backprop(x.dup(), dy).getFirst();
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToRawIntBits(plain.getFloat(i)), Float.floatToRawIntBits(fast.getFloat(i)),
                    "element " + i + " (x = " + x.getFloat(i) + ")");
        }
    }

    @Test
    void aSavedNetworkLoadsWithTheFastLayers() throws Exception {
        FastLayers.set(true);
        MultiLayerNetwork net = network(true, DataType.FLOAT, 3);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(
                new java.io.ByteArrayInputStream(bytes.toByteArray()), true);
        assertInstanceOf(VectorBatchNormalization.class, loaded.getLayerWiseConfigurations().getConf(1).getLayer());
        assertInstanceOf(VectorBatchNormHelper.class, loaded.getLayer(1).getHelper());
        INDArray x = random(DataType.FLOAT, 9, 8, 2, 3, 6, 7);
        assertEquals(net.output(x, false), loaded.output(x, false));
    }

    private static MultiLayerNetwork depthwiseNetwork(boolean caching, int channels) {
        DepthwiseConvolution2D dw = new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(1).hasBias(false)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT)
                .updater(new Adam(0.05)).cacheMode(CacheMode.DEVICE).list()
                .layer(caching ? CachingDepthwiseConvolution2D.of(dw) : dw)
                .layer(new ActivationLayer.Builder().activation(new ActivationReLU6()).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(9, 8, channels)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void theDepthwiseLayerComputesEachConvolutionOnceAndTrainsBitForBitAsDl4js() {
        FastLayers.set(true);
        MultiLayerNetwork caching = depthwiseNetwork(true, 4);
        MultiLayerNetwork plain = depthwiseNetwork(false, 4);
        plain.setParams(caching.params().dup());
        int steps = 3;
        for (int s = 0; s < steps; s++) {
            INDArray x = random(DataType.FLOAT, 300 + s, 8, 5, 4, 9, 8);
            INDArray y = random(DataType.FLOAT, 400 + s, 1, 5, 2);
            caching.fit(x, y);
            plain.fit(x, y);
        }
        assertEquals(plain.params(), caching.params());
        // One convolution per training step: the backward pass used the forward pass's output.
        assertEquals(steps, ((CachingDepthwiseConvolution2DLayer) caching.getLayer(0)).convolutions());
        INDArray probe = random(DataType.FLOAT, 8, 8, 2, 4, 9, 8);
        assertEquals(plain.output(probe), caching.output(probe));
    }

    @Test
    void theSwitchTakesTrueOrFalseOnly() {
        assertTrue(FastLayers.parse(null));
        assertEquals(false, FastLayers.parse("false"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FastLayers.parse("yes"));
        assertTrue(e.getMessage().contains(FastLayers.PROPERTY), e.getMessage());
    }
}
