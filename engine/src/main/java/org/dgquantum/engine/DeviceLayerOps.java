package org.dgquantum.engine;

import java.util.Collection;

/**
 * The matrix operations of the residual quantum layer {@code h' = h + alpha z(pi tanh(h Wq)) Wr} and of its
 * vector-Jacobian product, in one device's memory and one precision: what a backend offers so that a whole layer
 * runs on its device, not only the circuit ({@link QuantumBackend#openLayerOps}). The CUDA backend does the
 * products with cuBLAS and the elementwise steps with its own kernels.
 *
 * <p>Matrices are dense row-major arrays in device memory, made by these operations and owned by them: a
 * result stays valid until {@link #recycle} is called without it, or until {@link #close}. Operations are
 * queued in order on the device; {@link #download} and {@link #sync} wait for them. The circuit itself runs
 * through the backend's {@code forward}/{@code backward} on {@link Matrix#buffer()}s, ordered with the rest.
 * Not thread-safe: one instance per layer (per thread).
 */
public interface DeviceLayerOps extends AutoCloseable {

    /** A dense row-major [rows][cols] matrix in device memory. */
    interface Matrix {
        int rows();

        int cols();

        /** The memory, for the backend's circuit calls. */
        DeviceBuffer buffer();
    }

    /** E.g. "cuBLAS 12060 on cuda:0 (...)": for the layer's log line. */
    String name();

    Precision precision();

    /** A matrix whose contents are undefined until something writes it. */
    Matrix create(int rows, int cols);

    /** A copy of host data: rows * cols values, row-major, in this precision. */
    Matrix upload(HostBuffer data, int rows, int cols);

    /** Copies m into host memory (rows * cols values, this precision), after all queued work. */
    void download(Matrix m, HostBuffer target);

    /** scale * op(a) op(b), op = transpose where asked. */
    Matrix matmul(Matrix a, boolean transposeA, Matrix b, boolean transposeB, double scale);

    /** pi tanh(x), elementwise. */
    Matrix piTanh(Matrix x);

    /** dTheta * pi (1 - (theta / pi)^2): the chain rule through theta = pi tanh(.). */
    Matrix piTanhBackward(Matrix theta, Matrix dTheta);

    /** a + b. */
    Matrix add(Matrix a, Matrix b);

    /** Waits for all queued work. */
    void sync();

    /** Every matrix made so far except {@code keep} may be reused for later results. */
    void recycle(Collection<? extends Matrix> keep);

    /** Frees the device memory; the matrices become invalid. */
    @Override
    void close();
}
