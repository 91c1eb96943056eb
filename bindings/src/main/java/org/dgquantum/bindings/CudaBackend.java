package org.dgquantum.bindings;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.BatchChecks;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.DeviceBuffer;
import org.dgquantum.engine.DeviceLayerOps;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.HostBuffer;
import org.dgquantum.engine.Precision;
import org.dgquantum.engine.QuantumBackend;
import org.dgquantum.engine.QuantumBuffer;

/**
 * The CUDA kernels on one GPU. Device management goes through JCuda's driver API: the device's primary
 * context (the one context per device, shared with the CUDA runtime inside libdgq_cuda.so and with
 * other libraries such as ND4J), a non-blocking stream, device buffers that are reused across calls
 * (grown when a call needs more, never shrunk). The launches go through the {@code dgq_cuda_*} C ABI
 * of libdgq_cuda.so, bound with Panama: that launcher picks the block shape from the device's opt-in
 * shared memory, sets the shared-memory attribute above 48 KiB and falls back to global-memory states
 * where a state does not fit on chip (docs/kernels.md) - one tested implementation of the launch
 * geometry instead of a second one in Java. dgq_kernels.fatbin is loaded once with cuModuleLoadData
 * when the backend opens, to check that this driver and GPU can run the packaged kernels.
 *
 * <p>Arguments in host memory ({@link HostBuffer}) are copied in and out through device buffers reused
 * across calls; arguments in this GPU's memory ({@link DeviceBuffer} of device {@link #ordinal()}) are
 * used in place, so data already on the GPU is used without a copy. One call may mix both. Calls are serialised per backend (synchronized). Every CUDA result is checked:
 * {@link CudaException} names the call and the error, {@link NativeKernelException} carries
 * dgq_cuda_last_error. {@link #close()} frees the buffers and the stream and releases the context.
 */
@SuppressWarnings("restricted") // Panama FFM: needs --enable-native-access=ALL-UNNAMED
public final class CudaBackend implements QuantumBackend {
    /** Files inside native/&lt;platform&gt;/ of the kernels jar. */
    public static final String LIBRARY = "libdgq_cuda.so";
    public static final String FATBIN = "dgq_kernels.fatbin";

    private static volatile Lib lib;

    private final Lib l;
    private final int ordinal;
    private final CUdevice device;
    private final CUcontext context;
    private final Handle.Stream stream;
    private final String deviceName;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment circuitStruct = arena.allocate(4L * DgqAbi.CIRCUIT_INTS, 4);
    private final Staging bx = new Staging("inputs");
    private final Staging bw = new Staging("weights");
    private final Staging bg = new Staging("upstream");
    private final Staging bz = new Staging("expectations");
    private final Staging bdx = new Staging("inputGrad");
    private final Staging bdw = new Staging("weightGrad");
    private final DeviceBlas.Factory blas;
    private final List<CudaLayerOps> layerOps = new ArrayList<>();
    private boolean closed;

    private CudaBackend(Lib l, int ordinal, CUdevice device, CUcontext context, Handle.Stream stream, String deviceName,
                        DeviceBlas.Factory blas) {
        this.l = l;
        this.ordinal = ordinal;
        this.device = device;
        this.context = context;
        this.stream = stream;
        this.deviceName = deviceName;
        this.blas = blas;
    }

    /**
     * Opens device {@code ordinal}: probes the driver (Panama), loads libdgq_cuda.so, then JCuda.
     *
     * @throws BackendUnavailableException with the reason (no libcuda.so.1, driver too old, no device,
     *                                     library missing for this platform, JCuda failed to load, ...)
     */
    public static CudaBackend open(int ordinal) throws BackendUnavailableException {
        return open(ordinal, true);
    }

    /**
     * @param selfTest run one tiny circuit and check its value before handing the backend out, so that a
     *                 runtime that cannot launch (e.g. a driver the CUDA runtime rejects) makes the choice fall
     *                 back instead of failing on first use
     */
    static CudaBackend open(int ordinal, boolean selfTest) throws BackendUnavailableException {
        return open(ordinal, selfTest, JCublasBlas::open);
    }

