package org.dgquantum.bindings;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
import org.dgquantum.engine.DeviceBuffer;
import org.dgquantum.engine.DeviceLayerOps;
import org.dgquantum.engine.HostBuffer;
import org.dgquantum.engine.Precision;

/**
 * The whole quantum layer's matrix operations on the CUDA backend's GPU: products through a {@link DeviceBlas}
 * (cuBLAS), pi tanh and its derivative through the elementwise kernels of libdgq_cuda.so, all queued on the
 * backend's stream, so that they and the circuit kernels run in order without waiting in between.
 *
 * <p>Row-major matrices meet column-major BLAS by transposition: a row-major [r][c] matrix is the column-major
 * [c][r] matrix of its transpose, so C = op(A) op(B) is computed as C^T = op(B)^T op(A)^T, with B first.
 *
 * <p>Memory: device buffers are kept in a pool by size; {@link #recycle} returns every buffer but the kept ones
 * to it. The layer's shapes repeat from batch to batch, so after the first step nothing is allocated. Host
 * copies wait for the stream first (a recycled buffer may still be read by queued work), then copy
 * synchronously. Every call holds the backend's lock and makes its context current.
 */
final class CudaLayerOps implements DeviceLayerOps {

    /** A matrix in this GPU's memory; address 0 for an empty one. */
    record DeviceMatrix(long address, int rows, int cols, int device, Precision precision) implements Matrix {
        long bytes() {
            return (long) rows * cols * precision.bytes();
        }

        @Override
        public DeviceBuffer buffer() {
            return new DeviceBuffer(address, (long) rows * cols, device, precision);
        }
    }

    private final CudaBackend backend;
    private final Precision precision;
    private final DeviceBlas blas;
    private final Map<Long, ArrayDeque<Long>> pool = new HashMap<>();
    private final List<DeviceMatrix> live = new ArrayList<>();
    private final List<CudaBackend.Handle.DevicePtr> allocations = new ArrayList<>();
    private boolean closed;

    CudaLayerOps(CudaBackend backend, Precision precision, DeviceBlas blas) {
        this.backend = backend;
        this.precision = precision;
        this.blas = blas;
    }

    @Override
    public String name() {
        return blas.name() + " on " + backend.name();
    }

    @Override
    public Precision precision() {
        return precision;
    }

