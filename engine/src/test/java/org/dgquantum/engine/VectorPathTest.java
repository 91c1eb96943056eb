package org.dgquantum.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.dgquantum.engine.internal.VectorSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Vector API loops and the scalar fallback perform the same operations in the same order, so
 * they must give the same bits. Covers general, real and diagonal blocks, the real fast path, and
 * the lane counts below a vector (n = 17) where only wide-stride gates are vectorised.
 */
class VectorPathTest {
    private static final List<Circuit> CIRCUITS = List.of(
            new Circuit(5, 3, Gate.RX, List.of(Gate.RX, Gate.RY, Gate.RZ), Entangler.RING),
            new Circuit(8, 4, Gate.RY, List.of(Gate.RY), Entangler.LINEAR),
            new Circuit(6, 2, Gate.RY, List.of(Gate.RZ), Entangler.RING),
            new Circuit(13, 2, Gate.RY, List.of(Gate.RY, Gate.RZ), Entangler.RING),
            new Circuit(14, 1, Gate.RX, List.of(Gate.RX), Entangler.NONE),
            new Circuit(17, 1, Gate.RY, List.of(Gate.RY, Gate.RZ), Entangler.RING));

    @AfterEach
    void restore() {
        System.clearProperty("dgq.vector");
    }

    @Test
    void vectorApiIsResolvedInTheTestJvm() {
        assertTrue(VectorSupport.available(), "surefire must pass --add-modules=jdk.incubator.vector, or the vector loops go untested");
    }

    @Test
    void vectorAndScalarLoopsGiveIdenticalBits() {
        Random r = new Random(7);
        try (JavaBackend b = new JavaBackend(1)) {
            for (Circuit c : CIRCUITS) {
                int batch = 19;
                int n = c.qubits();
                double[] x = Arrays2.uniform(r, batch * n, -3, 3);
                double[] w = Arrays2.uniform(r, c.weightCount(), -3, 3);
                double[] g = Arrays2.uniform(r, batch * n, -1, 1);
                double[][] vec = run(b, c, batch, x, w, g);
                float[][] vecF = runFloat(b, c, batch, x, w, g);
                System.setProperty("dgq.vector", "false");
                double[][] scalar = run(b, c, batch, x, w, g);
                float[][] scalarF = runFloat(b, c, batch, x, w, g);
                System.clearProperty("dgq.vector");
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(scalar[i], vec[i], c + " float64 output " + i);
                    assertArrayEquals(scalarF[i], vecF[i], c + " float32 output " + i);
                }
            }
        }
    }

    private static double[][] run(JavaBackend b, Circuit c, int batch, double[] x, double[] w, double[] g) {
        double[] z = new double[x.length];
        double[] dx = new double[x.length];
        double[] dw = new double[w.length];
        b.forward(c, batch, x, w, z);
        b.backward(c, batch, x, w, g, dx, dw, Gradient.ADJOINT);
        return new double[][] {z, dx, dw};
    }

    private static float[][] runFloat(JavaBackend b, Circuit c, int batch, double[] x, double[] w, double[] g) {
        float[] z = new float[x.length];
        float[] dx = new float[x.length];
        float[] dw = new float[w.length];
        b.forward(c, batch, Arrays2.toFloat(x), Arrays2.toFloat(w), z);
        b.backward(c, batch, Arrays2.toFloat(x), Arrays2.toFloat(w), Arrays2.toFloat(g), dx, dw, Gradient.ADJOINT);
        return new float[][] {z, dx, dw};
    }
}
