package org.dgquantum.bindings;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Builds a stub libcuda.so.1 with gcc: cuDriverGetVersion, cuInit and cuDeviceGetCount with fixed answers. */
final class FakeDriver {
    private FakeDriver() {
    }

    static Path build(Path dir, String fileName, int version, int initResult, int devices)
            throws IOException, InterruptedException {
        return compile(dir, fileName, """
                int cuDriverGetVersion(int* v) { *v = %d; return 0; }
                int cuInit(unsigned int flags) { (void) flags; return %d; }
                int cuDeviceGetCount(int* n) { *n = %d; return 0; }
                """.formatted(version, initResult, devices));
    }

    /**
     * A stub driver with one "device" whose memory is host memory: enough of the driver API for JCuda's
     * part of CudaBackend (context, stream, module load, buffers, copies). It counts allocations
     * (fake_allocs, fake_live). The CUDA runtime inside libdgq_cuda.so cannot initialise on it, so
     * launches fail with DGQ_ERR_CUDA: that exercises the error path, not the kernels.
     */
    static Path buildEmulated(Path dir) throws IOException, InterruptedException {
        return compile(dir, "libcuda.so.1", """
                #include <stdlib.h>
                #include <string.h>
                #include <stdint.h>
                static int allocs, live;
                int fake_allocs(void) { return allocs; }
                int fake_live(void) { return live; }
                int cuDriverGetVersion(int* v) { *v = 13000; return 0; }
                int cuInit(unsigned int f) { (void) f; return 0; }
                int cuDeviceGetCount(int* n) { *n = 1; return 0; }
                int cuDeviceGet(int* d, int o) { *d = o; return o == 0 ? 0 : 101; }
                int cuDeviceGetName(char* s, int len, int d) { (void) d; strncpy(s, "Fake GPU", len); return 0; }
                int cuDeviceGetAttribute(int* v, int a, int d) { (void) d; *v = a == 75 ? 8 : 0; return 0; }
                int cuDevicePrimaryCtxRetain(void** c, int d) { (void) d; *c = (void*) 0x1000; return 0; }
                int cuDevicePrimaryCtxRelease_v2(int d) { (void) d; return 0; }
                int cuCtxSetCurrent(void* c) { (void) c; return 0; }
                int cuModuleLoadData(void** m, const void* img) { (void) img; *m = (void*) 0x2000; return 0; }
                int cuModuleUnload(void* m) { (void) m; return 0; }
                int cuStreamCreate(void** s, unsigned int f) { (void) f; *s = (void*) 0x3000; return 0; }
                int cuStreamDestroy_v2(void* s) { (void) s; return 0; }
                int cuMemAlloc_v2(uint64_t* p, size_t n) { void* m = malloc(n); if (!m) return 2; *p = (uint64_t)(uintptr_t) m; allocs++; live++; return 0; }
                int cuMemFree_v2(uint64_t p) { free((void*)(uintptr_t) p); live--; return 0; }
                int cuMemcpyHtoD_v2(uint64_t d, const void* s, size_t n) { memcpy((void*)(uintptr_t) d, s, n); return 0; }
                int cuMemcpyDtoH_v2(void* d, uint64_t s, size_t n) { memcpy(d, (void*)(uintptr_t) s, n); return 0; }
                int cuStreamSynchronize(void* s) { (void) s; return 0; }
                int cuGetErrorString(int e, const char** s) { (void) e; *s = "fake error"; return 0; }
                int cuGetErrorName(int e, const char** s) { (void) e; *s = "CUDA_ERROR_FAKE"; return 0; }
                """);
    }

    private static Path compile(Path dir, String fileName, String source) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path src = dir.resolve(fileName + ".c");
        Files.writeString(src, source);
        Path lib = dir.resolve(fileName);
        Process p;
        try {
            p = new ProcessBuilder("gcc", "-shared", "-fPIC", "-Wl,-z,noexecstack", "-o", lib.toString(), src.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "gcc is needed to build the fake libcuda.so.1: " + e.getMessage());
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes());
        assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "gcc failed: " + out);
        return lib;
    }
}
