package org.dgquantum.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SyntheticGeneratorTest {
    static final int PER_CLASS = 24;
    static DataBundle bundle;

    @BeforeAll
    static void generate() {
        bundle = SyntheticGenerator.generate(SyntheticConfig.defaults(42).withCounts(PER_CLASS, 16));
    }

    @Test
    void layoutCountsAndBalance() {
        Dataset src = bundle.source();
        Dataset tgt = bundle.target();
        assertEquals(List.of("A-highfield", "B-mainstream", "C-older"), src.domainNames());
        assertEquals(List.of("D-rician-ring", "E-speckle-ghost"), tgt.domainNames());
        assertArrayEquals(new int[] {3 * PER_CLASS, 3 * PER_CLASS}, src.classCounts());
        assertArrayEquals(new int[] {2 * PER_CLASS, 2 * PER_CLASS, 2 * PER_CLASS}, src.domainCounts());
        assertArrayEquals(new int[] {32, 32}, tgt.classCounts());
        for (int d = 0; d < src.numDomains(); d++) {
            int dd = d;
            assertEquals(PER_CLASS, src.samples().stream().filter(s -> s.domain() == dd && s.isLesion()).count());
        }
        assertEquals(64, src.height());
        assertEquals(64, src.width());
        assertEquals(src.size(), src.idSet().size());
        for (Sample s : src.samples()) {
            for (float v : s.pixels()) {
                assertTrue(v >= 0 && v <= 1);
            }
        }
    }

    @Test
    void deterministicBySeedAndIndependentOfThreads() throws Exception {
        SyntheticConfig cfg = SyntheticConfig.defaults(42).withCounts(PER_CLASS, 16);
        DataBundle again = new ForkJoinPool(1).submit(() -> SyntheticGenerator.generate(cfg)).get();
        for (int i = 0; i < bundle.source().size(); i++) {
            assertArrayEquals(bundle.source().get(i).pixels(), again.source().get(i).pixels(), 0f);
        }
        assertArrayEquals(bundle.target().get(5).pixels(), again.target().get(5).pixels(), 0f);
        DataBundle other = SyntheticGenerator.generate(cfg.withSeed(43));
        assertFalse(java.util.Arrays.equals(bundle.source().get(0).pixels(), other.source().get(0).pixels()));
    }

    @Test
    void imageSizeIsConfigurable() {
        DataBundle small = SyntheticGenerator.generate(SyntheticConfig.defaults(1).withImageSize(32).withCounts(2, 1));
        assertEquals(32, small.source().height());
        assertEquals(12, small.source().size());
        assertEquals(4, small.target().size());
    }

    private static double[] centerStat(Dataset ds, int domain, boolean noise) {
        return ds.samples().stream().filter(s -> s.domain() == domain)
                .mapToDouble(s -> noise ? ImageOps.noiseSigma(s.pixels(), s.height(), s.width()) : ImageOps.mean(s.pixels()))
                .toArray();
    }

    private static double avg(double[] a) {
        return java.util.Arrays.stream(a).average().orElseThrow();
    }

    @Test
    void centersDifferMeasurably() {
        Dataset src = bundle.source();
        double noiseA = avg(centerStat(src, 0, true));
        double noiseB = avg(centerStat(src, 1, true));
        double noiseC = avg(centerStat(src, 2, true));
        assertTrue(noiseA < 0.8 * noiseB && noiseB < noiseC, "noise A " + noiseA + " B " + noiseB + " C " + noiseC);
        double meanA = avg(centerStat(src, 0, false));
        double meanB = avg(centerStat(src, 1, false));
        double meanC = avg(centerStat(src, 2, false));
        assertTrue(meanB > meanA + 0.04 && meanA > meanC + 0.02, "means A " + meanA + " B " + meanB + " C " + meanC);
        // Unseen center D (Rician noise + ring artifact): the air around the head is lifted well above zero.
        double airA = airMean(src, 0);
        double airD = airMean(bundle.target(), 0);
        assertTrue(airD > airA + 0.02, "air A " + airA + " D " + airD);
        // Unseen center E (speckle): noise is multiplicative, so the air is much cleaner than the tissue.
        double ratioE = tissueToAirNoise(bundle.target(), 1);
        double ratioC = tissueToAirNoise(src, 2);
        assertTrue(ratioE > 2 * ratioC, "tissue/air noise ratio E " + ratioE + " C " + ratioC);
    }

    /** Mean of the 6x6 corner patches (air). */
    private static double airMean(Dataset ds, int domain) {
        double sum = 0;
        int n = 0;
        for (Sample s : ds.samples()) {
            if (s.domain() != domain) {
                continue;
            }
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 6; x++) {
                    sum += s.pixel(y, x) + s.pixel(y, 63 - x);
                    n += 2;
                }
            }
        }
        return sum / n;
    }

    private static double tissueToAirNoise(Dataset ds, int domain) {
        double tissue = 0;
        double air = 0;
        for (Sample s : ds.samples()) {
            if (s.domain() != domain) {
                continue;
            }
            tissue += localStd(s, 28, 12);
            air += localStd(s, 0, 0) + 1e-4;
        }
        return tissue / air;
    }

    private static double localStd(Sample s, int y0, int x0) {
        float[] p = new float[36];
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
                p[y * 6 + x] = s.pixel(y0 + y, x0 + x);
            }
        }
        return ImageOps.std(p);
    }

    @Test
    void lesionChangesOnlyASmallRegionOfTheSameAnatomy() {
        // A noise-free center with no jitter: the same (center, index) gives the same anatomy for both labels.
        CenterProfile clean = new CenterProfile("clean", 1, 0, 1, 1, 0, 0, NoiseType.GAUSSIAN, 0, 0, 0, 0);
        SyntheticConfig cfg = new SyntheticConfig(64, 4, 0, 9, List.of(clean), List.of(), LesionSpec.defaults());
        for (int i = 0; i < 8; i++) {
            Sample normal = SyntheticGenerator.sample(cfg, clean, 0, i, 0, 1);
            Sample lesion = SyntheticGenerator.sample(cfg, clean, 0, i, 1, 1);
            int changed = 0;
            double maxDiff = 0;
            for (int p = 0; p < 64 * 64; p++) {
                double d = Math.abs(normal.pixels()[p] - lesion.pixels()[p]);
                maxDiff = Math.max(maxDiff, d);
                if (d > 0.01) {
                    changed++;
                }
            }
            assertTrue(maxDiff >= 0.5 * LesionSpec.defaults().minContrast(), "lesion too faint: " + maxDiff);
            // 1 to 3 lesions of radius <= 12% of the side: well under the ~2000 px of tissue.
            assertTrue(changed >= 20 && changed < 1000, "lesion area " + changed + " px");
        }
    }

    @Test
    void theTaskIsNotTrivialFromGlobalIntensity() {
        // Lesions are small: class means of the image mean differ by far less than their spread.
        Dataset src = bundle.source();
        double[] m0 = src.samples().stream().filter(s -> !s.isLesion()).mapToDouble(s -> ImageOps.mean(s.pixels())).toArray();
        double[] m1 = src.samples().stream().filter(Sample::isLesion).mapToDouble(s -> ImageOps.mean(s.pixels())).toArray();
        double diff = Math.abs(avg(m0) - avg(m1));
        float[] all = new float[m0.length + m1.length];
        for (int i = 0; i < m0.length; i++) {
            all[i] = (float) m0[i];
        }
        for (int i = 0; i < m1.length; i++) {
            all[m0.length + i] = (float) m1[i];
        }
        assertTrue(diff < 0.25 * ImageOps.std(all), "class mean difference " + diff + " vs spread " + ImageOps.std(all));
    }
}
