package org.dgquantum.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.dgquantum.bindings.EmulatedGpu;
import org.dgquantum.bindings.Fork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole quantum layer on a GPU, without one: ND4J on the CPU, the layer's matrices in the CUDA backend's
 * device memory ({@link BackendDeviceOps}, CudaLayerOps), on the emulated GPU of {@link EmulatedGpu} (stub
 * driver, the CUDA kernels compiled for the CPU, a host BLAS with cuBLAS's contract), against the same network
 * on the Java backend: outputs, gradients and three training steps, float32 and float64. And with the real
 * JCublas binding and no libcublas: the reason is logged and the layer trains on the host path.
 */
class WholeLayerOnDeviceTest {

    @Test
    void theEmulatedDeviceLayerMatchesTheJavaLayerAndMissingCublasFallsBack(@TempDir Path dir) throws Exception {
        Fork.Result r = EmulatedGpu.runDl4j(dir, WholeLayerOnDeviceMain.class);
        String out = r.output();
        assertEquals(0, r.exit(), out);
        assertFalse(out.contains("FAIL"), out);
        for (String dt : new String[] {"FLOAT", "DOUBLE"}) {
            assertTrue(out.contains("MEMORY " + dt + " backend device / host"), out);
            for (String what : new String[] {"output", "gradient", "parameters after 3 steps", "backend calls"}) {
                assertTrue(out.contains("OK " + what + " " + dt), what + " " + dt + ": " + out);
            }
        }
        assertTrue(out.contains("the whole layer on host BLAS (test) on cuda:0 (Fake GPU"), out);
        assertTrue(out.contains("SWITCHED OFF host"), out);
        if (!out.contains("WITH JCUBLAS backend device")) { // a machine with libcublas.so.12 takes the device path
            assertTrue(out.contains("host memory (JCublas cannot load cuBLAS"), out);
            assertTrue(out.contains("WITH JCUBLAS host"), out);
            assertTrue(out.contains("WITH JCUBLAS trained, score"), out);
        }
    }
}