    /** @param blas opens the BLAS of {@link #openLayerOps} (cuBLAS; the tests' host BLAS without a GPU) */
    static CudaBackend open(int ordinal, boolean selfTest, DeviceBlas.Factory blas) throws BackendUnavailableException {
        CudaDriverProbe.Result probe = CudaDriverProbe.probe();
        if (ordinal < 0 || ordinal >= probe.deviceCount()) {
            throw new BackendUnavailableException("no device " + ordinal + " (the driver sees " + probe.deviceCount() + ")");
        }
        Lib bound = library();
        byte[] fatbin;
        try {
            fatbin = Files.readAllBytes(NativeLibraries.locate(FATBIN));
        } catch (IOException e) {
            throw new BackendUnavailableException("cannot read " + FATBIN + ": " + e, e);
        }
        try {
            JCudaDriver.setExceptionsEnabled(false);
            checkOpen("cuInit", JCudaDriver.cuInit(0));
        } catch (LinkageError e) {
            // Without libcuda.so.1 JCuda throws UnsatisfiedLinkError here, NoClassDefFoundError on later calls.
            throw new BackendUnavailableException("JCuda's native library cannot be loaded: " + e, e);
        }
        CUdevice dev = new CUdevice();
        checkOpen("cuDeviceGet", JCudaDriver.cuDeviceGet(dev, ordinal));
        byte[] nameBytes = new byte[256];
        checkOpen("cuDeviceGetName", JCudaDriver.cuDeviceGetName(nameBytes, nameBytes.length, dev));
        String name = new String(nameBytes, java.nio.charset.StandardCharsets.UTF_8).trim().replace("\0", "");
        int[] major = {0};
        int[] minor = {0};
        checkOpen("cuDeviceGetAttribute", JCudaDriver.cuDeviceGetAttribute(major,
                CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev));
        checkOpen("cuDeviceGetAttribute", JCudaDriver.cuDeviceGetAttribute(minor,
                CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev));
        CUcontext ctx = new CUcontext();
        checkOpen("cuDevicePrimaryCtxRetain", JCudaDriver.cuDevicePrimaryCtxRetain(ctx, dev));
        Handle.Stream st = new Handle.Stream();
        try {
            checkOpen("cuCtxSetCurrent", JCudaDriver.cuCtxSetCurrent(ctx));
            CUmodule module = new CUmodule();
            int rc = JCudaDriver.cuModuleLoadData(module, fatbin);
            if (rc != CUresult.CUDA_SUCCESS) {
                String why = rc == CUresult.CUDA_ERROR_NO_BINARY_FOR_GPU ? "no kernels for this GPU (sm_" + major[0] + minor[0] + ")"
                        : rc == CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION ? "driver too old for the packaged PTX"
                        : "the driver cannot load the kernels";
                throw new BackendUnavailableException(why + ": cuModuleLoadData(" + FATBIN + ") failed: "
                        + CUresult.stringFor(rc));
            }
            checkOpen("cuModuleUnload", JCudaDriver.cuModuleUnload(module));
            checkOpen("cuStreamCreate", JCudaDriver.cuStreamCreate(st, CUstream_flags.CU_STREAM_NON_BLOCKING));
        } catch (BackendUnavailableException | RuntimeException e) {
            JCudaDriver.cuDevicePrimaryCtxRelease(dev);
            throw e;
        }
        String label = "cuda:" + ordinal + " (" + name + ", sm_" + major[0] + minor[0] + ", driver "
                + probe.driverVersionText() + ")";
        CudaBackend backend = new CudaBackend(bound, ordinal, dev, ctx, st, label, blas);
        if (selfTest) {
            backend.selfTest();
        }
        return backend;
    }

    /** z = cos(x + w0) for RY(x) RY(w0) RZ(w1) on one qubit. */
    private void selfTest() throws BackendUnavailableException {
        Circuit c = Circuit.standard(1, 1);
        float[] z = {Float.NaN};
        try {
            forward(c, 1, new float[] {0.5f}, new float[] {0.25f, 0.1f}, z);
        } catch (RuntimeException e) {
            closeQuietly();
            throw new BackendUnavailableException("kernel check failed: " + e.getMessage(), e);
        }
        if (!(Math.abs(z[0] - Math.cos(0.75)) <= 1e-4)) {
            closeQuietly();
            throw new BackendUnavailableException("kernel check failed: <Z> of RY(0.5) RY(0.25) RZ(0.1) |0> came back as "
                    + z[0] + ", expected " + Math.cos(0.75));
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // the reason reported is the failure that led here
        }
    }

