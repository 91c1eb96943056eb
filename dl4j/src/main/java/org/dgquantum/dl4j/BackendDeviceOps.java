package org.dgquantum.dl4j;

import java.util.List;
import org.dgquantum.engine.DeviceLayerOps;
import org.dgquantum.engine.QuantumBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The quantum layer's matrices in the quantum backend's own device memory, for ND4J on the CPU: the whole layer
 * (projections, pi tanh, circuit, residual, and the backward pass) runs on the backend's GPU through its
 * {@link DeviceLayerOps} (cuBLAS and the project's kernels on the CUDA backend). DL4J's arrays cross once each
 * way: the input, parameters and upstream gradient up, the output and gradients down. For a GPU that ND4J's
 * CUDA build cannot run on (Hopper with ND4J 1.0.0-M2.1), or a model kept on the CPU.
 */
final class BackendDeviceOps implements ResidualQuantumCore.Ops<DeviceLayerOps.Matrix>, AutoCloseable {
    private final DeviceLayerOps device;
    /** Row-major host copies in the layer's precision: the way in and out of ND4J's arrays. */
    private final HostOps host;

    BackendDeviceOps(DeviceLayerOps device) {
        this.device = device;
        this.host = new HostOps(device.precision());
    }

    String name() {
        return device.name();
    }

    @Override
    public DeviceLayerOps.Matrix matmul(DeviceLayerOps.Matrix a, boolean ta, DeviceLayerOps.Matrix b, boolean tb, double scale) {
        return device.matmul(a, ta, b, tb, scale);
    }

    @Override
    public DeviceLayerOps.Matrix piTanh(DeviceLayerOps.Matrix x) {
        return device.piTanh(x);
    }

    @Override
    public DeviceLayerOps.Matrix piTanhBackward(DeviceLayerOps.Matrix theta, DeviceLayerOps.Matrix dTheta) {
        return device.piTanhBackward(theta, dTheta);
    }

    @Override
    public DeviceLayerOps.Matrix add(DeviceLayerOps.Matrix a, DeviceLayerOps.Matrix b) {
        return device.add(a, b);
    }

    @Override
    public DeviceLayerOps.Matrix create(int rows, int cols) {
        return device.create(rows, cols);
    }

    @Override
    public int rows(DeviceLayerOps.Matrix m) {
        return m.rows();
    }

    @Override
    public DeviceLayerOps.Matrix read(INDArray a) {
        HostOps.Matrix m = host.read(a);
        return device.upload(m.data(), m.rows(), m.cols());
    }

    @Override
    public void write(DeviceLayerOps.Matrix m, INDArray target) {
        HostOps.Matrix copy = host.create(m.rows(), m.cols());
        device.download(m, copy.data());
        host.write(copy, target);
    }

    @Override
    public QuantumBuffer input(DeviceLayerOps.Matrix m) {
        return m.buffer();
    }

    @Override
    public QuantumBuffer output(DeviceLayerOps.Matrix m) {
        return m.buffer();
    }

    @Override
    public void sync() {
        device.sync();
    }

    @Override
    public void written(DeviceLayerOps.Matrix output) {
    }

    @Override
    public void recycle(List<DeviceLayerOps.Matrix> keep) {
        device.recycle(keep);
    }

    @Override
    public String memory() {
        return "backend device";
    }

    @Override
    public void close() {
        device.close();
    }
}
