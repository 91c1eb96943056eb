package org.dgquantum.dl4j;

import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.Precision;
import org.dgquantum.engine.QuantumBackend;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The quantum layer's device path: ND4J arrays handed to a {@link DeviceBackend} as device addresses, with no
 * host copies. Used only when ND4J itself runs on a GPU (the CUDA backend, {@code -Pnd4j-cuda}) and the quantum
 * backend can take device pointers on the same GPU; otherwise ({@link #hostReason}) the layer keeps its host
 * path: Java arrays and the backend's host-array methods.
 *
 * <p>Streams: ND4J queues its ops on its own CUDA stream, the backend launches on another. Before a call,
 * {@code commit()} waits for ND4J's queued work (which produced the inputs); the backend's calls return only
 * after synchronizing their own stream, so the outputs are complete when ND4J's next op reads them. Location
 * tags: inputs are {@code ensureLocation(DEVICE)} (copied up if ND4J last wrote them on the host), outputs
 * are tagged as written on the device, so that ND4J never overwrites them with a stale host copy.
 *
 * <p>Only APIs of nd4j-api are used, so this compiles and runs (with fakes, as in the tests) on the CPU
 * backend too, where the "device" address is the host address of the buffer.
 */
final class DeviceArrays {
    private static final AffinityManager.Location DEVICE = AffinityManager.Location.DEVICE;

    private final DeviceBackend backend;
    private final DataType dataType;
    private final Precision precision;

    /** Use only where {@link #hostReason} returned null for this backend and data type. */
    DeviceArrays(DeviceBackend backend, DataType dataType) {
        this.backend = backend;
        this.dataType = dataType;
        this.precision = dataType == DataType.DOUBLE ? Precision.FLOAT64 : Precision.FLOAT32;
    }

    /** Whether ND4J's arrays live in GPU memory (any backend but the CPU one). */
    static boolean nd4jOnGpu() {
        return !Nd4j.getEnvironment().isCPU();
    }

    /** ND4J's device for the calling thread. */
    static int nd4jDevice() {
        Integer d = Nd4j.getAffinityManager().getDeviceForCurrentThread();
        return d == null ? 0 : d;
    }

    /** Why the layer must use host copies, or null if the device path applies. */
    static String hostReason(boolean nd4jOnGpu, int nd4jDevice, QuantumBackend backend, Circuit circuit,
                             DataType dataType) {
        if (!nd4jOnGpu) {
            return "ND4J runs on the CPU";
        }
        DeviceBackend d = DeviceBackend.of(backend);
        if (d == null) {
            return "the quantum backend " + backend.name() + " takes no device pointers";
        }
        if (d.device() != nd4jDevice) {
            return "the quantum backend is on GPU " + d.device() + ", ND4J on GPU " + nd4jDevice;
        }
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            return "data type " + dataType + " (the kernels take float32 or float64)";
        }
        if (circuit.layers() == 0) {
            return "a circuit without layers (the device entry points need at least one)";
        }
        return null;
    }

    /** The backend this path calls. */
    DeviceBackend backend() {
        return backend;
    }

    /** z = circuit(theta, w) on the device: theta [batch][qubits], w [1][weights]; returns a new z [batch][qubits]. */
    INDArray forward(Circuit c, INDArray theta, INDArray w) {
        int batch = (int) theta.size(0);
        INDArray x = input(theta);
        INDArray wd = input(w);
        INDArray z = output(batch, c.qubits());
        Nd4j.getExecutioner().commit();
        backend.forwardDevice(c, batch, precision, address(x), address(wd), address(z));
        written(z);
        return z;
    }

    /**
     * The vector-Jacobian product on the device for upstream g = dL/dz [batch][qubits]: returns
     * {dL/dtheta [batch][qubits], dL/dw [1][weights]}, new arrays.
     */
    INDArray[] backward(Circuit c, INDArray theta, INDArray w, INDArray g, Gradient method) {
        int batch = (int) theta.size(0);
        INDArray x = input(theta);
        INDArray wd = input(w);
        INDArray up = input(g);
        INDArray dx = output(batch, c.qubits());
        INDArray dw = output(1, c.weightCount());
        Nd4j.getExecutioner().commit();
        backend.backwardDevice(c, batch, precision, address(x), address(wd), address(up), address(dx), address(dw),
                method);
        written(dx);
        written(dw);
        return new INDArray[] {dx, dw};
    }

    /** The array if it is a dense row-major buffer of its own, of the kernels' type; else a copy that is. */
    private INDArray input(INDArray a) {
        INDArray r = a.dataType() == dataType ? a : a.castTo(dataType);
        if (!ownDenseRowMajor(r)) {
            r = r.dup('c'); // on the GPU backend a device-side copy
        }
        Nd4j.getAffinityManager().ensureLocation(r, DEVICE);
        return r;
    }

    private INDArray output(long rows, long cols) {
        INDArray r = Nd4j.createUninitialized(dataType, new long[] {rows, cols}, 'c');
        Nd4j.getAffinityManager().ensureLocation(r, DEVICE); // makes sure the device buffer exists
        return r;
    }

    /** Parameters are views into the network's flat vector: never hand out a view's address (offsets differ by backend). */
    static boolean ownDenseRowMajor(INDArray a) {
        return !a.isView() && a.data().length() == a.length() && Shape.hasDefaultStridesForShape(a)
                && (a.ordering() == 'c' || a.rows() == 1 || a.columns() == 1);
    }

    private static long address(INDArray a) {
        return a.data().platformAddress(); // the device pointer on the CUDA backend, the host pointer on the CPU one
    }

    private static void written(INDArray a) {
        Nd4j.getAffinityManager().tagLocation(a, DEVICE);
    }
}
