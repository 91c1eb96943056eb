package org.dgquantum.trainer.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * The small baseline: three 3x3 convolution -> batch norm -> ReLU stages (32, 64, 128 channels at
 * width 1), 2x2 max pooling after the first two.
 */
public final class SimpleCnn {
    /** Channels per stage at width 1. */
    public static final int[] STAGES = {32, 64, 128};

    private SimpleCnn() {
    }

    static Trunk build(GraphBuilder b, String input, int inChannels, double width) {
        String x = input;
        int c = inChannels;
        for (int s = 0; s < STAGES.length; s++) {
            int out = Blocks.makeDivisible(STAGES[s] * width, 8);
            x = Blocks.convBn(b, "c" + s, x, c, out, 3, 1, Activation.RELU);
            c = out;
            if (s < STAGES.length - 1) {
                b.addLayer("c" + s + "_pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX, new int[] {2, 2},
                        new int[] {2, 2}).convolutionMode(ConvolutionMode.Same).build(), x);
                x = "c" + s + "_pool";
            }
        }
        return new Trunk(x, c);
    }
}