    private static Lib library() throws BackendUnavailableException {
        Lib b = lib;
        if (b == null) {
            synchronized (CudaBackend.class) {
                if (lib == null) {
                    lib = new Lib(NativeLibraries.locate(LIBRARY));
                }
                b = lib;
            }
        }
        return b;
    }

    @Override
    public String name() {
        return deviceName;
    }

    /** The device index. */
    public int ordinal() {
        return ordinal;
    }

    @Override
    public int maxQubits() {
        return DgqAbi.CUDA_MAX_QUBITS;
    }

    /** Device memory of this backend's GPU; host memory (staged through reused device buffers) as every backend. */
    @Override
    public boolean acceptsDevice(int device) {
        return device == ordinal;
    }

    // ---- one entry point per operation: each argument is used in place if it is device memory of this GPU,
    // ---- staged through a reused device buffer if it is host memory; precision picks the kernel.

    @Override
    public synchronized void forward(Circuit c, int batch, QuantumBuffer inputs, QuantumBuffer weights,
                                     QuantumBuffer expectations) {
        Precision p = BatchChecks.forward(c, this, batch, inputs, weights, expectations);
        if (batch == 0) {
            return;
        }
        QuantumBuffer w = DgqAbi.needsZeroLayer(c) ? HostBuffer.allocate(p, c.qubits()) : weights;
        enter();
        long x = in(inputs, bx);
        long wd = in(w, bw);
        long z = out(expectations, bz);
        launchForward(c, batch, p, x, wd, z);
        download(expectations, bz);
    }

    @Override
    public synchronized void backward(Circuit c, int batch, QuantumBuffer inputs, QuantumBuffer weights,
                                      QuantumBuffer upstream, QuantumBuffer inputGrad, QuantumBuffer weightGrad,
                                      Gradient method) {
        Precision p = BatchChecks.backward(c, this, batch, inputs, weights, upstream, inputGrad, weightGrad, method);
        boolean zero = DgqAbi.needsZeroLayer(c);
        // Without layers the kernels run one identity layer: zero weights in, its gradient thrown away.
        QuantumBuffer w = zero ? HostBuffer.allocate(p, c.qubits()) : weights;
        QuantumBuffer dw = zero ? HostBuffer.allocate(p, c.qubits()) : weightGrad;
        enter();
        long x = in(inputs, bx);
        long wd = in(w, bw);
        long g = in(upstream, bg);
        long dx = out(inputGrad, bdx);
        long dwd = out(dw, bdw);
        launchBackward(c, batch, p, x, wd, g, dx, dwd, method); // B = 0 only zeroes dw
        download(inputGrad, bdx);
        download(dw, bdw);
    }

    // ---- the whole quantum layer (CudaLayerOps): its own BLAS and kernels, on this backend's stream ----

    /**
     * cuBLAS (through JCublas) and the elementwise kernels, on this GPU and stream. Closed by the caller or, at the
     * latest, by {@link #close()}.
     *
     * @throws BackendUnavailableException where cuBLAS cannot be loaded or initialised (the reason says which)
     */
    @Override
    public synchronized DeviceLayerOps openLayerOps(Precision precision) throws BackendUnavailableException {
        enter();
        CudaLayerOps ops = new CudaLayerOps(this, precision, blas.open(stream));
        layerOps.add(ops);
        return ops;
    }

    /** Makes the context current for a layer operation (the caller holds this backend's lock). */
    void enterForLayer() {
        enter();
    }

    /** Makes the context current unless this backend is closed; false if it is. */
    boolean enterIfOpen() {
        return !closed && JCudaDriver.cuCtxSetCurrent(context) == CUresult.CUDA_SUCCESS;
    }

    /** Waits for the work queued on this backend's stream. */
    void syncStream() {
        check("cuStreamSynchronize", JCudaDriver.cuStreamSynchronize(stream));
    }

