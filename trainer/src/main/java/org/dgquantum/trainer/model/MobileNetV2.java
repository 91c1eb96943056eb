package org.dgquantum.trainer.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.nd4j.linalg.activations.Activation;

/**
 * MobileNetV2 (Sandler et al. 2018, table 2), as in torchvision: a 3x3 stride-2 stem, 17 inverted
 * residual blocks and a 1x1 convolution to 1280 channels; ReLU6 everywhere except the linear
 * bottleneck projections.
 */
public final class MobileNetV2 {
    /** Inverted residual settings {expansion t, output channels c, repeats n, first stride s}. */
    public static final int[][] BLOCKS = {
            {1, 16, 1, 1},
            {6, 24, 2, 2},
            {6, 32, 3, 2},
            {6, 64, 4, 2},
            {6, 96, 3, 1},
            {6, 160, 3, 2},
            {6, 320, 1, 1},
    };
    static final int STEM = 32;
    static final int LAST = 1280;

    private MobileNetV2() {
    }

    static Trunk build(GraphBuilder b, String input, int inChannels, double width) {
        int c = Blocks.makeDivisible(STEM * width, 8);
        String x = Blocks.convBn(b, "stem", input, inChannels, c, 3, 2, Activation.RELU6);
        int block = 0;
        for (int[] row : BLOCKS) {
            int out = Blocks.makeDivisible(row[1] * width, 8);
            for (int i = 0; i < row[2]; i++) {
                x = invertedResidual(b, "b" + block++, x, c, out, i == 0 ? row[3] : 1, row[0]);
                c = out;
            }
        }
        int last = Blocks.makeDivisible(LAST * Math.max(1.0, width), 8);
        x = Blocks.convBn(b, "head", x, c, last, 1, 1, Activation.RELU6);
        return new Trunk(x, last);
    }

    /**
     * One inverted residual block: 1x1 expansion (skipped when t = 1) -> 3x3 depthwise (stride s) ->
     * linear 1x1 projection; identity shortcut when s = 1 and the channel count is unchanged.
     */
    static String invertedResidual(GraphBuilder b, String name, String in, int nIn, int nOut, int stride, int expansion) {
        int hidden = (int) Math.round(nIn * (double) expansion);
        String x = in;
        if (expansion != 1) {
            x = Blocks.convBn(b, name + "_expand", x, nIn, hidden, 1, 1, Activation.RELU6);
        }
        x = Blocks.depthwiseBn(b, name + "_depthwise", x, hidden, 3, stride, Activation.RELU6);
        x = Blocks.convBn(b, name + "_project", x, hidden, nOut, 1, 1, null);
        if (stride == 1 && nIn == nOut) {
            x = Blocks.add(b, name + "_add", in, x);
        }
        return x;
    }
}
