package org.dgquantum.trainer.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dgquantum.nd4j.layers.CachingDepthwiseConvolution2D;
import org.dgquantum.nd4j.layers.VectorBatchNormalization;
import org.dgquantum.nd4j.layers.VectorRelu6;
import org.nd4j.linalg.activations.Activation;

/**
 * Small graph-building steps shared by the encoders. Batch norm, ReLU6 and the depthwise convolution use the
 * faster CPU paths of {@code org.dgquantum.nd4j.layers} (the step's largest costs on ND4J, docs/trainer.md). Every helper adds vertices named
 * {@code name + suffix} and returns the name of the last vertex it added, so that encoders read as
 * a chain: {@code x = convBn(b, "stem", x, ...)}.
 *
 * <p>Convolutions use {@link ConvolutionMode#Same} (output size ceil(in / stride)) and no bias when a
 * batch normalization follows, as in the reference implementations.
 */
final class Blocks {
    private Blocks() {
    }

    /** Rounds a channel count to a multiple of {@code divisor}, never going below 90% of the value (MobileNet/EfficientNet rule). */
    static int makeDivisible(double value, int divisor) {
        int v = Math.max(divisor, (int) (value + divisor / 2.0) / divisor * divisor);
        if (v < 0.9 * value) {
            v += divisor;
        }
        return v;
    }

    /** k x k convolution (no bias) -> batch norm -> activation (none if {@code act} is null). */
    static String convBn(GraphBuilder b, String name, String in, int nIn, int nOut, int k, int stride, Activation act) {
        b.addLayer(name + "_conv", new ConvolutionLayer.Builder(k, k).stride(stride, stride).nIn(nIn).nOut(nOut)
                .convolutionMode(ConvolutionMode.Same).hasBias(false).activation(Activation.IDENTITY).build(), in);
        return bnAct(b, name, name + "_conv", nOut, act);
    }

    /** Depthwise k x k convolution (no bias, depth multiplier 1) -> batch norm -> activation. */
    static String depthwiseBn(GraphBuilder b, String name, String in, int channels, int k, int stride, Activation act) {
        b.addLayer(name + "_dw", CachingDepthwiseConvolution2D.of(new DepthwiseConvolution2D.Builder(k, k)
                .stride(stride, stride).nIn(channels).depthMultiplier(1).convolutionMode(ConvolutionMode.Same)
                .hasBias(false).activation(Activation.IDENTITY).build()), in);
        return bnAct(b, name, name + "_dw", channels, act);
    }

    /** Batch norm (gamma, beta, running mean and variance) followed by an optional activation layer. */
    static String bnAct(GraphBuilder b, String name, String in, int channels, Activation act) {
        b.addLayer(name + "_bn", VectorBatchNormalization.of(
                new BatchNormalization.Builder().nIn(channels).nOut(channels).build()), in);
        if (act == null) {
            return name + "_bn";
        }
        return activation(b, name + "_act", name + "_bn", act);
    }

    /** A stand-alone activation layer (ReLU6 with the vector derivative, see {@link VectorRelu6}). */
    static String activation(GraphBuilder b, String name, String in, Activation act) {
        ActivationLayer.Builder layer = new ActivationLayer.Builder();
        if (act == Activation.RELU6) {
            layer.activation(new VectorRelu6());
        } else {
            layer.activation(act);
        }
        b.addLayer(name, layer.build(), in);
        return name;
    }

    /** Element-wise sum of two same-shaped inputs. */
    static String add(GraphBuilder b, String name, String x, String y) {
        b.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), x, y);
        return name;
    }

    /** Global average pooling: [B, C, H, W] -> [B, C]. */
    static String globalAvgPool(GraphBuilder b, String name, String in) {
        b.addLayer(name, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), in);
        return name;
    }

    /** Fully connected layer with bias. */
    static String dense(GraphBuilder b, String name, String in, int nIn, int nOut, Activation act) {
        b.addLayer(name, new DenseLayer.Builder().nIn(nIn).nOut(nOut).activation(act)
                .weightInit(act == Activation.RELU || act == Activation.RELU6 ? WeightInit.RELU : WeightInit.XAVIER)
                .build(), in);
        return name;
    }
}
