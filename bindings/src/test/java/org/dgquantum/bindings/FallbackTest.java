package org.dgquantum.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dgquantum.engine.BackendProvider;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.Backends;
import org.dgquantum.engine.JavaBackendProvider;
import org.dgquantum.engine.QuantumBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native library missing or corrupt: a clean fallback with the reason. */
class FallbackTest {

    static BackendProvider nativeFrom(Path library) {
        return new BackendProvider() {
            @Override
            public String id() {
                return "native";
            }

            @Override
            public int priority() {
                return 200;
            }

            @Override
            public QuantumBackend open() throws BackendUnavailableException {
                return NativeCpuBackend.open(library, 0);
            }
        };
    }

    static Path corrupt(Path dir) throws Exception {
        Path lib = dir.resolve(NativeCpuBackend.LIBRARY);
        Files.write(lib, "this is not a shared library".getBytes());
        return lib;
    }

    @Test
    void missingResourceForThisPlatform() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> NativeLibraries.extract("native/plan9-mips/libdgq_cpu.so", getClass().getClassLoader()));
        assertTrue(e.getMessage().startsWith("libdgq_cpu.so missing for this platform"), e.getMessage());
        assertTrue(NativeLibraries.resourcePath("x").startsWith("native/" + NativeLibraries.platform() + "/"));
    }

    @Test
    void extractedOncePerProcessIntoAPrivateDirectory() throws Exception {
        Path a;
        try {
            a = NativeLibraries.locate(NativeCpuBackend.LIBRARY);
        } catch (BackendUnavailableException e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "no native library in this build: " + e.getMessage());
            return;
        }
        assertEquals(a, NativeLibraries.locate(NativeCpuBackend.LIBRARY));
        assertTrue(a.getParent().getFileName().toString().startsWith("dgquantum-native-"), a.toString());
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(a.getParent())));
    }

    /** (dlopen of this file makes HotSpot print a harmless "might have disabled stack guard" warning.) */
    @Test
    void corruptLibraryIsUnavailableWithTheLoaderMessage(@TempDir Path dir) throws Exception {
        Path lib = corrupt(dir);
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> NativeCpuBackend.open(lib, 0));
        assertTrue(e.getMessage().startsWith("cannot load libdgq_cpu.so (corrupt or wrong platform?)"), e.getMessage());
    }

    @Test
    void wrongLibraryLacksTheSymbols(@TempDir Path dir) throws Exception {
        Path other = FakeDriver.build(dir, "libdgq_cpu.so", 13000, 0, 0);
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> NativeCpuBackend.open(other, 0));
        assertTrue(e.getMessage().contains("lacks the symbol dgq_cpu_"), e.getMessage());
    }

    @Test
    void choiceFallsToJavaAndSaysWhy(@TempDir Path dir) throws Exception {
        List<BackendProvider> providers = List.of(new CudaProvider(), nativeFrom(corrupt(dir)), new JavaBackendProvider());
        Backends.Selection s = Backends.select(null, null, providers);
        try {
            assertEquals("java", s.backend().name().split(" ")[0], s.explanation());
            assertTrue(s.explanation().contains("cuda: "), s.explanation());
            assertTrue(s.explanation().contains("native: cannot load libdgq_cpu.so"), s.explanation());
        } finally {
            s.backend().close();
        }
        BackendUnavailableException forced = assertThrows(BackendUnavailableException.class,
                () -> Backends.select("native-cpu", "forced by dgq.backend/DGQ_BACKEND", providers));
        assertTrue(forced.getMessage().startsWith("backend 'native' (forced by dgq.backend/DGQ_BACKEND) is unavailable: "
                + "cannot load libdgq_cpu.so"), forced.getMessage());
    }

    /** The real ServiceLoader path in a fresh JVM: -Ddgq.native.dir points at a corrupt and at an empty directory. */
    @Test
    void freshJvmFallsBackWithReasons(@TempDir Path dir) throws Exception {
        Path bad = Files.createDirectories(dir.resolve("bad"));
        corrupt(bad);
        Fork.Result r = Fork.run(Map.of(), List.of("-Ddgq.native.dir=" + bad), "select");
        assertEquals(0, r.exit(), r.output());
        // Java outranks native (it is faster, docs/benchmarks.md), so the broken library only shows when forced.
        assertTrue(r.output().contains("SELECTED quantum backend: java"), r.output());
        assertTrue(r.output().contains("cuda: "), r.output());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        r = Fork.run(Map.of("DGQ_BACKEND", "native"), List.of("-Ddgq.native.dir=" + empty), "select");
        assertEquals(3, r.exit(), r.output());
        assertTrue(r.output().contains("libdgq_cpu.so missing"), r.output());

        r = Fork.run(Map.of("DGQ_BACKEND", "native"), List.of("-Ddgq.native.dir=" + bad), "select");
        assertEquals(3, r.exit(), r.output());
        assertTrue(r.output().contains("UNAVAILABLE backend 'native' (forced) is unavailable: cannot load libdgq_cpu.so"),
                r.output());
    }
}
