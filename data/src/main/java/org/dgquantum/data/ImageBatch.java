package org.dgquantum.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A batch of images [B, C, H, W] as one row-major float array, for the per-image augmentations that work pixel
 * by pixel in Java (imaging shift, flips): image b, channel c starts at {@code (b * channels + c) * h * w}.
 */
public record ImageBatch(int batch, int channels, int height, int width, float[] pixels) {

    /** Copies a [B, C, H, W] array; fails unless it has exactly {@code rows} images (one augmentation key each). */
    public static ImageBatch of(INDArray features, int rows) {
        if (features.rank() != 4 || features.size(0) != rows) {
            throw new IllegalArgumentException("features must be [B,C,H,W] with B = keys.length");
        }
        return new ImageBatch((int) features.size(0), (int) features.size(1), (int) features.size(2),
                (int) features.size(3), features.castTo(DataType.FLOAT).dup('c').data().asFloat());
    }

    /** Pixels of one image plane. */
    public int planeSize() {
        return height * width;
    }

    /** New [B, C, H, W] array of these dimensions holding {@code values}. */
    public INDArray toArray(float[] values) {
        return Nd4j.create(values, new long[] {batch, channels, height, width}, 'c');
    }
}
