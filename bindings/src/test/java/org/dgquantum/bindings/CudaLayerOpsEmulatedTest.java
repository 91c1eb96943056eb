package org.dgquantum.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole quantum layer's device operations (CudaLayerOps) on the emulated GPU ({@link EmulatedGpu}: stub
 * driver, the CUDA kernels compiled for the CPU, a host BLAS with cuBLAS's contract) against plain Java loops,
 * both precisions; the memory pool; and JCublas without libcublas: a reason, not a crash.
 */
class CudaLayerOpsEmulatedTest {

    @Test
    void layerOpsMatchJavaLoopsAndMissingCublasIsAReason(@TempDir Path dir) throws Exception {
        EmulatedGpu.Setup setup = EmulatedGpu.prepare(dir);
        Fork.Result r = Fork.run(setup.env(), setup.jvmFlags(), "layerops");
        String out = r.output();
        assertEquals(0, r.exit(), out);
        assertTrue(out.contains("OPENED cuda:0 (Fake GPU"), out);
        assertFalse(out.contains("FAIL"), out);
        for (String p : new String[] {"float32", "float64"}) {
            assertTrue(out.contains("LAYER OPS host BLAS (test) on cuda:0 (Fake GPU, sm_80, driver 13.0) " + p), out);
            for (String ta : new String[] {"false", "true"}) {
                for (String tb : new String[] {"false", "true"}) {
                    assertTrue(out.contains("OK matmul ta=" + ta + " tb=" + tb + " " + p), out);
                }
            }
            for (String op : new String[] {"piTanh", "add", "piTanhBackward", "pool reuse"}) {
                assertTrue(out.contains("OK " + op + " " + p), out);
            }
        }
        assertTrue(out.contains("OK shape check: matmul: op(a) is [5][3], op(b) is [5][3]"), out);
        if (!out.contains("JCUBLAS opened")) {
            assertTrue(out.contains("JCUBLAS UNAVAILABLE JCublas cannot load cuBLAS (its native library needs libcublas.so.12"),
                    out);
        }
    }
}
