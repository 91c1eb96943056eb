package org.dgquantum.trainer.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlipAugmentationTest {
    private static final int B = 16;
    private static final int C = 2;
    private static final int H = 3;
    private static final int W = 4;

    private static INDArray batch() {
        return Nd4j.arange(B * C * H * W).castTo(DataType.FLOAT).reshape('c', B, C, H, W);
    }

    @Test
    void everyImageIsExactlyTheFlipItsKeyAsksFor() {
        FlipAugmentation aug = new FlipAugmentation(7);
        INDArray x = batch();
        long[] keys = new long[B];
        for (int i = 0; i < B; i++) {
            keys[i] = 1000 + i;
        }
        INDArray y = aug.apply(x, keys);
        int[] seen = new int[4];
        for (int i = 0; i < B; i++) {
            boolean[] f = aug.flipsFor(keys[i]);
            seen[(f[0] ? 1 : 0) + (f[1] ? 2 : 0)]++;
            for (int c = 0; c < C; c++) {
                for (int r = 0; r < H; r++) {
                    for (int q = 0; q < W; q++) {
                        int sr = f[1] ? H - 1 - r : r;
                        int sq = f[0] ? W - 1 - q : q;
                        assertEquals(x.getFloat(i, c, sr, sq), y.getFloat(i, c, r, q), 0f);
                    }
                }
            }
        }
        // 16 images: every flip combination should occur (probability of missing one is < 0.5%).
        for (int s : seen) {
            assertTrue(s > 0, "a flip combination never occurred: " + java.util.Arrays.toString(seen));
        }
        assertEquals(x.sumNumber().doubleValue(), y.sumNumber().doubleValue(), 0.0);
    }

    @Test
    void flipsDependOnlyOnSeedAndKey() {
        INDArray x = batch();
        long[] keys = new long[B];
        long[] reversed = new long[B];
        for (int i = 0; i < B; i++) {
            keys[i] = 5 * i;
            reversed[B - 1 - i] = 5 * i;
        }
        INDArray a = new FlipAugmentation(3).apply(x, keys);
        INDArray b = new FlipAugmentation(3).apply(x, keys);
        assertArrayEquals(a.data().asFloat(), b.data().asFloat(), 0f);
        boolean anyDifferent = false;
        for (long k = 0; k < 32; k++) {
            anyDifferent |= new FlipAugmentation(3).flipsFor(k)[0] != new FlipAugmentation(4).flipsFor(k)[0];
        }
        assertTrue(anyDifferent, "another seed should give other flips");
        assertThrows(IllegalArgumentException.class, () -> new FlipAugmentation(3).apply(x, new long[B - 1]));
    }
}