    @Override
    public Matrix create(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix shape [" + rows + "][" + cols + "]: expected sizes >= 0");
        }
        synchronized (backend) {
            enter();
            DeviceMatrix m = new DeviceMatrix(0, rows, cols, backend.ordinal(), precision);
            long bytes = m.bytes();
            m = new DeviceMatrix(bytes == 0 ? 0 : allocate(bytes), rows, cols, backend.ordinal(), precision);
            live.add(m);
            return m;
        }
    }

    private long allocate(long bytes) {
        ArrayDeque<Long> free = pool.get(bytes);
        if (free != null && !free.isEmpty()) {
            return free.pop();
        }
        CudaBackend.Handle.DevicePtr p = new CudaBackend.Handle.DevicePtr();
        CudaBackend.check("cuMemAlloc(layer matrix, " + bytes + " bytes)", JCudaDriver.cuMemAlloc(p, bytes));
        allocations.add(p);
        return p.address();
    }

    @Override
    public Matrix upload(HostBuffer data, int rows, int cols) {
        checkHost("upload", data, rows, cols);
        DeviceMatrix m = own(create(rows, cols));
        if (m.bytes() > 0) {
            synchronized (backend) {
                enter();
                backend.syncStream();
                CudaBackend.check("cuMemcpyHtoD(layer matrix)", JCudaDriver.cuMemcpyHtoD(at(m.address()), CudaBackend.pointer(data), m.bytes()));
            }
        }
        return m;
    }

    @Override
    public void download(Matrix matrix, HostBuffer target) {
        DeviceMatrix m = own(matrix);
        checkHost("download", target, m.rows(), m.cols());
        synchronized (backend) {
            enter();
            backend.syncStream();
            if (m.bytes() > 0) {
                CudaBackend.check("cuMemcpyDtoH(layer matrix)", JCudaDriver.cuMemcpyDtoH(CudaBackend.pointer(target),
                        at(m.address()), m.bytes()));
            }
        }
    }

    private void checkHost(String what, HostBuffer h, int rows, int cols) {
        if (h.precision() != precision || h.length() != (long) rows * cols) {
            throw new IllegalArgumentException(what + ": host buffer " + h.precision().id() + "[" + h.length()
                    + "] for a " + precision.id() + " matrix [" + rows + "][" + cols + "]");
        }
    }

    @Override
    public Matrix matmul(Matrix a, boolean transposeA, Matrix b, boolean transposeB, double scale) {
        DeviceMatrix x = own(a);
        DeviceMatrix y = own(b);
        int m = transposeA ? x.cols() : x.rows();
        int k = transposeA ? x.rows() : x.cols();
        int n = transposeB ? y.rows() : y.cols();
        int kb = transposeB ? y.cols() : y.rows();
        if (k != kb || k == 0) {
            throw new IllegalArgumentException("matmul: op(a) is [" + m + "][" + k + "], op(b) is [" + kb + "][" + n
                    + "]: expected equal, non-zero inner sizes");
        }
        DeviceMatrix c = own(create(m, n));
        if (c.bytes() == 0) {
            return c;
        }
        synchronized (backend) {
            enter();
            blas.gemm(precision, transposeB, transposeA, n, m, k, scale, y.address(), y.cols(), x.address(), x.cols(),
                    0, c.address(), n);
        }
        return c;
    }

    @Override
    public Matrix piTanh(Matrix x) {
        DeviceMatrix in = own(x);
        DeviceMatrix out = own(create(in.rows(), in.cols()));
        synchronized (backend) {
            enter();
            backend.launchPiTanh(precision, (long) in.rows() * in.cols(), in.address(), out.address());
        }
        return out;
    }

    @Override
    public Matrix piTanhBackward(Matrix theta, Matrix dTheta) {
        DeviceMatrix t = own(theta);
        DeviceMatrix d = own(dTheta);
        sameShape("piTanhBackward", t, d);
        DeviceMatrix out = own(create(t.rows(), t.cols()));
        synchronized (backend) {
            enter();
            backend.launchPiTanhBackward(precision, (long) t.rows() * t.cols(), t.address(), d.address(), out.address());
        }
        return out;
    }

    @Override
    public Matrix add(Matrix a, Matrix b) {
        DeviceMatrix x = own(a);
        DeviceMatrix y = own(b);
        sameShape("add", x, y);
        DeviceMatrix c = own(create(x.rows(), x.cols()));
        if (c.bytes() > 0) {
            synchronized (backend) {
                enter();
                blas.geam(precision, x.cols(), x.rows(), 1, x.address(), x.cols(), 1, y.address(), y.cols(),
                        c.address(), c.cols());
            }
        }
        return c;
    }

    private static void sameShape(String op, DeviceMatrix a, DeviceMatrix b) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new IllegalArgumentException(op + ": shapes differ: [" + a.rows() + "][" + a.cols() + "] and ["
                    + b.rows() + "][" + b.cols() + "]");
        }
    }

    @Override
    public void sync() {
        synchronized (backend) {
            enter();
            backend.syncStream();
        }
    }

    @Override
    public void recycle(Collection<? extends Matrix> keep) {
        Set<Matrix> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(keep);
        List<DeviceMatrix> stillLive = new ArrayList<>();
        for (DeviceMatrix m : live) {
            if (kept.contains(m)) {
                stillLive.add(m);
            } else if (m.address() != 0) {
                pool.computeIfAbsent(m.bytes(), b -> new ArrayDeque<>()).push(m.address());
            }
        }
        live.clear();
        live.addAll(stillLive);
    }

    /** Device buffers this instance holds (in use or pooled), for tests and the GPU check. */
    int allocationCount() {
        return allocations.size();
    }

    /** Frees every buffer and the BLAS handle. Idempotent; the backend calls it when it closes first. */
    @Override
    public void close() {
        synchronized (backend) {
            if (closed) {
                return;
            }
            closed = true;
            List<String> errors = new ArrayList<>();
            if (backend.enterIfOpen()) {
                for (CudaBackend.Handle.DevicePtr p : allocations) {
                    int rc = JCudaDriver.cuMemFree(p);
                    if (rc != 0) {
                        errors.add("cuMemFree(layer matrix): " + jcuda.driver.CUresult.stringFor(rc));
                    }
                }
                blas.close();
            }
            allocations.clear();
            pool.clear();
            live.clear();
            backend.forget(this);
            if (!errors.isEmpty()) {
                throw new CudaException("close(" + name() + ")", -1, String.join("; ", errors));
            }
        }
    }

    private void enter() {
        if (closed) {
            throw new IllegalStateException(name() + ": closed");
        }
        backend.enterForLayer();
    }

    /** A driver-API pointer to a raw device address. */
    private static CUdeviceptr at(long address) {
        return new CUdeviceptr().withByteOffset(address);
    }

    private DeviceMatrix own(Matrix m) {
        if (!(m instanceof DeviceMatrix d) || d.device() != backend.ordinal() || d.precision() != precision) {
            throw new IllegalArgumentException("not a matrix of " + name() + " in " + precision.id() + ": " + m);
        }
        return d;
    }
}
