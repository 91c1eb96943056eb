package org.dgquantum.bindings;

import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.Backends;

/** Run in a forked JVM by the tests (environment such as LD_LIBRARY_PATH or -D flags set for it). */
@SuppressWarnings("restricted") // Panama FFM: needs --enable-native-access=ALL-UNNAMED
public final class ProbeMain {
    private ProbeMain() {
    }

    /** CudaBackend's driver plumbing against FakeDriver.buildEmulated (LD_LIBRARY_PATH points at it). */
    private static void fakeGpu() throws Throwable {
        java.lang.foreign.SymbolLookup driver = java.lang.foreign.SymbolLookup.libraryLookup("libcuda.so.1",
                java.lang.foreign.Arena.global());
        java.lang.foreign.Linker linker = java.lang.foreign.Linker.nativeLinker();
        java.lang.invoke.MethodHandle allocs = linker.downcallHandle(driver.find("fake_allocs").orElseThrow(),
                java.lang.foreign.FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_INT));
        java.lang.invoke.MethodHandle live = linker.downcallHandle(driver.find("fake_live").orElseThrow(),
                java.lang.foreign.FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_INT));
        Backends.Selection s = Backends.select(null, null, Backends.providers());
        System.out.println("SELECTED " + s.explanation());
        s.backend().close();
        CudaBackend b = CudaBackend.open(0, false);
        System.out.println("OPENED " + b.name());
        System.out.println("START ALLOCS " + (int) allocs.invokeExact() + " LIVE " + (int) live.invokeExact());
        org.dgquantum.engine.Circuit c = org.dgquantum.engine.Circuit.standard(3, 2);
        for (int batch : new int[] {4, 4, 2, 64}) {
            try {
                b.forward(c, batch, new float[batch * 3], new float[c.weightCount()], new float[batch * 3]);
                System.out.println("FORWARD ok");
            } catch (NativeKernelException e) {
                System.out.println("FORWARD " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            System.out.println("BATCH " + batch + " ALLOCS " + (int) allocs.invokeExact() + " LIVE " + (int) live.invokeExact());
        }
        try {
            b.forward(c, 1, new float[3], new float[c.weightCount()], new float[2]);
        } catch (IllegalArgumentException e) {
            System.out.println("CHECKED " + e.getMessage());
        }
        deviceBuffers(b, c, allocs, live);
        b.close();
        b.close();
        System.out.println("CLOSED LIVE " + (int) live.invokeExact());
        try {
            b.forward(c, 1, new float[3], new float[c.weightCount()], new float[3]);
        } catch (IllegalStateException e) {
            System.out.println("AFTER CLOSE " + e.getMessage());
        }
    }

    /**
     * Device buffers on the stub device (its memory is host memory): used in place, so a call stages nothing
     * (no new allocations) and reaches the launch; another device's memory is refused before any driver call.
     */
    private static void deviceBuffers(CudaBackend b, org.dgquantum.engine.Circuit c, java.lang.invoke.MethodHandle allocs,
                                      java.lang.invoke.MethodHandle live) throws Throwable {
        int batch = 2;
        jcuda.driver.CUdeviceptr[] mem = new jcuda.driver.CUdeviceptr[5];
        long[] lengths = {batch * 3L, c.weightCount(), batch * 3L, batch * 3L, c.weightCount()};
        org.dgquantum.engine.DeviceBuffer[] d = new org.dgquantum.engine.DeviceBuffer[5];
        for (int i = 0; i < mem.length; i++) {
            mem[i] = new jcuda.driver.CUdeviceptr();
            CudaBackend.check("cuMemAlloc", jcuda.driver.JCudaDriver.cuMemAlloc(mem[i], 4 * lengths[i]));
            d[i] = new org.dgquantum.engine.DeviceBuffer(CudaBackend.Handle.address(mem[i]), lengths[i], 0,
                    org.dgquantum.engine.Precision.FLOAT32);
        }
        int before = (int) allocs.invokeExact();
        try {
            b.backward(c, batch, d[0], d[1], d[2], d[3], d[4], org.dgquantum.engine.Gradient.ADJOINT);
        } catch (NativeKernelException e) {
            System.out.println("DEVICE BACKWARD " + e.getMessage());
        }
        System.out.println("DEVICE STAGED " + ((int) allocs.invokeExact() - before));
        System.out.println("ACCEPTS device 0 " + b.acceptsDevice(0) + ", device 1 " + b.acceptsDevice(1));
        try {
            b.forward(c, batch, new org.dgquantum.engine.DeviceBuffer(d[0].address(), batch * 3L, 1,
                    org.dgquantum.engine.Precision.FLOAT32), d[1], d[2]);
        } catch (IllegalArgumentException e) {
            System.out.println("DEVICE CHECKED " + e.getMessage());
        }
        for (jcuda.driver.CUdeviceptr p : mem) {
            jcuda.driver.JCudaDriver.cuMemFree(p);
        }
    }

    public static void main(String[] args) throws Throwable {
        String mode = args.length > 0 ? args[0] : "select";
        switch (mode) {
            case "select" -> {
                // Exactly what Backends.best() does and logs, printed to stdout for the test.
                try {
                    Backends.Selection s = Backends.select(Backends.forcedId(),
                            Backends.forcedId() == null ? null : "forced", Backends.providers());
                    System.out.println("SELECTED " + s.explanation());
                    s.backend().close();
                } catch (BackendUnavailableException e) {
                    System.out.println("UNAVAILABLE " + e.getMessage());
                    System.exit(3);
                }
            }
            case "jcuda" -> {
                // JCuda without a driver: the first call and the second call fail differently.
                for (int i = 0; i < 2; i++) {
                    try {
                        jcuda.driver.JCudaDriver.setExceptionsEnabled(false);
                        int rc = jcuda.driver.JCudaDriver.cuInit(0);
                        System.out.println("CALL" + i + " returned " + rc);
                    } catch (LinkageError e) {
                        System.out.println("CALL" + i + " " + e.getClass().getName() + ": " + e.getMessage());
                    }
                }
            }
            case "fakegpu" -> fakeGpu();
            case "layerops" -> LayerOpsProbe.run();
            default -> throw new IllegalArgumentException(mode);
        }
    }
}
