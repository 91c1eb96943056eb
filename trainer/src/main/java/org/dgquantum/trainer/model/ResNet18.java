package org.dgquantum.trainer.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * ResNet-18 (He et al. 2016, table 1), as in torchvision: 7x7 stride-2 stem, 3x3 stride-2 max pool,
 * four stages of two basic blocks (64, 128, 256, 512 channels; strides 1, 2, 2, 2), projection
 * shortcuts (1x1 convolution + batch norm) where the shape changes.
 */
public final class ResNet18 {
    /** Channels per stage at width 1. */
    public static final int[] STAGES = {64, 128, 256, 512};
    /** Basic blocks per stage. */
    public static final int BLOCKS_PER_STAGE = 2;

    private ResNet18() {
    }

    static Trunk build(GraphBuilder b, String input, int inChannels, double width) {
        int c = Blocks.makeDivisible(64 * width, 8);
        String x = Blocks.convBn(b, "stem", input, inChannels, c, 7, 2, Activation.RELU);
        b.addLayer("stem_pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX, new int[] {3, 3}, new int[] {2, 2})
                .convolutionMode(ConvolutionMode.Same).build(), x);
        x = "stem_pool";
        for (int s = 0; s < STAGES.length; s++) {
            int out = Blocks.makeDivisible(STAGES[s] * width, 8);
            for (int i = 0; i < BLOCKS_PER_STAGE; i++) {
                x = basicBlock(b, "s" + s + "b" + i, x, c, out, i == 0 && s > 0 ? 2 : 1);
                c = out;
            }
        }
        return new Trunk(x, c);
    }

    /** conv3x3(stride) -> BN -> ReLU -> conv3x3 -> BN, plus shortcut, then ReLU. */
    static String basicBlock(GraphBuilder b, String name, String in, int nIn, int nOut, int stride) {
        String x = Blocks.convBn(b, name + "_c1", in, nIn, nOut, 3, stride, Activation.RELU);
        x = Blocks.convBn(b, name + "_c2", x, nOut, nOut, 3, 1, null);
        String shortcut = in;
        if (stride != 1 || nIn != nOut) {
            shortcut = Blocks.convBn(b, name + "_down", in, nIn, nOut, 1, stride, null);
        }
        Blocks.add(b, name + "_add", shortcut, x);
        Blocks.activation(b, name + "_out", name + "_add", Activation.RELU);
        return name + "_out";
    }
}
