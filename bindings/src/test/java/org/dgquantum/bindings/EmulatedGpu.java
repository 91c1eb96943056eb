package org.dgquantum.bindings;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.QuantumBackend;

/**
 * A CUDA backend without a GPU, for tests in this module and others (the test jar): the stub driver of
 * {@link FakeDriver#buildEmulated} (device memory is host memory), libdgq_cuda_emu.so (the CUDA kernels compiled
 * for the CPU through the emulator, kernels/CMakeLists.txt) in place of libdgq_cuda.so, and {@link HostBlas} in
 * place of cuBLAS. Everything of CudaBackend and CudaLayerOps but the GPU and cuBLAS runs for real: JCuda's driver
 * calls, the Panama launches, the kernels' code, the memory pool.
 *
 * <p>{@link #prepare} runs in the test's JVM and returns what a forked JVM needs (the stub must be on
 * LD_LIBRARY_PATH before JCuda loads); {@link #open} runs in the fork.
 */
public final class EmulatedGpu {
    /** System property: the kernels' CMake build directory (default ../kernels/build from the module). */
    public static final String KERNELS_BUILD = "dgq.test.kernelsBuild";

    /** Environment and JVM flags for the forked JVM. */
    public record Setup(Map<String, String> env, List<String> jvmFlags) {
    }

    private EmulatedGpu() {
    }

    /**
     * Builds the stub driver and a native directory in dir. Skips the test where libdgq_cuda_emu.so was not built
     * (no cmake), except under CI=true, where it fails.
     */
    public static Setup prepare(Path dir) throws IOException, InterruptedException {
        Path build = Path.of(System.getProperty(KERNELS_BUILD, Path.of(System.getProperty("user.dir"), "..", "kernels",
                "build").toString())).toAbsolutePath().normalize();
        Path emu = build.resolve("native").resolve("libdgq_cuda_emu.so");
        Path cpu = build.resolve("native").resolve("libdgq_cpu.so");
        boolean built = Files.isRegularFile(emu) && Files.isRegularFile(cpu);
        if (!built && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but " + emu + " (or libdgq_cpu.so) is missing: run kernels/ci.sh first");
        }
        assumeTrue(built, emu + " not built (kernels/ci.sh or a Maven build with cmake makes it)");
        Path driver = dir.resolve("driver");
        FakeDriver.buildEmulated(driver);
        Path nat = Files.createDirectories(dir.resolve("native"));
        Files.copy(emu, nat.resolve(CudaBackend.LIBRARY));
        Files.copy(cpu, nat.resolve("libdgq_cpu.so"));
        Files.write(nat.resolve(CudaBackend.FATBIN), new byte[] {0}); // the stub driver loads any module
        return new Setup(Map.of("LD_LIBRARY_PATH", driver.toString()),
                List.of("-D" + NativeLibraries.DIR_PROPERTY + "=" + nat));
    }

    /**
     * Runs main in a fresh JVM on the emulated GPU, with the JVM flags a DL4J program needs (ND4J's JavaCPP and the
     * Vector API) on top of {@link #prepare}'s.
     */
    public static Fork.Result runDl4j(Path dir, Class<?> main) throws IOException, InterruptedException {
        Setup setup = prepare(dir);
        List<String> flags = new ArrayList<>(setup.jvmFlags());
        flags.addAll(List.of("--add-modules=jdk.incubator.vector", "--sun-misc-unsafe-memory-access=allow"));
        return Fork.run(main, setup.env(), flags);
    }

    /** The emulated GPU as a CUDA backend (in the forked JVM), kernel self-test included. */
    public static QuantumBackend open() throws BackendUnavailableException {
        return CudaBackend.open(0, true, stream -> new HostBlas());
    }

    /** The same, with the real cuBLAS binding: for the check that a missing libcublas is a clean reason. */
    public static QuantumBackend openWithJCublas() throws BackendUnavailableException {
        return CudaBackend.open(0, true);
    }
}
