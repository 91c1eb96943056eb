package org.dgquantum.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImageOpsTest {
    @Test
    void resizeAveragesWhenShrinkingAndKeepsConstants() {
        float[] img = {0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1};
        float[] half = ImageOps.resize(img, 4, 4, 2, 2);
        for (float v : half) {
            assertEquals(0.5f, v, 1e-6f);
        }
        float[] c = new float[9];
        java.util.Arrays.fill(c, 0.3f);
        for (float v : ImageOps.resize(c, 3, 3, 7, 5)) {
            assertEquals(0.3f, v, 1e-6f);
        }
        assertEquals(35, ImageOps.resize(c, 3, 3, 7, 5).length);
    }

    @Test
    void noiseEstimateTracksTheNoiseLevel() {
        SplittableRandom r = new SplittableRandom(1);
        float[] a = new float[64 * 64];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (0.5 + 0.05 * r.nextGaussian());
        }
        assertEquals(0.05, ImageOps.noiseSigma(a, 64, 64), 0.005);
        float[] blurred = ImageOps.gaussianBlur(a, 64, 64, 1.0);
        assertTrue(ImageOps.noiseSigma(blurred, 64, 64) < 0.02);
        assertEquals(ImageOps.mean(a), ImageOps.mean(blurred), 0.002);
    }
}
