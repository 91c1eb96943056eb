package org.dgquantum.trainer.train;

import org.dgquantum.data.ImageBatch;
import org.dgquantum.data.SyntheticGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;

/**
 * Random horizontal and vertical flips of training images. A lesion is a lesion whichever way up the slice
 * lies, and small training sets let MobileNetV2 memorise orientation-specific details instead; the flips
 * roughly quadruple the distinct images it sees. Like the imaging shift, each image's flips depend only on
 * (seed, key), never on batch composition or thread count.
 */
public final class FlipAugmentation {
    private final long seed;

    public FlipAugmentation(long seed) {
        this.seed = seed;
    }

    /** Whether the image with this key is flipped left-right ([0]) and top-bottom ([1]). */
    public boolean[] flipsFor(long key) {
        SplittableRandom rng = new SplittableRandom(SyntheticGenerator.mix(seed, 0xF1195L, key));
        return new boolean[] {rng.nextBoolean(), rng.nextBoolean()};
    }

    /** A flipped copy of a batch [B, C, H, W]; row b uses {@link #flipsFor}(keys[b]) for all its channels. */
    public INDArray apply(INDArray features, long[] keys) {
        ImageBatch batch = ImageBatch.of(features, keys.length);
        int b = batch.batch();
        int c = batch.channels();
        int h = batch.height();
        int w = batch.width();
        float[] in = batch.pixels();
        float[] out = new float[in.length];
        for (int i = 0; i < b; i++) {
            boolean[] f = flipsFor(keys[i]);
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * h * w;
                for (int y = 0; y < h; y++) {
                    int sy = f[1] ? h - 1 - y : y;
                    for (int x = 0; x < w; x++) {
                        int sx = f[0] ? w - 1 - x : x;
                        out[base + y * w + x] = in[base + sy * w + sx];
                    }
                }
            }
        }
        return batch.toArray(out).castTo(features.dataType());
    }
}
