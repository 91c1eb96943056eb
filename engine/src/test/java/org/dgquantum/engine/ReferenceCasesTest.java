package org.dgquantum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.dgquantum.engine.conformance.ReferenceCase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every reference case, both gradient methods, both precisions, against independent float64 values. */
class ReferenceCasesTest {
    /** float64: the kernels are exact up to a few hundred roundings of O(1) numbers. */
    static final double TOL64 = 1e-11;
    /** float32: unit roundoff 6e-8 times at most a few hundred operations. */
    static final double TOL32 = 2e-5;

    static final JavaBackend BACKEND = new JavaBackend(2);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    static Stream<Arguments> cases() {
        return ReferenceCase.load().stream().flatMap(c -> Stream.of(Gradient.values()).map(g -> Arguments.of(c, g)));
    }

    @Test
    void allCasesAreLoaded() {
        List<ReferenceCase> cases = ReferenceCase.load();
        assertTrue(cases.size() >= 8, "expected the 8 shared reference cases, found " + cases.size());
    }

    @ParameterizedTest(name = "{0} {1} float64")
    @MethodSource("cases")
    void float64MatchesReference(ReferenceCase c, Gradient method) {
        int n = c.circuit().qubits();
        double[] z = new double[c.batch() * n];
        BACKEND.forward(c.circuit(), c.batch(), c.inputs(), c.weights(), z);
        double[] dx = new double[c.batch() * n];
        double[] dw = new double[c.circuit().weightCount()];
        BACKEND.backward(c.circuit(), c.batch(), c.inputs(), c.weights(), c.upstream(), dx, dw, method);
        assertEquals(0, Arrays2.maxAbsDiff(z, c.expectations()), TOL64, "expectations");
        assertEquals(0, Arrays2.maxAbsDiff(dx, c.inputGradients()), TOL64, "input gradients");
        assertEquals(0, Arrays2.maxAbsDiff(dw, c.weightGradients()), TOL64, "weight gradients");
    }

    @ParameterizedTest(name = "{0} {1} float32")
    @MethodSource("cases")
    void float32MatchesReference(ReferenceCase c, Gradient method) {
        int n = c.circuit().qubits();
        float[] z = new float[c.batch() * n];
        float[] in = Arrays2.toFloat(c.inputs());
        float[] w = Arrays2.toFloat(c.weights());
        BACKEND.forward(c.circuit(), c.batch(), in, w, z);
        float[] dx = new float[c.batch() * n];
        float[] dw = new float[c.circuit().weightCount()];
        BACKEND.backward(c.circuit(), c.batch(), in, w, Arrays2.toFloat(c.upstream()), dx, dw, method);
        assertEquals(0, Arrays2.maxAbsDiff(Arrays2.toDouble(z), c.expectations()), TOL32, "expectations");
        assertEquals(0, Arrays2.maxAbsDiff(Arrays2.toDouble(dx), c.inputGradients()), TOL32, "input gradients");
        assertEquals(0, Arrays2.maxAbsDiff(Arrays2.toDouble(dw), c.weightGradients()), TOL32, "weight gradients");
    }
}
