package org.dgquantum.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.dgquantum.bindings.EmulatedGpu;
import org.dgquantum.bindings.Fork;
import org.dgquantum.engine.JavaBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole-layer check of gpu-check.sh: it passes on the emulated GPU, prints its table, and refuses a host path. */
class LayerCheckTest {

    @Test
    void passesOnTheEmulatedGpuAndPrintsOneRowPerBatch(@TempDir Path dir) throws Exception {
        Fork.Result r = EmulatedGpu.runDl4j(dir, LayerCheckEmulatedMain.class);
        String out = r.output();
        assertEquals(0, r.exit(), out);
        assertTrue(out.contains("layer-check: the whole layer on cuda:0 (Fake GPU, sm_80, driver 13.0) matches the Java layer"
                + " (float32, d = 16, n = 3, tolerance 1.0E-4)"), out);
        assertTrue(out.contains("| B | whole layer on cuda:0 (Fake GPU"), out);
        for (int b : new int[] {4, 16}) {
            assertTrue(Pattern.compile("\\| " + b + " \\| \\d+\\.\\d{3} \\| \\d+\\.\\d{3} \\| \\d+\\.\\d{3} \\| \\d+\\.\\dx \\|")
                    .matcher(out).find(), "row for B = " + b + ": " + out);
        }
    }

    @Test
    void aBackendWithoutTheWholeLayerPathFailsTheCheck() {
        try (JavaBackend device = new JavaBackend(1); JavaBackend reference = new JavaBackend(1)) {
            List<String> failures = LayerCheck.check(device, reference, 8, 3, 4);
            assertEquals(1, failures.size(), failures.toString());
            assertTrue(failures.get(0).startsWith("the layer did not take the whole-layer path on java"), failures.toString());
        }
    }
}
