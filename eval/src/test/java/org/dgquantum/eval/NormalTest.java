package org.dgquantum.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NormalTest {

    @Test
    void erfcMatchesReferenceValues() {
        // reference values: Python 3 math.erfc (C library erfc)
        double[][] ref = {
                {0, 1}, {0.125, 0.8596837951986662}, {0.5, 0.4795001221869535}, {1, 0.15729920705028513},
                {1.9, 0.0072095707647425325}, {2.0, 0.004677734981047265}, {2.1, 0.002979466656332984},
                {2.5, 0.0004069520174449589}, {3, 2.2090496998585438e-05}, {5, 1.5374597944280351e-12},
                {10, 2.088487583762545e-45}, {-1, 1.8427007929497148}};
        for (double[] r : ref) assertEquals(r[1], Normal.erfc(r[0]), 1e-13 * r[1], "erfc(" + r[0] + ")");
    }

    @Test
    void quantileAndCdf() {
        assertEquals(0.5, Normal.cdf(0), 1e-16);
        assertEquals(0.975, Normal.cdf(1.959963984540054), 1e-15);
        assertEquals(1.959963984540054, Normal.quantile(0.975), 1e-12);
        assertEquals(-1.6448536269514722, Normal.quantile(0.05), 1e-12);
        assertEquals(0.05, Normal.twoSidedP(-1.959963984540054), 1e-14);
        assertEquals(1.0, Normal.twoSidedP(0), 0.0);
        for (double p = 0.001; p < 1; p += 0.0371) assertEquals(p, Normal.cdf(Normal.quantile(p)), 1e-14);
    }
}
