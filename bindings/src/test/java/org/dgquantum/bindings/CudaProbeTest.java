package org.dgquantum.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CUDA probe on a machine without a GPU: no driver at all, and a stub driver that sees no device. */
class CudaProbeTest {

    /** True when the dynamic loader could find a libcuda.so.1 (checked without our code). */
    static boolean machineHasLibcuda() throws Exception {
        String path = System.getenv("LD_LIBRARY_PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                if (!d.isEmpty() && Files.exists(Path.of(d, "libcuda.so.1"))) {
                    return true;
                }
            }
        }
        for (String d : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/lib/x86_64-linux-gnu", "/usr/lib")) {
            if (Files.exists(Path.of(d, "libcuda.so.1"))) {
                return true;
            }
        }
        try {
            Process p = new ProcessBuilder("ldconfig", "-p").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out.contains("libcuda.so.1 ");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void withoutLibcudaTheProbeSaysSoAndTheChoiceFallsToJava() throws Exception {
        assumeTrue(!machineHasLibcuda(), "this machine has libcuda.so.1 (the GPU tests cover it)");
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, CudaDriverProbe::probe);
        assertTrue(e.getMessage().startsWith("no libcuda.so.1"), e.getMessage());
        // The provider says the same, and the choice falls to the Java backend (faster than native-cpu).
        BackendUnavailableException p = assertThrows(BackendUnavailableException.class, () -> new CudaProvider().open());
        assertTrue(p.getMessage().startsWith("no libcuda.so.1"), p.getMessage());
        Backends.Selection s = Backends.select(null, null, Backends.providers());
        try {
            assertEquals("java", s.backend().name(), s.explanation());
            assertTrue(s.explanation().contains("cuda: no libcuda.so.1"), s.explanation());
        } finally {
            s.backend().close();
        }
        // Forcing cuda fails with the same reason.
        BackendUnavailableException forced = assertThrows(BackendUnavailableException.class,
                () -> Backends.select("cuda", "forced by dgq.backend/DGQ_BACKEND", Backends.providers()));
        assertTrue(forced.getMessage().contains("backend 'cuda'") && forced.getMessage().contains("no libcuda.so.1"),
                forced.getMessage());
    }

    @Test
    void stubDriverWithoutDevicesSaysNoDevice(@TempDir Path dir) throws Exception {
        Path lib = FakeDriver.build(dir, "libcuda-nodevice.so", 13000, 0, 0);
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> CudaDriverProbe.probe(lib.toString()));
        assertTrue(e.getMessage().startsWith("no device"), e.getMessage());
    }

    @Test
    void stubDriverWhoseInitFindsNoDeviceSaysNoDevice(@TempDir Path dir) throws Exception {
        Path lib = FakeDriver.build(dir, "libcuda-initnodevice.so", 13000, 100, 0);
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> CudaDriverProbe.probe(lib.toString()));
        assertTrue(e.getMessage().startsWith("no device (cuInit: CUDA_ERROR_NO_DEVICE"), e.getMessage());
    }

    @Test
    void oldDriverSaysDriverTooOld(@TempDir Path dir) throws Exception {
        Path lib = FakeDriver.build(dir, "libcuda-old.so", 12040, 0, 1);
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> CudaDriverProbe.probe(lib.toString()));
        assertTrue(e.getMessage().startsWith("driver too old: it supports CUDA 12.4"), e.getMessage());
        Path stub = FakeDriver.build(dir, "libcuda-stub.so", 13000, 34, 0);
        BackendUnavailableException s = assertThrows(BackendUnavailableException.class,
                () -> CudaDriverProbe.probe(stub.toString()));
        assertTrue(s.getMessage().contains("CUDA_ERROR_STUB_LIBRARY"), s.getMessage());
    }

    @Test
    void notADriverLibrarySaysWhatIsMissing(@TempDir Path dir) throws Exception {
        Path lib = dir.resolve("libcuda-empty.so");
        Files.createDirectories(dir);
        Path src = dir.resolve("empty.c");
        Files.writeString(src, "int nothing_here(void) { return 0; }\n");
        Process p = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", lib.toString(), src.toString()).start();
        assumeTrue(p.waitFor() == 0, "gcc failed");
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> CudaDriverProbe.probe(lib.toString()));
        assertTrue(e.getMessage().contains("lacks cuInit"), e.getMessage());
    }

    /** Backends.best() in a fresh JVM whose dynamic loader finds the stub libcuda.so.1 first. */
    @Test
    void freshJvmWithStubDriverFallsToJavaWithNoDevice(@TempDir Path dir) throws Exception {
        FakeDriver.build(dir, "libcuda.so.1", 13000, 0, 0);
        Fork.Result r = Fork.run(Map.of("LD_LIBRARY_PATH", dir.toString()), List.of(), "select");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("cuda: no device"), r.output());
        assertTrue(r.output().contains("SELECTED quantum backend: java"), r.output());
    }

    /**
     * A stub driver with one "device" backed by host memory: the choice rejects it because the kernel
     * check fails (the CUDA runtime in libdgq_cuda.so cannot start on it), and CudaBackend's JCuda
     * plumbing - context, stream, fatbin load, grow-only buffers, argument checks, error mapping,
     * close() freeing everything - runs against it.
     */
    @Test
    void stubDeviceExercisesTheDriverPlumbing(@TempDir Path dir) throws Exception {
        FakeDriver.buildEmulated(dir);
        Fork.Result r = Fork.run(Map.of("LD_LIBRARY_PATH", dir.toString()), List.of(), "fakegpu");
        String out = r.output();
        assertEquals(0, r.exit(), out);
        assertTrue(out.contains("cuda: kernel check failed: dgq_cuda_forward_f32 failed: DGQ_ERR_CUDA ("), out);
        assertTrue(out.contains("SELECTED quantum backend: java"), out);
        assertTrue(out.contains("OPENED cuda:0 (Fake GPU, sm_80, driver 13.0)"), out);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("START ALLOCS (\\d+) LIVE 0").matcher(out);
        assertTrue(m.find(), "the failed kernel check must free what it allocated: " + out);
        int start = Integer.parseInt(m.group(1));
        // 3 buffers (inputs, weights, expectations), reused for the same and a smaller batch, 2 regrown for B = 64
        assertTrue(out.contains("BATCH 4 ALLOCS " + (start + 3) + " LIVE 3"), out);
        assertTrue(out.contains("BATCH 2 ALLOCS " + (start + 3) + " LIVE 3"), out);
        assertTrue(out.contains("BATCH 64 ALLOCS " + (start + 5) + " LIVE 3"), out);
        assertTrue(out.contains("FORWARD NativeKernelException: dgq_cuda_forward_f32 failed: DGQ_ERR_CUDA"), out);
        assertTrue(out.contains("CHECKED expectations: length 2 does not match the expected 3"), out);
        // device buffers: in place (nothing staged), through to the launch; another device's memory refused
        assertTrue(out.contains("DEVICE BACKWARD dgq_cuda_backward_f32 failed: DGQ_ERR_CUDA"), out);
        assertTrue(out.contains("DEVICE STAGED 0"), out);
        assertTrue(out.contains("ACCEPTS device 0 true, device 1 false"), out);
        assertTrue(out.contains("DEVICE CHECKED inputs: device buffer float32[6] on device 1 is memory the cuda:0"), out);
        assertTrue(out.contains("CLOSED LIVE 0"), out);
        assertTrue(out.contains("AFTER CLOSE cuda:0 (Fake GPU, sm_80, driver 13.0) is closed"), out);
    }

    /** What JCuda itself does without a driver, and that the CUDA provider never gets there. */
    @Test
    void jcudaWithoutDriverThrowsLinkageErrorsWhichTheProbeAvoids() throws Exception {
        assumeTrue(!machineHasLibcuda(), "this machine has libcuda.so.1");
        Fork.Result r = Fork.run(Map.of(), List.of(), "jcuda");
        assertTrue(r.output().contains("CALL0 java.lang.UnsatisfiedLinkError"), r.output());
        assertTrue(r.output().contains("CALL1 java.lang.NoClassDefFoundError"), r.output());
    }
}
