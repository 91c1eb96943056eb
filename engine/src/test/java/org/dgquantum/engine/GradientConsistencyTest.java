package org.dgquantum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Adjoint vs parameter shift vs central finite differences on random circuits up to n = 12. */
class GradientConsistencyTest {
    static final JavaBackend BACKEND = new JavaBackend(2);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    /** Random circuits covering every gate, both encodings, every entangler and the real fast path. */
    static Stream<Arguments> circuits() {
        return Stream.of(
                Arguments.of(new Circuit(1, 2, Gate.RX, List.of(Gate.RZ, Gate.RX), Entangler.RING), 3),
                Arguments.of(new Circuit(2, 3, Gate.RY, List.of(Gate.RY), Entangler.RING), 5),
                Arguments.of(new Circuit(3, 0, Gate.RX, List.of(Gate.RY), Entangler.RING), 4),
                Arguments.of(new Circuit(4, 3, Gate.RY, List.of(Gate.RX, Gate.RY, Gate.RZ), Entangler.LINEAR), 9),
                Arguments.of(new Circuit(5, 2, Gate.RX, List.of(Gate.RZ, Gate.RZ, Gate.RY), Entangler.NONE), 7),
                Arguments.of(new Circuit(7, 3, Gate.RY, List.of(Gate.RY, Gate.RZ), Entangler.RING), 17),
                Arguments.of(new Circuit(9, 2, Gate.RY, List.of(Gate.RY), Entangler.RING), 3),
                Arguments.of(new Circuit(12, 2, Gate.RX, List.of(Gate.RX, Gate.RZ), Entangler.RING), 2));
    }

    @ParameterizedTest(name = "{0} B={1}")
    @MethodSource("circuits")
    void adjointParameterShiftAndFiniteDifferencesAgree(Circuit c, int batch) {
        Random r = new Random(c.hashCode());
        int n = c.qubits();
        double[] x = Arrays2.uniform(r, batch * n, -Math.PI, Math.PI);
        double[] w = Arrays2.uniform(r, c.weightCount(), -Math.PI, Math.PI);
        double[] g = Arrays2.uniform(r, batch * n, -1, 1);

        double[] dxA = new double[batch * n];
        double[] dwA = new double[c.weightCount()];
        BACKEND.backward(c, batch, x, w, g, dxA, dwA, Gradient.ADJOINT);
        double[] dxP = new double[batch * n];
        double[] dwP = new double[c.weightCount()];
        BACKEND.backward(c, batch, x, w, g, dxP, dwP, Gradient.PARAMETER_SHIFT);

        assertEquals(0, Arrays2.maxAbsDiff(dxA, dxP), 1e-11, "input gradients: adjoint vs parameter shift");
        assertEquals(0, Arrays2.maxAbsDiff(dwA, dwP), 1e-11, "weight gradients: adjoint vs parameter shift");

        // Central differences of L = sum g * z, h = 1e-5: truncation ~h^2, rounding ~1e-16/h.
        double h = 1e-5;
        for (int i = 0; i < x.length; i++) {
            double fd = (loss(c, batch, shifted(x, i, h), w, g) - loss(c, batch, shifted(x, i, -h), w, g)) / (2 * h);
            assertEquals(fd, dxA[i], 1e-7, "dL/dx[" + i + "]");
        }
        for (int i = 0; i < w.length; i++) {
            double fd = (loss(c, batch, x, shifted(w, i, h), g) - loss(c, batch, x, shifted(w, i, -h), g)) / (2 * h);
            assertEquals(fd, dwA[i], 1e-7, "dL/dw[" + i + "]");
        }
        assertTrue(Arrays2.maxAbsDiff(dxA, new double[dxA.length]) > 1e-3, "gradients must not be trivially zero");
    }

    private static double loss(Circuit c, int batch, double[] x, double[] w, double[] g) {
        double[] z = new double[batch * c.qubits()];
        BACKEND.forward(c, batch, x, w, z);
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            sum += g[i] * z[i];
        }
        return sum;
    }

    private static double[] shifted(double[] a, int i, double h) {
        double[] b = a.clone();
        b[i] += h;
        return b;
    }
}