    /** Called by a closing CudaLayerOps. */
    void forget(CudaLayerOps ops) {
        layerOps.remove(ops);
    }

    /** theta = pi tanh(pre) on count values, queued on the stream (dgq_cuda_pi_tanh_*). */
    void launchPiTanh(Precision p, long count, long pre, long theta) {
        int rc;
        try {
            MethodHandle h = p == Precision.FLOAT32 ? l.piTanhF32 : l.piTanhF64;
            rc = (int) h.invokeExact(count, MemorySegment.ofAddress(pre), MemorySegment.ofAddress(theta),
                    MemorySegment.ofAddress(stream.address()));
        } catch (Throwable t) {
            throw NativeCpuBackend.rethrow(t);
        }
        l.check("dgq_cuda_pi_tanh_" + NativeCpuBackend.suffix(p), rc);
    }

    /** da = dtheta pi (1 - (theta/pi)^2) on count values, queued on the stream (dgq_cuda_pi_tanh_backward_*). */
    void launchPiTanhBackward(Precision p, long count, long theta, long dTheta, long da) {
        int rc;
        try {
            MethodHandle h = p == Precision.FLOAT32 ? l.piTanhBackwardF32 : l.piTanhBackwardF64;
            rc = (int) h.invokeExact(count, MemorySegment.ofAddress(theta), MemorySegment.ofAddress(dTheta),
                    MemorySegment.ofAddress(da), MemorySegment.ofAddress(stream.address()));
        } catch (Throwable t) {
            throw NativeCpuBackend.rethrow(t);
        }
        l.check("dgq_cuda_pi_tanh_backward_" + NativeCpuBackend.suffix(p), rc);
    }

    /** The device address of an input: its own, or that of the staging buffer it is uploaded into. */
    private static long in(QuantumBuffer b, Staging stage) {
        if (b instanceof DeviceBuffer d) {
            return d.address();
        }
        HostBuffer h = (HostBuffer) b;
        long bytes = h.segment().byteSize();
        stage.ensure(bytes);
        if (bytes > 0) {
            check("cuMemcpyHtoD(" + stage.what + ")", JCudaDriver.cuMemcpyHtoD(stage.ptr, pointer(h), bytes));
        }
        return stage.address();
    }

    /** The device address an output is written to: its own, or that of its staging buffer. */
    private static long out(QuantumBuffer b, Staging stage) {
        if (b instanceof DeviceBuffer d) {
            return d.address();
        }
        stage.ensure(((HostBuffer) b).segment().byteSize());
        return stage.address();
    }

    /** Copies a staged output back to its host buffer (device outputs are already in place). */
    private static void download(QuantumBuffer b, Staging stage) {
        if (b instanceof HostBuffer h && h.segment().byteSize() > 0) {
            long bytes = h.segment().byteSize();
            check("cuMemcpyDtoH(" + stage.what + ")", JCudaDriver.cuMemcpyDtoH(pointer(h), stage.ptr, bytes));
        }
    }

    /** A JCuda pointer to host memory: the wrapped array (at the segment's offset) or the native memory. */
    static Pointer pointer(HostBuffer h) {
        MemorySegment s = h.segment();
        return switch (s.heapBase().orElse(null)) {
            case float[] a -> Pointer.to(a).withByteOffset(s.address());
            case double[] a -> Pointer.to(a).withByteOffset(s.address());
            case null -> Pointer.to(s.asByteBuffer());
            default -> Pointer.to(s.asByteBuffer()); // a byte[]-backed segment: an array-backed ByteBuffer
        };
    }

    // ---- launches through libdgq_cuda.so ----

    private void launchForward(Circuit c, int batch, Precision p, long x, long w, long z) {
        MemorySegment s = struct(c);
        int rc;
        try {
            MethodHandle h = p == Precision.FLOAT32 ? l.forwardF32 : l.forwardF64;
            rc = (int) h.invokeExact(s, batch, MemorySegment.ofAddress(x), MemorySegment.ofAddress(w),
                    MemorySegment.ofAddress(z), MemorySegment.ofAddress(stream.address()));
        } catch (Throwable t) {
            throw NativeCpuBackend.rethrow(t);
        }
        l.check("dgq_cuda_forward_" + NativeCpuBackend.suffix(p), rc);
    }

