package org.dgquantum.dl4j;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import org.dgquantum.engine.DeviceBuffer;
import org.dgquantum.engine.Precision;
import org.dgquantum.engine.QuantumBackend;
import org.dgquantum.engine.QuantumBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The quantum layer's matrices as ND4J arrays in GPU memory, handed to the backend as {@link DeviceBuffer}s:
 * no host copies. Used only when ND4J itself runs on a GPU ({@code -Pnd4j-cuda}) and the quantum backend
 * accepts memory of that GPU ({@link #hostReason}).
 *
 * <p>Streams: ND4J queues its ops on its own CUDA stream, the backend launches on another. Before a call,
 * {@link #sync()} waits for ND4J's queued work (which produced the inputs); the backend returns only after its
 * own stream is done, so the outputs are complete when ND4J's next op reads them. Location tags: inputs are
 * {@code ensureLocation(DEVICE)} (copied up if ND4J last wrote them on the host), outputs are tagged as
 * written on the device, so that ND4J never overwrites them with a stale host copy.
 *
 * <p>Only APIs of nd4j-api are used, so this runs (with fakes, as in the tests) on the CPU backend too, where
 * the "device" address is the host address of the buffer.
 */
final class DeviceOps implements ResidualQuantumCore.Ops<INDArray> {
    private static final AffinityManager.Location DEVICE = AffinityManager.Location.DEVICE;

    private final DataType dataType;
    private final Precision precision;
    private final int device;
    /** Copies made for a backend call: kept reachable until the call has returned. */
    private final List<INDArray> pinned = new ArrayList<>();

    /** Use only where {@link #hostReason} returned null. */
    DeviceOps(DataType dataType, int device) {
        this.dataType = dataType;
        this.precision = precision(dataType);
        this.device = device;
    }

    static Precision precision(DataType dataType) {
        return dataType == DataType.DOUBLE ? Precision.FLOAT64 : Precision.FLOAT32;
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

    /** Why the layer must use host memory, or null if the backend can work on ND4J's device arrays. */
    static String hostReason(boolean nd4jOnGpu, int nd4jDevice, QuantumBackend backend, DataType dataType) {
        if (!nd4jOnGpu) {
            return "ND4J runs on the CPU";
        }
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            return "data type " + dataType + " (the kernels take float32 or float64)";
        }
        if (!backend.acceptsDevice(nd4jDevice)) {
            return "the quantum backend " + backend.name() + " takes no memory of GPU " + nd4jDevice;
        }
        return null;
    }

    @Override
    public INDArray matmul(INDArray a, boolean ta, INDArray b, boolean tb, double scale) {
        INDArray r = (ta ? a.transpose() : a).mmul(tb ? b.transpose() : b, 'c');
        return scale == 1 ? r : r.muli(scale);
    }

    @Override
    public INDArray piTanh(INDArray x) {
        return Transforms.tanh(x, true).muli(Math.PI);
    }

    @Override
    public INDArray piTanhBackward(INDArray theta, INDArray dTheta) {
        INDArray t = theta.div(Math.PI);
        return t.muli(t).rsubi(1).muli(Math.PI).muli(dTheta);
    }

    @Override
    public INDArray add(INDArray a, INDArray b) {
        return a.add(b);
    }

    @Override
    public INDArray create(int rows, int cols) {
        INDArray r = Nd4j.createUninitialized(dataType, new long[] {rows, cols}, 'c');
        Nd4j.getAffinityManager().ensureLocation(r, DEVICE); // makes sure the device buffer exists
        return r;
    }

    @Override
    public int rows(INDArray m) {
        return (int) m.size(0);
    }

    @Override
    public INDArray read(INDArray a) {
        return a.dataType() == dataType ? a : a.castTo(dataType);
    }

    @Override
    public void write(INDArray m, INDArray target) {
        target.assign(m);
    }

    /** The array's own memory if it is a dense row-major buffer of its own, else that of a copy that is. */
    @Override
    public QuantumBuffer input(INDArray a) {
        INDArray r = a;
        if (!ownDenseRowMajor(r)) {
            r = r.dup('c'); // on the GPU backend a device-side copy
            pinned.add(r);
        }
        Nd4j.getAffinityManager().ensureLocation(r, DEVICE);
        return buffer(r);
    }

    @Override
    public QuantumBuffer output(INDArray a) {
        return buffer(a);
    }

    @Override
    public void sync() {
        Nd4j.getExecutioner().commit();
    }

    @Override
    public void written(INDArray output) {
        Nd4j.getAffinityManager().tagLocation(output, DEVICE);
        Reference.reachabilityFence(pinned);
        pinned.clear();
    }

    @Override
    public String memory() {
        return "device";
    }

    /** Parameters are views into the network's flat vector: never hand out a view's address (offsets differ by backend). */
    static boolean ownDenseRowMajor(INDArray a) {
        return !a.isView() && a.data().length() == a.length() && Shape.hasDefaultStridesForShape(a)
                && (a.ordering() == 'c' || a.rows() == 1 || a.columns() == 1);
    }

    private DeviceBuffer buffer(INDArray a) {
        // platformAddress: the device pointer on the CUDA backend, the host pointer on the CPU one
        return new DeviceBuffer(a.data().platformAddress(), a.length(), device, precision);
    }
}
