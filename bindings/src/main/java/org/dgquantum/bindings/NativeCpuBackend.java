package org.dgquantum.bindings;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.BatchChecks;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.HostBuffer;
import org.dgquantum.engine.Precision;
import org.dgquantum.engine.QuantumBackend;
import org.dgquantum.engine.QuantumBuffer;

/**
 * The native CPU library libdgq_cpu.so (OpenMP over the batch, AVX2 where the CPU has it) through
 * Panama FFM. Host buffers are passed to the C code directly, without copies: the kernel downcalls
 * are {@linkplain Linker.Option#critical(boolean) critical} with heap access, so the library reads
 * and writes heap arrays (and native segments) in place. (A critical call holds off garbage collection while it runs;
 * for very long calls on a heap shared with latency-sensitive threads, split the batch.)
 * Thread-safe: calls from different threads run concurrently.
 */
@SuppressWarnings("restricted") // Panama FFM: needs --enable-native-access=ALL-UNNAMED
public final class NativeCpuBackend implements QuantumBackend {
    /** The library file name inside native/&lt;platform&gt;/. */
    public static final String LIBRARY = "libdgq_cpu.so";

    private static final Map<Path, Lib> LIBS = new ConcurrentHashMap<>();

    private final Lib lib;
    private final int threads;

    private NativeCpuBackend(Lib lib, int threads) {
        this.lib = lib;
        this.threads = threads;
    }

    /** Opens the library packaged for this platform (OpenMP's default thread count). */
    public static NativeCpuBackend open() throws BackendUnavailableException {
        return open(NativeLibraries.locate(LIBRARY), 0);
    }

    /**
     * Opens a given libdgq_cpu.so.
     *
     * @param threads OpenMP threads per call, 0 = the OpenMP default
     * @throws BackendUnavailableException if the file cannot be loaded or is not a compatible libdgq_cpu
     */
    public static NativeCpuBackend open(Path library, int threads) throws BackendUnavailableException {
        if (threads < 0) {
            throw new IllegalArgumentException("threads: " + threads + " is negative (expected >= 0, 0 = default)");
        }
        Lib lib = LIBS.get(library);
        if (lib == null) {
            lib = Lib.bind(library);
            LIBS.put(library, lib);
        }
        return new NativeCpuBackend(lib, threads);
    }

    /** "avx512", "avx2" or "base": the build of the library chosen for this CPU (DGQ_CPU_ISA forces one). */
    public String isa() {
        return lib.isa;
    }

    @Override
    public String name() {
        return "native-cpu (" + lib.isa + (threads > 0 ? ", " + threads + " threads" : "") + ")";
    }

    @Override
    public int maxQubits() {
        return DgqAbi.CPU_MAX_QUBITS;
    }

