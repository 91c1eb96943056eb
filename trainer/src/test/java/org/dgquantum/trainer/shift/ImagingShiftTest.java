package org.dgquantum.trainer.shift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.dgquantum.data.CenterProfile;
import org.dgquantum.data.Dataset;
import org.dgquantum.data.LesionSpec;
import org.dgquantum.data.NoiseType;
import org.dgquantum.data.ImageOps;
import org.dgquantum.data.SyntheticConfig;
import org.dgquantum.data.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class ImagingShiftTest {
    private static final ImagingShift SHIFT = ImagingShift.defaults(5);

    @Test
    void threeNamedDomainsInLabelOrder() {
        assertEquals(List.of("high-end", "mainstream", "legacy"), SHIFT.domainNames());
        assertEquals(3, SHIFT.numDomains());
    }

    @Test
    void sampledParametersStayInTheirDomainRangesAndSpanThem() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int d = 0; d < 3; d++) {
            VirtualDomain vd = SHIFT.domains().get(d);
            double minB = 1e9;
            double maxB = -1e9;
            for (int i = 0; i < 2000; i++) {
                ShiftParams p = SHIFT.sample(d, rng);
                assertEquals(d, p.domain());
                assertTrue(vd.brightness().contains(p.brightness()), vd.name() + " brightness " + p.brightness());
                assertTrue(vd.contrast().contains(p.contrast()), vd.name() + " contrast " + p.contrast());
                assertTrue(vd.sharpening().contains(p.sharpening()), vd.name() + " sharpening " + p.sharpening());
                assertTrue(vd.noise().contains(p.noise()), vd.name() + " noise " + p.noise());
                minB = Math.min(minB, p.brightness());
                maxB = Math.max(maxB, p.brightness());
            }
            double width = vd.brightness().hi() - vd.brightness().lo();
            assertTrue(maxB - minB > 0.95 * width, "uniform draws should span the range");
        }
        assertThrows(IndexOutOfBoundsException.class, () -> SHIFT.sample(3, rng));
    }

    @Test
    void contrastAndBrightnessFollowTheFormula() {
        float[] img = {0.0f, 0.25f, 0.5f, 0.75f};
        float[] out = ImagingShift.apply(img, 2, 2, new ShiftParams(0, 0.1, 0.8, 0, 0), new SplittableRandom(1));
        for (int i = 0; i < 4; i++) {
            assertEquals((img[i] - 0.5) * 0.8 + 0.5 + 0.1, out[i], 1e-6);
        }
        float[] clamped = ImagingShift.apply(img, 2, 2, new ShiftParams(0, 0.5, 2, 0, 0), new SplittableRandom(1));
        assertEquals(1.0f, clamped[3], 0);
    }

    @Test
    void domainsDifferInNoiseAndSharpness() {
        // Noise-free anatomy, so that the measured noise is the one the shift adds.
        CenterProfile clean = new CenterProfile("clean", 1, 0, 1, 1, 0, 0, NoiseType.GAUSSIAN, 0, 0, 0, 0);
        Dataset src = SyntheticGenerator.generate(new SyntheticConfig(64, 18, 0, 3, List.of(clean), List.of(),
                LesionSpec.defaults())).source();
        Dataset shifted = SHIFT.apply(src);
        assertEquals(List.of("high-end", "mainstream", "legacy"), shifted.domainNames());
        assertArrayEquals(new int[] {12, 12, 12}, shifted.domainCounts());
        assertEquals(36, shifted.size());
        assertArrayEquals(src.labels(), shifted.labels());
        assertEquals(src.ids(), shifted.ids());
        double[] noise = new double[3];
        for (int i = 0; i < shifted.size(); i++) {
            noise[shifted.get(i).domain()] += ImageOps.noiseSigma(shifted.get(i).pixels(), 64, 64);
        }
        assertTrue(noise[0] < noise[1] && noise[1] < noise[2], java.util.Arrays.toString(noise));
        // Deterministic.
        assertArrayEquals(shifted.get(7).pixels(), SHIFT.apply(src).get(7).pixels(), 0f);
        assertFalse(java.util.Arrays.equals(shifted.get(7).pixels(), ImagingShift.defaults(6).apply(src).get(7).pixels()));
    }

    @Test
    void negativeSharpeningBlursPositiveSharpens() {
        SplittableRandom r = new SplittableRandom(2);
        float[] img = new float[32 * 32];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) (0.5 + 0.1 * r.nextGaussian());
        }
        double base = ImageOps.noiseSigma(img, 32, 32);
        double blurred = ImageOps.noiseSigma(ImagingShift.apply(img, 32, 32, new ShiftParams(2, 0, 1, -0.7, 0), r), 32, 32);
        double sharp = ImageOps.noiseSigma(ImagingShift.apply(img, 32, 32, new ShiftParams(0, 0, 1, 0.5, 0), r), 32, 32);
        assertTrue(blurred < 0.6 * base && sharp > 1.2 * base, base + " " + blurred + " " + sharp);
    }

    @Test
    void batchShiftIsPerImageReproducible() {
        Dataset src = SyntheticGenerator.generate(SyntheticConfig.defaults(3).withImageSize(32).withCounts(4, 0)).source();
        INDArray x = src.features(new int[] {0, 1, 2, 3}, 3);
        ImagingShift.Shifted a = SHIFT.shiftBatch(x, new long[] {10, 11, 12, 13});
        ImagingShift.Shifted b = SHIFT.shiftBatch(src.features(new int[] {2, 0}, 3), new long[] {12, 10});
        assertArrayEquals(new long[] {4, 3, 32, 32}, a.features().shape());
        assertEquals(a.features().slice(2), b.features().slice(0));
        assertEquals(a.features().slice(0), b.features().slice(1));
        assertEquals(a.domains()[2], b.domains()[0]);
        assertEquals(a.params().get(0), b.params().get(1));
        // All channels of an image get the same shift.
        assertEquals(a.features().slice(1).slice(0), a.features().slice(1).slice(2));
        INDArray oh = a.domainsOneHot(3);
        for (int i = 0; i < 4; i++) {
            assertEquals(1.0, oh.getDouble(i, a.domains()[i]), 0);
            assertEquals(1.0, oh.getRow(i).sumNumber().doubleValue(), 0);
        }
    }
}
