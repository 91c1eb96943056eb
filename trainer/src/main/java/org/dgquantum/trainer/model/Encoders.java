package org.dgquantum.trainer.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.deeplearning4j.nn.conf.CacheMode;

/**
 * Builds the encoders as parts of a DL4J {@link ComputationGraphConfiguration}: image [B, C, S, S]
 * -> architecture trunk -> global average pooling -> linear projection to the feature h
 * [B, featureDim] (vertex {@value #FEATURE}).
 */
public final class Encoders {
    /** Name of the network input (images, NCHW). */
    public static final String INPUT = "input";
    /** Name of the feature vertex h. */
    public static final String FEATURE = "h";
    /** Name of the global-average-pooling vertex in front of the projection. */
    public static final String POOL = "pool";

    private Encoders() {
    }

    /** The input type of an encoder: convolutional, NCHW. */
    public static InputType inputType(EncoderSpec spec) {
        return InputType.convolutional(spec.inputSize(), spec.inputSize(), spec.channels());
    }

    /**
     * Adds the encoder to {@code b}, reading from vertex {@code input}, and returns the name of the
     * feature vertex ({@value #FEATURE}). The caller declares the input and its type.
     */
    public static String add(GraphBuilder b, EncoderSpec spec, String input) {
        Trunk t = switch (spec.type()) {
            case MOBILENETV2 -> MobileNetV2.build(b, input, spec.channels(), spec.width());
            case RESNET18 -> ResNet18.build(b, input, spec.channels(), spec.width());
            case EFFICIENTNET_B0 -> EfficientNetB0.build(b, input, spec.channels(), spec.width());
            case SIMPLE_CNN -> SimpleCnn.build(b, input, spec.channels(), spec.width());
        };
        Blocks.globalAvgPool(b, POOL, t.vertex());
        // Linear projection: h is the representation shared by the class and domain heads, and what
        // the feature-norm penalty acts on.
        return Blocks.dense(b, FEATURE, POOL, t.channels(), spec.featureDim(), Activation.IDENTITY);
    }

    /** Channels entering the global pooling (the width of the trunk's last layer). */
    public static int trunkChannels(EncoderSpec spec) {
        GraphBuilder b = new NeuralNetConfiguration.Builder().graphBuilder().addInputs(INPUT);
        return switch (spec.type()) {
            case MOBILENETV2 -> MobileNetV2.build(b, INPUT, spec.channels(), spec.width()).channels();
            case RESNET18 -> ResNet18.build(b, INPUT, spec.channels(), spec.width()).channels();
            case EFFICIENTNET_B0 -> EfficientNetB0.build(b, INPUT, spec.channels(), spec.width()).channels();
            case SIMPLE_CNN -> SimpleCnn.build(b, INPUT, spec.channels(), spec.width()).channels();
        };
    }

    /** A network made of the encoder alone (input -> h), e.g. to count parameters or check shapes. */
    public static ComputationGraphConfiguration standalone(EncoderSpec spec, long seed, DataType dataType) {
        GraphBuilder b = base(seed, dataType, 1e-3).graphBuilder().addInputs(INPUT);
        String h = add(b, spec, INPUT);
        return b.setOutputs(h).setInputTypes(inputType(spec)).build();
    }

    /** The global settings every network of the trainer shares: seed, data type, Adam, He initialization. */
    static NeuralNetConfiguration.Builder base(long seed, DataType dataType, double learningRate) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .updater(new Adam(learningRate))
                // Convolutions keep their forward output for the backward pass instead of computing it again
                // there (DL4J's default, CacheMode.NONE, repeats every convolution's forward pass in backprop).
                .cacheMode(CacheMode.DEVICE)
                .weightInit(WeightInit.RELU);
    }
}
