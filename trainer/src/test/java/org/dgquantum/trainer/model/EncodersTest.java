package org.dgquantum.trainer.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EncodersTest {

    @ParameterizedTest
    @EnumSource(EncoderType.class)
    void eachEncoderMapsTinyGrayscaleImagesToA256dFeature(EncoderType type) {
        EncoderSpec spec = new EncoderSpec(type, 0.25, 32, 1, 256);
        ComputationGraph g = new ComputationGraph(Encoders.standalone(spec, 1, DataType.FLOAT));
        g.init();
        Nd4j.getRandom().setSeed(5);
        INDArray h = g.outputSingle(Nd4j.rand(DataType.FLOAT, 2, 1, 32, 32));
        assertArrayEquals(new long[] {2, 256}, h.shape());
        assertFalse(h.isNaN().any(), "no NaN");
        assertFalse(h.isInfinite().any(), "no infinity");
        assertTrue(h.std(0).meanNumber().doubleValue() > 0, "features differ between samples");
    }

    @ParameterizedTest
    @CsvSource({"MOBILENETV2", "SIMPLE_CNN"})
    void threeChannelInputWorksToo(EncoderType type) {
        EncoderSpec spec = new EncoderSpec(type, 0.25, 32, 3, 16);
        ComputationGraph g = new ComputationGraph(Encoders.standalone(spec, 1, DataType.FLOAT));
        g.init();
        assertArrayEquals(new long[] {3, 16}, g.outputSingle(Nd4j.rand(DataType.FLOAT, 3, 3, 32, 32)).shape());
    }

    /** Trainable parameter counts of the torchvision models minus their 1000-class classifiers. */
    @ParameterizedTest
    @CsvSource({
            "MOBILENETV2, 3504872, 1280",   // torchvision mobilenet_v2: 3,504,872 = trunk + 1280*1000 + 1000
            "RESNET18, 11689512, 512",       // resnet18: 11,689,512 = trunk + 512*1000 + 1000
            "EFFICIENTNET_B0, 5288548, 1280" // efficientnet_b0: 5,288,548 = trunk + 1280*1000 + 1000
    })
    void fullWidthRgbTrunksHaveThePublishedParameterCounts(EncoderType type, long published, int lastChannels) {
        EncoderSpec spec = new EncoderSpec(type, 1.0, 224, 3, 256);
        assertEquals(lastChannels, Encoders.trunkChannels(spec));
        ParameterCounts pc = ParameterCounts.of(Encoders.standalone(spec, 1, DataType.FLOAT));
        long trunk = published - (lastChannels * 1000L + 1000);
        long projection = lastChannels * 256L + 256;
        assertEquals(trunk + projection, pc.trainable());
    }

    @Test
    void simpleCnnCountsByHand() {
        // grayscale, width 1: conv3x3 1->32, 32->64, 64->128 (no bias), BN (gamma, beta, mean, var), dense 128->256
        long conv = 9L * 1 * 32 + 9L * 32 * 64 + 9L * 64 * 128;
        long bnTrainable = 2L * (32 + 64 + 128);
        long bnStats = 2L * (32 + 64 + 128);
        long dense = 128L * 256 + 256;
        ParameterCounts pc = ParameterCounts.of(Encoders.standalone(EncoderSpec.of(EncoderType.SIMPLE_CNN, 1.0, 64),
                1, DataType.FLOAT));
        assertEquals(conv + bnTrainable + dense, pc.trainable());
        assertEquals(125_920, pc.trainable());
        assertEquals(bnStats, pc.batchNormStats());
        assertEquals(pc.trainable() + bnStats, pc.total());
        // and the allocated network agrees with the count
        ComputationGraph g = new ComputationGraph(Encoders.standalone(EncoderSpec.of(EncoderType.SIMPLE_CNN, 1.0, 32),
                1, DataType.FLOAT));
        g.init();
        assertEquals(pc.total(), g.numParams());
    }

    private static GraphBuilder blockGraph(int channels, int size) {
        return new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(size, size, channels));
    }

    @Test
    void oneInvertedResidualBlockCountsByHand() {
        // 16 -> 24 channels, stride 2, expansion 6: hidden 96
        GraphBuilder b = blockGraph(16, 8);
        String out = MobileNetV2.invertedResidual(b, "blk", "in", 16, 24, 2, 6);
        ComputationGraphConfiguration conf = b.setOutputs(out).build();
        long expand = 16 * 96;
        long depthwise = 9 * 96;
        long project = 96 * 24;
        long bn = 4L * (96 + 96 + 24);
        ParameterCounts pc = ParameterCounts.of(conf);
        assertEquals(expand + depthwise + project + bn, pc.total());
        assertEquals(5_568, pc.total());
        assertEquals(5_568 - 2 * (96 + 96 + 24), pc.trainable());
        assertTrue(conf.getVertices().keySet().stream().noneMatch(k -> k.endsWith("_add")), "no shortcut at stride 2");

        GraphBuilder b2 = blockGraph(24, 4);
        String out2 = MobileNetV2.invertedResidual(b2, "blk", "in", 24, 24, 1, 6);
        assertEquals("blk_add", out2, "shortcut when stride 1 and channels unchanged");
    }

    @Test
    void oneMbConvBlockWithSqueezeExcitationCountsByHand() {
        GraphBuilder b = blockGraph(16, 8);
        String out = EfficientNetB0.mbConv(b, "blk", "in", 16, 24, 3, 2, 6);
        ParameterCounts pc = ParameterCounts.of(b.setOutputs(out).build());
        long expand = 16 * 96 + 4 * 96;
        long depthwise = 9 * 96 + 4 * 96;
        long se = (96 * 4 + 4) + (4 * 96 + 96); // squeeze to 16 / 4 = 4 channels, with biases
        long project = 96 * 24 + 4 * 24;
        assertEquals(expand + depthwise + se + project, pc.total());
    }

    @Test
    void channelRoundingFollowsTheReferenceRule() {
        assertEquals(8, Blocks.makeDivisible(32 * 0.25, 8));
        assertEquals(16, Blocks.makeDivisible(16 * 0.75, 8)); // 12 -> 16 (8 would lose > 10%)
        assertEquals(32, Blocks.makeDivisible(32, 8));
        assertEquals(8, Blocks.makeDivisible(3, 8));
        assertEquals(1280, Blocks.makeDivisible(1280 * Math.max(1.0, 0.25), 8));
    }

    @Test
    void specValidationAndNames() {
        assertEquals(EncoderType.EFFICIENTNET_B0, EncoderType.parse("EfficientNet_B0", "model"));
        assertEquals(EncoderType.SIMPLE_CNN, EncoderType.parse("simple-cnn", "model"));
        assertEquals(EncoderType.MOBILENETV2, EncoderType.parse("mobilenetv2", "model"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EncoderType.parse("vgg", "model"));
        assertTrue(e.getMessage().contains("vgg") && e.getMessage().contains("resnet18"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EncoderSpec(EncoderType.RESNET18, 1, 64, 2, 256));
        assertThrows(IllegalArgumentException.class, () -> new EncoderSpec(EncoderType.RESNET18, 0, 64, 1, 256));
    }
}