    private void launchBackward(Circuit c, int batch, Precision p, long x, long w, long g, long dx, long dw,
                                Gradient method) {
        MemorySegment s = struct(c);
        int rc;
        try {
            MethodHandle h = p == Precision.FLOAT32 ? l.backwardF32 : l.backwardF64;
            rc = (int) h.invokeExact(s, batch, MemorySegment.ofAddress(x), MemorySegment.ofAddress(w),
                    MemorySegment.ofAddress(g), MemorySegment.ofAddress(dx), MemorySegment.ofAddress(dw),
                    DgqAbi.method(method), MemorySegment.ofAddress(stream.address()));
        } catch (Throwable t) {
            throw NativeCpuBackend.rethrow(t);
        }
        l.check("dgq_cuda_backward_" + NativeCpuBackend.suffix(p), rc);
    }

    private MemorySegment struct(Circuit c) {
        int[] s = DgqAbi.encode(c, "cuda");
        MemorySegment.copy(s, 0, circuitStruct, JAVA_INT, 0, s.length);
        return circuitStruct;
    }

    // ---- driver plumbing ----

    /** Makes this device's primary context current on the calling thread. */
    private void enter() {
        if (closed) {
            throw new IllegalStateException(name() + " is closed");
        }
        check("cuCtxSetCurrent", JCudaDriver.cuCtxSetCurrent(context));
    }

    static void check(String call, int rc) {
        if (rc != CUresult.CUDA_SUCCESS) {
            throw new CudaException(call, rc, CUresult.stringFor(rc));
        }
    }

    private static void checkOpen(String call, int rc) throws BackendUnavailableException {
        if (rc != CUresult.CUDA_SUCCESS) {
            throw new BackendUnavailableException(call + " failed: " + CUresult.stringFor(rc));
        }
    }

    /** Frees the device buffers and the stream, releases the primary context. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        List<String> errors = new ArrayList<>();
        for (CudaLayerOps ops : List.copyOf(layerOps)) {
            try {
                ops.close();
            } catch (RuntimeException e) {
                errors.add(e.getMessage());
            }
        }
        closed = true;
        int rc = JCudaDriver.cuCtxSetCurrent(context);
        if (rc != CUresult.CUDA_SUCCESS) {
            errors.add("cuCtxSetCurrent: " + CUresult.stringFor(rc));
        }
        for (Staging b : List.of(bx, bw, bg, bz, bdx, bdw)) {
            b.free(errors);
        }
        rc = JCudaDriver.cuStreamDestroy(stream);
        if (rc != CUresult.CUDA_SUCCESS) {
            errors.add("cuStreamDestroy: " + CUresult.stringFor(rc));
        }
        rc = JCudaDriver.cuDevicePrimaryCtxRelease(device);
        if (rc != CUresult.CUDA_SUCCESS) {
            errors.add("cuDevicePrimaryCtxRelease: " + CUresult.stringFor(rc));
        }
        arena.close();
        if (!errors.isEmpty()) {
            throw new CudaException("close(" + name() + ")", -1, String.join("; ", errors));
        }
    }

    @Override
    public String toString() {
        return name();
    }

    /** A device buffer for staging host memory that grows to the largest size asked for and is reused; never shrinks. */
    private static final class Staging {
        final String what;
        Handle.DevicePtr ptr;
        long capacity;

        Staging(String what) {
            this.what = what;
        }

        void ensure(long bytes) {
            if (bytes <= capacity) {
                return;
            }
            long size = Math.max(bytes, Math.max(256, capacity + capacity / 2));
            if (ptr != null) {
                check("cuMemFree(" + what + ")", JCudaDriver.cuMemFree(ptr));
                ptr = null;
                capacity = 0;
            }
            Handle.DevicePtr p = new Handle.DevicePtr();
            check("cuMemAlloc(" + what + ", " + size + " bytes)", JCudaDriver.cuMemAlloc(p, size));
            ptr = p;
            capacity = size;
        }

        long address() {
            return ptr.address();
        }

        void free(List<String> errors) {
            if (ptr != null) {
                int rc = JCudaDriver.cuMemFree(ptr);
                if (rc != CUresult.CUDA_SUCCESS) {
                    errors.add("cuMemFree(" + what + "): " + CUresult.stringFor(rc));
                }
                ptr = null;
                capacity = 0;
            }
        }
    }

