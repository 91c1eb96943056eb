package org.dgquantum.examples.library;

import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Gradient;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineExampleTest {

    @Test
    void mainRuns() throws Exception {
        EngineExample.main(new String[0]);
    }

    @Test
    void withoutEntanglerOrWeightsEachQubitReadsCosOfItsAngle() {
        // RY(x)|0> has <Z> = cos x; zero rotations are the identity.
        Circuit c = Circuit.of(3, 1, "RY", List.of("RY", "RZ"), "none");
        double[] x = {0.1, 0.7, -2.0, 1.5, 0.0, 3.0};
        double[] up = new double[x.length];
        EngineExample.Pass p = EngineExample.float64(c, 2, x, new double[c.weightCount()], up, Gradient.ADJOINT);
        double[] expected = Arrays.stream(x).map(Math::cos).toArray();
        assertArrayEquals(expected, p.z(), 1e-12);
    }

    @Test
    void gradientsMatchCentralDifferencesOfTheForwardPass() {
        int batch = 3;
        double[][] in = EngineExample.inputs(batch);
        Circuit c = EngineExample.circuit();
        EngineExample.Pass p = EngineExample.float64(c, batch, in[0], in[1], in[2], Gradient.ADJOINT);
        double h = 1e-5;
        for (int i : new int[] {0, 5, in[1].length - 1}) { // a few weights: d sum(z) / dw_i over the batch
            double[] plus = in[1].clone();
            double[] minus = in[1].clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (sum(c, batch, in[0], plus) - sum(c, batch, in[0], minus)) / (2 * h);
            assertEquals(numeric, p.dw()[i], 1e-7, "dw[" + i + "]");
        }
        for (int i : new int[] {0, 6, in[0].length - 1}) {
            double[] plus = in[0].clone();
            double[] minus = in[0].clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (sum(c, batch, plus, in[1]) - sum(c, batch, minus, in[1])) / (2 * h);
            assertEquals(numeric, p.dx()[i], 1e-7, "dx[" + i + "]");
        }
    }

    @Test
    void float32OnTheBestBackendAgreesWithFloat64AndStaysInRange() throws Exception {
        EngineExample.Pass f32 = EngineExample.float32(4);
        double[][] in = EngineExample.inputs(4);
        EngineExample.Pass f64 = EngineExample.float64(EngineExample.circuit(), 4, in[0], in[1], in[2], Gradient.ADJOINT);
        assertEquals(16, f32.z().length);
        assertTrue(Arrays.stream(f32.z()).allMatch(v -> v >= -1 && v <= 1), Arrays.toString(f32.z()));
        assertArrayEquals(f64.z(), f32.z(), 1e-5);
        assertArrayEquals(f64.dx(), f32.dx(), 1e-4);
        assertArrayEquals(f64.dw(), f32.dw(), 1e-4);
    }

    private static double sum(Circuit c, int batch, double[] x, double[] w) {
        double[] z = EngineExample.float64(c, batch, x, w, new double[x.length], Gradient.ADJOINT).z();
        return Arrays.stream(z).sum();
    }
}
