package org.dgquantum.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.Backends;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.DeviceBuffer;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.JavaBackend;
import org.dgquantum.engine.conformance.Conformance;
import org.dgquantum.engine.Precision;
import org.dgquantum.engine.QuantumBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend on a real GPU. Skipped, with the probe's reason, where there is none (no
 * libcuda.so.1, driver too old, no device, no CUDA build in the kernels jar): never silently passed.
 * With {@code -Ddgq.test.requireGpu=true} (bindings/gpu-check.sh) an unavailable GPU fails instead.
 */
class CudaBackendGpuTest {
    static CudaBackend cuda;
    static QuantumBackend reference;
    static String unavailable;

    @BeforeAll
    static void open() {
        try {
            cuda = CudaBackend.open(0);
        } catch (BackendUnavailableException e) {
            if (Boolean.getBoolean("dgq.test.requireGpu")) {
                // bindings/gpu-check.sh: a GPU machine must not skip these.
                throw new AssertionError("-Ddgq.test.requireGpu=true but the CUDA backend is unavailable: "
                        + e.getMessage(), e);
            }
            unavailable = "SKIPPED: needs an NVIDIA GPU with a CUDA 13 driver (R580+) and a kernels jar built with nvcc; "
                    + "here: " + e.getMessage();
            System.out.println("CudaBackendGpuTest " + unavailable);
            return;
        }
        try {
            reference = NativeCpuBackend.open();
        } catch (BackendUnavailableException e) {
            reference = new JavaBackend();
        }
    }

    @BeforeEach
    void needsGpu() {
        assumeTrue(unavailable == null, unavailable);
    }

    @AfterAll
    static void close() {
        if (cuda != null) {
            cuda.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    @Test
    void nameAndChoice() throws Exception {
        assertTrue(cuda.name().startsWith("cuda:0 ("), cuda.name());
        Backends.Selection s = Backends.select(null, null, Backends.providers());
        try {
            assertTrue(s.backend().name().startsWith("cuda:"), s.explanation());
        } finally {
            s.backend().close();
        }
    }

    @Test
    void matchesReferenceCases() {
        Conformance.Report r = Conformance.againstReference(cuda);
        assertTrue(r.passed() && r.checks() >= 96, r.toString());
    }

    @Test
    void agreesWithTheCpuOnRandomCircuits() {
        Conformance.Report r = Conformance.agree(cuda, reference, 77L, 14);
        assertTrue(r.passed() && r.checks() > 100, r.toString());
    }

    @Test
    void devicePointerEntryPointsNeedNoCopies() {
        Circuit c = Circuit.standard(6, 3);
        int batch = 100;
        Random r = new Random(9);
        float[] x = Conformance.f(Conformance.uniform(r, batch * 6, Math.PI));
        float[] w = Conformance.f(Conformance.uniform(r, c.weightCount(), Math.PI));
        float[] g = Conformance.f(Conformance.uniform(r, batch * 6, 1));
        CUdeviceptr dx = alloc(x), dw = alloc(w), dg = alloc(g);
        CUdeviceptr dz = alloc(new float[batch * 6]), ddx = alloc(new float[batch * 6]), ddw = alloc(new float[c.weightCount()]);
        try {
            cuda.forward(c, batch, dev(dx, x.length), dev(dw, w.length), dev(dz, batch * 6));
            cuda.backward(c, batch, dev(dx, x.length), dev(dw, w.length), dev(dg, g.length), dev(ddx, batch * 6),
                    dev(ddw, c.weightCount()), Gradient.ADJOINT);
            float[] z = download(dz, batch * 6);
            float[] gx = download(ddx, batch * 6);
            float[] gw = download(ddw, c.weightCount());
            float[] zr = new float[batch * 6];
            float[] gxr = new float[batch * 6];
            float[] gwr = new float[c.weightCount()];
            reference.forward(c, batch, x, w, zr);
            reference.backward(c, batch, x, w, g, gxr, gwr, Gradient.ADJOINT);
            assertNull(Conformance.mismatch("device forward", Conformance.d(z), Conformance.d(zr), Conformance.TOL32));
            assertNull(Conformance.mismatch("device dx", Conformance.d(gx), Conformance.d(gxr), Conformance.TOL32));
            assertNull(Conformance.mismatch("device dw", Conformance.d(gw), Conformance.d(gwr), 1e-3));
        } finally {
            for (CUdeviceptr p : new CUdeviceptr[] {dx, dw, dg, dz, ddx, ddw}) {
                JCudaDriver.cuMemFree(p);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new DeviceBuffer(0L, batch * 6, 0, Precision.FLOAT32));
    }

    private static DeviceBuffer dev(CUdeviceptr p, int length) {
        return new DeviceBuffer(CudaBackend.Handle.address(p), length, 0, Precision.FLOAT32);
    }

    @Test
    void closeIsIdempotentAndLaterCallsFail() throws Exception {
        CudaBackend b = CudaBackend.open(0);
        b.close();
        b.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> b.forward(Circuit.standard(1, 1), 1, new float[1], new float[2], new float[1]));
        assertEquals(b.name() + " is closed", e.getMessage());
    }

    private static CUdeviceptr alloc(float[] host) {
        CUdeviceptr p = new CUdeviceptr();
        CudaBackend.check("cuMemAlloc", JCudaDriver.cuMemAlloc(p, 4L * host.length));
        CudaBackend.check("cuMemcpyHtoD", JCudaDriver.cuMemcpyHtoD(p, Pointer.to(host), 4L * host.length));
        return p;
    }

    private static float[] download(CUdeviceptr p, int n) {
        float[] host = new float[n];
        CudaBackend.check("cuMemcpyDtoH", JCudaDriver.cuMemcpyDtoH(Pointer.to(host), p, 4L * n));
        return host;
    }
}