    /** Entry points of libdgq_cuda.so (loaded once per process). */
    private static final class Lib {
        final MethodHandle forwardF32;
        final MethodHandle forwardF64;
        final MethodHandle backwardF32;
        final MethodHandle backwardF64;
        final MethodHandle lastError;
        final MethodHandle piTanhF32;
        final MethodHandle piTanhF64;
        final MethodHandle piTanhBackwardF32;
        final MethodHandle piTanhBackwardF64;

        Lib(Path file) throws BackendUnavailableException {
            SymbolLookup lookup = NativeLibraries.load(file);
            Linker linker = Linker.nativeLinker();
            FunctionDescriptor fwd = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
            FunctionDescriptor bwd = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
                    ADDRESS, ADDRESS, JAVA_INT, ADDRESS);
            forwardF32 = linker.downcallHandle(symbol(lookup, file, "dgq_cuda_forward_f32"), fwd);
            forwardF64 = linker.downcallHandle(symbol(lookup, file, "dgq_cuda_forward_f64"), fwd);
            backwardF32 = linker.downcallHandle(symbol(lookup, file, "dgq_cuda_backward_f32"), bwd);
            backwardF64 = linker.downcallHandle(symbol(lookup, file, "dgq_cuda_backward_f64"), bwd);
            lastError = linker.downcallHandle(symbol(lookup, file, "dgq_cuda_last_error"), FunctionDescriptor.of(ADDRESS));
            FunctionDescriptor tanh = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS);
            FunctionDescriptor tanhBack = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
            piTanhF32 = linker.downcallHandle(symbol(lookup, file, "dgq_cuda_pi_tanh_f32"), tanh);
            piTanhF64 = linker.downcallHandle(symbol(lookup, file, "dgq_cuda_pi_tanh_f64"), tanh);
            piTanhBackwardF32 = linker.downcallHandle(symbol(lookup, file, "dgq_cuda_pi_tanh_backward_f32"), tanhBack);
            piTanhBackwardF64 = linker.downcallHandle(symbol(lookup, file, "dgq_cuda_pi_tanh_backward_f64"), tanhBack);
            MethodHandle abi = linker.downcallHandle(symbol(lookup, file, "dgq_cuda_abi_version"), FunctionDescriptor.of(JAVA_INT));
            int version;
            try {
                version = (int) abi.invokeExact();
            } catch (Throwable t) {
                throw new BackendUnavailableException("calling " + file.getFileName() + " failed: " + t, t);
            }
            if (version != DgqAbi.ABI_VERSION) {
                throw new BackendUnavailableException(file.getFileName() + " has ABI version " + version
                        + ", this dgquantum-bindings needs " + DgqAbi.ABI_VERSION + " (mismatched jars?)");
            }
        }

        void check(String function, int rc) {
            if (rc != DgqAbi.OK) {
                String detail;
                try {
                    detail = DgqAbi.string((MemorySegment) lastError.invokeExact());
                } catch (Throwable t) {
                    detail = "(dgq_cuda_last_error failed: " + t + ")";
                }
                throw new NativeKernelException(function, rc, detail);
            }
        }

        private static MemorySegment symbol(SymbolLookup lookup, Path file, String name) throws BackendUnavailableException {
            return lookup.find(name).orElseThrow(() -> new BackendUnavailableException(file.getFileName()
                    + " lacks the symbol " + name + " (not a libdgq_cuda.so of this version)"));
        }
    }

    /** Access to the raw addresses inside JCuda handles (protected in JCuda, reachable from subclasses). */
    static final class Handle {
        private Handle() {
        }

        static long address(CUdeviceptr p) {
            return p == null ? 0 : new DevicePtr(p).address();
        }

        static final class DevicePtr extends CUdeviceptr {
            DevicePtr() {
            }

            DevicePtr(CUdeviceptr other) {
                super(other);
            }

            long address() {
                return getNativePointer() + getByteOffset();
            }
        }

        static final class Stream extends CUstream {
            long address() {
                return getNativePointer();
            }
        }
    }
}
