package org.dgquantum.bindings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Random;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Entangler;
import org.dgquantum.engine.Gate;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.JavaBackend;
import org.dgquantum.engine.conformance.Conformance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** libdgq_cpu.so through Panama against the reference values and the Java backend. */
class NativeCpuBackendTest {
    static NativeCpuBackend nativeCpu;
    static JavaBackend javaBackend;

    @BeforeAll
    static void open() {
        try {
            nativeCpu = NativeCpuBackend.open();
        } catch (BackendUnavailableException e) {
            assumeTrue(false, "native CPU library not available on this platform/build: " + e.getMessage());
        }
        javaBackend = new JavaBackend(1);
    }

    @AfterAll
    static void close() {
        if (javaBackend != null) {
            javaBackend.close();
        }
        if (nativeCpu != null) {
            nativeCpu.close();
        }
    }

    @Test
    void nameSaysNativeCpuAndIsa() {
        assertTrue(nativeCpu.name().startsWith("native-cpu ("), nativeCpu.name());
        assertTrue(List.of("avx512", "avx2", "base").contains(nativeCpu.isa()), nativeCpu.isa());
        assertEquals(24, nativeCpu.maxQubits());
    }

    @Test
    void matchesReferenceCases() {
        Conformance.Report r = Conformance.againstReference(nativeCpu);
        assertTrue(r.passed() && r.checks() >= 8 * 2 * 6, r.toString());
    }

    @Test
    void agreesWithJavaOnRandomCircuits() {
        Conformance.Report r = Conformance.agree(nativeCpu, javaBackend, 20261121L, 10);
        assertTrue(r.passed() && r.checks() > 100, r.toString());
    }

    @Test
    void threadCountDoesNotChangeResults() throws Exception {
        Circuit c = Circuit.standard(8, 3);
        Random r = new Random(3);
        int batch = 64;
        float[] x = Conformance.f(Conformance.uniform(r, batch * 8, Math.PI));
        float[] w = Conformance.f(Conformance.uniform(r, c.weightCount(), Math.PI));
        float[] g = Conformance.f(Conformance.uniform(r, batch * 8, 1));
        float[][] dw = new float[2][c.weightCount()];
        float[][] dx = new float[2][batch * 8];
        int i = 0;
        for (int threads : new int[] {1, 2}) {
            NativeCpuBackend b = NativeCpuBackend.open(NativeLibraries.locate(NativeCpuBackend.LIBRARY), threads);
            assertTrue(b.name().contains(threads + " threads"), b.name());
            b.backward(c, batch, x, w, g, dx[i], dw[i], Gradient.ADJOINT);
            i++;
        }
        assertArrayEquals(dx[0], dx[1]);
        assertArrayEquals(dw[0], dw[1]);
    }

    @Test
    void heapArraysAreWrittenInPlaceAndLargeBatchesWork() {
        // A batch big enough for the library to start its OpenMP team.
        Circuit c = new Circuit(6, 2, Gate.RX, List.of(Gate.RX, Gate.RY, Gate.RZ), Entangler.LINEAR);
        Random r = new Random(5);
        int batch = 4096;
        double[] x = Conformance.uniform(r, batch * 6, Math.PI);
        double[] w = Conformance.uniform(r, c.weightCount(), Math.PI);
        double[] zn = new double[batch * 6];
        double[] zj = new double[batch * 6];
        nativeCpu.forward(c, batch, x, w, zn);
        javaBackend.forward(c, batch, x, w, zj);
        assertNull(Conformance.mismatch("B=4096 forward", zn, zj, Conformance.TOL64));
    }

    @Test
    void concurrentCallsFromManyThreadsMatchSerialOnes() throws Exception {
        Circuit c = Circuit.standard(7, 2);
        Random r = new Random(11);
        int batch = 40;
        int callers = 6;
        float[][] x = new float[callers][];
        float[][] serial = new float[callers][batch * 7];
        float[] w = Conformance.f(Conformance.uniform(r, c.weightCount(), Math.PI));
        for (int t = 0; t < callers; t++) {
            x[t] = Conformance.f(Conformance.uniform(r, batch * 7, Math.PI));
            nativeCpu.forward(c, batch, x[t], w, serial[t]);
        }
        float[][] parallel = new float[callers][batch * 7];
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(callers)) {
            List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < callers; t++) {
                int tt = t;
                futures.add(pool.submit(() -> {
                    for (int rep = 0; rep < 20; rep++) {
                        nativeCpu.forward(c, batch, x[tt], w, parallel[tt]);
                    }
                }));
            }
            for (var f : futures) {
                f.get();
            }
        }
        for (int t = 0; t < callers; t++) {
            assertArrayEquals(serial[t], parallel[t], "caller " + t);
        }
    }

    @Test
    void emptyBatchAndZeroLayers() {
        Circuit c = new Circuit(3, 0, Gate.RY, List.of(Gate.RZ), Entangler.RING);
        nativeCpu.forward(c, 0, new float[0], new float[0], new float[0]);
        float[] dw = new float[0];
        nativeCpu.backward(c, 0, new float[0], new float[0], new float[0], new float[0], dw, Gradient.ADJOINT);
        // L = 0: z_q = cos(x_q) for RY encoding.
        double[] x = {0.3, -1.2, 2.0};
        double[] z = new double[3];
        nativeCpu.forward(c, 1, x, new double[0], z);
        assertNull(Conformance.mismatch("L=0", z, new double[] {Math.cos(0.3), Math.cos(-1.2), Math.cos(2.0)}, 1e-12));
        double[] dx = new double[3];
        nativeCpu.backward(c, 1, x, new double[0], new double[] {1, 1, 1}, dx, new double[0], Gradient.PARAMETER_SHIFT);
        assertNull(Conformance.mismatch("L=0 dx", dx, new double[] {-Math.sin(0.3), -Math.sin(-1.2), -Math.sin(2.0)}, 1e-12));
    }

    @Test
    void rejectsBadArgumentsLikeTheJavaBackend() {
        Circuit c = Circuit.standard(2, 1);
        float[] x = {0.1f, Float.NaN};
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
                () -> nativeCpu.forward(c, 1, x, new float[4], new float[2]));
        IllegalArgumentException j = assertThrows(IllegalArgumentException.class,
                () -> javaBackend.forward(c, 1, x, new float[4], new float[2]));
        assertEquals(j.getMessage(), n.getMessage());
        assertThrows(IllegalArgumentException.class, () -> nativeCpu.forward(c, 2, new float[4], new float[4], new float[3]));
        Circuit big = Circuit.standard(25, 1);
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> nativeCpu.forward(big, 1, new float[25], new float[50], new float[25]));
        assertTrue(tooBig.getMessage().contains("limit of 24"), tooBig.getMessage());
        Circuit nine = new Circuit(1, 1, Gate.RY, java.util.Collections.nCopies(9, Gate.RY), Entangler.NONE);
        IllegalArgumentException rot = assertThrows(IllegalArgumentException.class,
                () -> nativeCpu.forward(nine, 1, new float[1], new float[9], new float[1]));
        assertTrue(rot.getMessage().contains("limit of 8"), rot.getMessage());
    }

    @Test
    void errorCodesCarryTheLibraryMessage() {
        NativeKernelException e = new NativeKernelException("dgq_cpu_forward_f32", DgqAbi.ERR_INVALID, "batch must be >= 0");
        assertEquals("dgq_cpu_forward_f32 failed: DGQ_ERR_INVALID (batch must be >= 0)", e.getMessage());
        assertEquals(1, e.code());
    }
}
