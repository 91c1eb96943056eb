package org.dgquantum.trainer.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.nd4j.linalg.activations.Activation;

/**
 * EfficientNet-B0 (Tan and Le 2019, table 1), as in torchvision: 3x3 stride-2 stem, 16 MBConv blocks
 * with squeeze-and-excitation (squeeze to a quarter of the block's input channels), swish (SiLU)
 * activations, and a 1x1 convolution to 4 x 320 = 1280 channels. Stochastic depth and dropout are
 * regularizers of the original training recipe and are left out.
 */
public final class EfficientNetB0 {
    /** MBConv stages {expansion, kernel, first stride, input channels, output channels, repeats}. */
    public static final int[][] STAGES = {
            {1, 3, 1, 32, 16, 1},
            {6, 3, 2, 16, 24, 2},
            {6, 5, 2, 24, 40, 2},
            {6, 3, 2, 40, 80, 3},
            {6, 5, 1, 80, 112, 3},
            {6, 5, 2, 112, 192, 4},
            {6, 3, 1, 192, 320, 1},
    };

    private EfficientNetB0() {
    }

    static Trunk build(GraphBuilder b, String input, int inChannels, double width) {
        int c = Blocks.makeDivisible(32 * width, 8);
        String x = Blocks.convBn(b, "stem", input, inChannels, c, 3, 2, Activation.SWISH);
        int block = 0;
        for (int[] st : STAGES) {
            int out = Blocks.makeDivisible(st[4] * width, 8);
            for (int i = 0; i < st[5]; i++) {
                x = mbConv(b, "b" + block++, x, c, out, st[1], i == 0 ? st[2] : 1, st[0]);
                c = out;
            }
        }
        int last = 4 * c;
        x = Blocks.convBn(b, "head", x, c, last, 1, 1, Activation.SWISH);
        return new Trunk(x, last);
    }

    /**
     * MBConv: 1x1 expansion (skipped when the ratio is 1) -> k x k depthwise -> squeeze-and-excitation ->
     * linear 1x1 projection; identity shortcut when stride is 1 and the channel count is unchanged.
     */
    static String mbConv(GraphBuilder b, String name, String in, int nIn, int nOut, int kernel, int stride,
                         int expansion) {
        int hidden = Blocks.makeDivisible(nIn * (double) expansion, 8);
        String x = in;
        if (hidden != nIn) {
            x = Blocks.convBn(b, name + "_expand", x, nIn, hidden, 1, 1, Activation.SWISH);
        }
        x = Blocks.depthwiseBn(b, name + "_depthwise", x, hidden, kernel, stride, Activation.SWISH);
        x = squeezeExcite(b, name + "_se", x, hidden, Math.max(1, nIn / 4));
        x = Blocks.convBn(b, name + "_project", x, hidden, nOut, 1, 1, null);
        if (stride == 1 && nIn == nOut) {
            x = Blocks.add(b, name + "_add", in, x);
        }
        return x;
    }

    /** x * sigmoid(W2 swish(W1 avgpool(x) + b1) + b2), the scale broadcast over height and width. */
    static String squeezeExcite(GraphBuilder b, String name, String in, int channels, int squeeze) {
        String s = Blocks.globalAvgPool(b, name + "_pool", in);
        s = Blocks.dense(b, name + "_reduce", s, channels, squeeze, Activation.SWISH);
        s = Blocks.dense(b, name + "_expand", s, squeeze, channels, Activation.SIGMOID);
        b.addVertex(name + "_scale", new ChannelScaleVertex(), in, s);
        return name + "_scale";
    }
}
