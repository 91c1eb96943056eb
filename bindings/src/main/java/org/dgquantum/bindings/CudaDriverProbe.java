package org.dgquantum.bindings;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import org.dgquantum.engine.BackendUnavailableException;

/**
 * Checks the NVIDIA driver through Panama before anything touches JCuda: dlopen libcuda.so.1, cuInit,
 * cuDriverGetVersion, cuDeviceGetCount. Each failure becomes a short reason ("no libcuda.so.1",
 * "driver too old", "no device"). Probing this way never leaves JCuda's classes in a failed state, and
 * works against a stub libcuda.so.1 (the tests build one).
 */
@SuppressWarnings("restricted") // Panama FFM: needs --enable-native-access=ALL-UNNAMED
public final class CudaDriverProbe {
    /** The driver library name, looked up by the dynamic loader (LD_LIBRARY_PATH, ld.so.cache). */
    public static final String DRIVER = "libcuda.so.1";
    /** Oldest driver API version the packaged kernels run on: libdgq_cuda.so is built by CUDA 13 (static cudart). */
    public static final int MIN_DRIVER_VERSION = 13000;

    /** What the driver reported. */
    public record Result(int driverVersion, int deviceCount) {
        /** "13.0" for 13000. */
        public String driverVersionText() {
            return versionText(driverVersion);
        }
    }

    private CudaDriverProbe() {
    }

    /** Probes {@value #DRIVER} as the dynamic loader finds it. */
    public static Result probe() throws BackendUnavailableException {
        return probe(DRIVER);
    }

    /**
     * Probes a driver library given by name (dynamic loader search) or path.
     *
     * @throws BackendUnavailableException with the reason the driver cannot be used
     */
    public static Result probe(String library) throws BackendUnavailableException {
        SymbolLookup lookup;
        try {
            lookup = library.contains("/")
                    ? SymbolLookup.libraryLookup(java.nio.file.Path.of(library), Arena.global())
                    : SymbolLookup.libraryLookup(library, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new BackendUnavailableException("no " + DRIVER + " (NVIDIA driver not installed, or not on the "
                    + "library path)", e);
        } catch (IllegalCallerException e) {
            throw new BackendUnavailableException("native access is disabled: start the JVM with "
                    + "--enable-native-access=ALL-UNNAMED", e);
        }
        Linker linker = Linker.nativeLinker();
        MethodHandle cuInit = handle(linker, lookup, "cuInit", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        MethodHandle cuDriverGetVersion = handle(linker, lookup, "cuDriverGetVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle cuDeviceGetCount = handle(linker, lookup, "cuDeviceGetCount", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            int rc = (int) cuDriverGetVersion.invokeExact(out);
            if (rc != 0) {
                throw new BackendUnavailableException("cuDriverGetVersion failed: " + resultName(rc));
            }
            int version = out.get(JAVA_INT, 0);
            rc = (int) cuInit.invokeExact(0);
            if (rc == 100) {
                throw new BackendUnavailableException("no device (cuInit: CUDA_ERROR_NO_DEVICE; driver " + versionText(version) + ")");
            }
            if (rc == 35) {
                throw new BackendUnavailableException("driver too old (cuInit: CUDA_ERROR_INSUFFICIENT_DRIVER; driver "
                        + versionText(version) + ")");
            }
            if (rc != 0) {
                throw new BackendUnavailableException("cuInit failed: " + resultName(rc) + " (driver " + versionText(version) + ")");
            }
            if (version < MIN_DRIVER_VERSION) {
                throw new BackendUnavailableException("driver too old: it supports CUDA " + versionText(version)
                        + ", the kernels need CUDA " + versionText(MIN_DRIVER_VERSION) + " (driver R580 or newer)");
            }
            rc = (int) cuDeviceGetCount.invokeExact(out);
            if (rc != 0) {
                throw new BackendUnavailableException("cuDeviceGetCount failed: " + resultName(rc));
            }
            int count = out.get(JAVA_INT, 0);
            if (count <= 0) {
                throw new BackendUnavailableException("no device (driver CUDA " + versionText(version) + " found no GPU)");
            }
            return new Result(version, count);
        } catch (BackendUnavailableException e) {
            throw e;
        } catch (Throwable t) {
            throw new BackendUnavailableException("probing " + DRIVER + " failed: " + t, t);
        }
    }

    private static MethodHandle handle(Linker linker, SymbolLookup lookup, String name, FunctionDescriptor d)
            throws BackendUnavailableException {
        MemorySegment s = lookup.find(name).orElseThrow(() -> new BackendUnavailableException(
                DRIVER + " lacks " + name + " (not an NVIDIA driver library?)"));
        return linker.downcallHandle(s, d);
    }

    static String versionText(int v) {
        return v / 1000 + "." + (v % 1000) / 10;
    }

    /** CUresult names for the codes a probe or launch commonly meets. */
    static String resultName(int rc) {
        String name = switch (rc) {
            case 1 -> "CUDA_ERROR_INVALID_VALUE";
            case 2 -> "CUDA_ERROR_OUT_OF_MEMORY";
            case 3 -> "CUDA_ERROR_NOT_INITIALIZED";
            case 34 -> "CUDA_ERROR_STUB_LIBRARY";
            case 35 -> "CUDA_ERROR_INSUFFICIENT_DRIVER";
            case 46 -> "CUDA_ERROR_DEVICES_UNAVAILABLE";
            case 100 -> "CUDA_ERROR_NO_DEVICE";
            case 101 -> "CUDA_ERROR_INVALID_DEVICE";
            case 209 -> "CUDA_ERROR_NO_BINARY_FOR_GPU";
            case 222 -> "CUDA_ERROR_UNSUPPORTED_PTX_VERSION";
            case 303 -> "CUDA_ERROR_SHARED_OBJECT_INIT_FAILED";
            case 999 -> "CUDA_ERROR_UNKNOWN";
            default -> "CUresult";
        };
        return name + " (" + rc + ")";
    }
}