    @Override
    public void forward(Circuit c, int batch, QuantumBuffer inputs, QuantumBuffer weights, QuantumBuffer expectations) {
        Precision p = BatchChecks.forward(c, this, batch, inputs, weights, expectations);
        int[] s = DgqAbi.encode(c, "native-cpu");
        QuantumBuffer w = DgqAbi.needsZeroLayer(c) ? HostBuffer.allocate(p, c.qubits()) : weights;
        setThreads();
        int rc;
        try {
            MethodHandle h = p == Precision.FLOAT32 ? lib.forwardF32 : lib.forwardF64;
            rc = (int) h.invokeExact(MemorySegment.ofArray(s), batch, mem(inputs), mem(w), mem(expectations));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check("dgq_cpu_forward_" + suffix(p), rc);
    }

    @Override
    public void backward(Circuit c, int batch, QuantumBuffer inputs, QuantumBuffer weights, QuantumBuffer upstream,
                         QuantumBuffer inputGrad, QuantumBuffer weightGrad, Gradient method) {
        Precision p = BatchChecks.backward(c, this, batch, inputs, weights, upstream, inputGrad, weightGrad, method);
        int[] s = DgqAbi.encode(c, "native-cpu");
        boolean zero = DgqAbi.needsZeroLayer(c);
        QuantumBuffer w = zero ? HostBuffer.allocate(p, c.qubits()) : weights;
        QuantumBuffer dw = zero ? HostBuffer.allocate(p, c.qubits()) : weightGrad;
        setThreads();
        int rc;
        try {
            MethodHandle h = p == Precision.FLOAT32 ? lib.backwardF32 : lib.backwardF64;
            rc = (int) h.invokeExact(MemorySegment.ofArray(s), batch, mem(inputs), mem(w), mem(upstream),
                    mem(inputGrad), mem(dw), DgqAbi.method(method));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check("dgq_cpu_backward_" + suffix(p), rc);
    }

    /** Heap or native: the critical downcalls take both, in place (BatchChecks let only host buffers through). */
    private static MemorySegment mem(QuantumBuffer b) {
        return ((HostBuffer) b).segment();
    }

    static String suffix(Precision p) {
        return p == Precision.FLOAT32 ? "f32" : "f64";
    }

    /** Nothing to free: the library stays loaded for the process, and calls allocate nothing on the Java side. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return name();
    }

    private void setThreads() {
        // Per calling thread in the library, so set before every call (a few nanoseconds).
        int rc;
        try {
            rc = (int) lib.setThreads.invokeExact(threads);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check("dgq_cpu_set_threads", rc);
    }

    private void check(String function, int rc) {
        if (rc != DgqAbi.OK) {
            String detail;
            try {
                detail = DgqAbi.string((MemorySegment) lib.lastError.invokeExact());
            } catch (Throwable t) {
                detail = "(dgq_cpu_last_error failed: " + t + ")";
            }
            throw new NativeKernelException(function, rc, detail);
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** The bound entry points of one loaded libdgq_cpu.so. */
    private static final class Lib {
        final MethodHandle forwardF32;
        final MethodHandle forwardF64;
        final MethodHandle backwardF32;
        final MethodHandle backwardF64;
        final MethodHandle setThreads;
        final MethodHandle lastError;
        final String isa;

        private Lib(SymbolLookup lookup, Path file) throws BackendUnavailableException {
            Linker linker = Linker.nativeLinker();
            // Heap segments are only allowed in critical downcalls.
            Linker.Option heap = Linker.Option.critical(true);
            FunctionDescriptor fwd = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
            FunctionDescriptor bwd = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
                    ADDRESS, ADDRESS, JAVA_INT);
            forwardF32 = linker.downcallHandle(symbol(lookup, file, "dgq_cpu_forward_f32"), fwd, heap);
            forwardF64 = linker.downcallHandle(symbol(lookup, file, "dgq_cpu_forward_f64"), fwd, heap);
            backwardF32 = linker.downcallHandle(symbol(lookup, file, "dgq_cpu_backward_f32"), bwd, heap);
            backwardF64 = linker.downcallHandle(symbol(lookup, file, "dgq_cpu_backward_f64"), bwd, heap);
            setThreads = linker.downcallHandle(symbol(lookup, file, "dgq_cpu_set_threads"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT), Linker.Option.critical(false));
            lastError = linker.downcallHandle(symbol(lookup, file, "dgq_cpu_last_error"), FunctionDescriptor.of(ADDRESS));
            MethodHandle abi = linker.downcallHandle(symbol(lookup, file, "dgq_cpu_abi_version"), FunctionDescriptor.of(JAVA_INT));
            MethodHandle isaHandle = linker.downcallHandle(symbol(lookup, file, "dgq_cpu_isa"), FunctionDescriptor.of(ADDRESS));
            try {
                int version = (int) abi.invokeExact();
                if (version != DgqAbi.ABI_VERSION) {
                    throw new BackendUnavailableException(file.getFileName() + " has ABI version " + version
                            + ", this dgquantum-bindings needs " + DgqAbi.ABI_VERSION + " (mismatched jars?)");
                }
                isa = DgqAbi.string((MemorySegment) isaHandle.invokeExact());
            } catch (BackendUnavailableException e) {
                throw e;
            } catch (Throwable t) {
                throw new BackendUnavailableException("calling " + file.getFileName() + " failed: " + t, t);
            }
        }

        static Lib bind(Path file) throws BackendUnavailableException {
            return new Lib(NativeLibraries.load(file), file);
        }

        private static MemorySegment symbol(SymbolLookup lookup, Path file, String name) throws BackendUnavailableException {
            return lookup.find(name).orElseThrow(() -> new BackendUnavailableException(file.getFileName()
                    + " lacks the symbol " + name + " (not a libdgq_cpu.so of this version)"));
        }
    }
}
