package org.dgquantum.trainer.model;

/**
 * What encoder to build.
 *
 * @param type       the architecture
 * @param width      channel width multiplier (1.0 = the published network; channel counts are rounded
 *                   to multiples of 8 as in the reference implementations)
 * @param inputSize  height = width of the square input image in pixels
 * @param channels   input channels: 1 for grayscale, 3 for RGB
 * @param featureDim size of the feature h after global pooling and the linear projection (256)
 */
public record EncoderSpec(EncoderType type, double width, int inputSize, int channels, int featureDim) {
    public EncoderSpec {
        if (type == null) {
            throw new IllegalArgumentException("model: missing");
        }
        if (!(width > 0) || width > 4) {
            throw new IllegalArgumentException("width: " + width + " is out of range (expected 0 < width <= 4)");
        }
        if (inputSize < 8) {
            throw new IllegalArgumentException("inputSize: " + inputSize + " is too small (expected >= 8 pixels)");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels: " + channels + " (expected 1 for grayscale or 3 for RGB)");
        }
        if (featureDim < 1) {
            throw new IllegalArgumentException("featureDim: " + featureDim + " (expected >= 1)");
        }
    }

    /** Grayscale input and a 256-d feature. */
    public static EncoderSpec of(EncoderType type, double width, int inputSize) {
        return new EncoderSpec(type, width, inputSize, 1, 256);
    }
}
