package org.dgquantum.bindings;

import jcuda.driver.CUstream;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.Precision;

/**
 * The two BLAS calls the whole quantum layer needs, with cuBLAS's contract: column-major matrices at device
 * addresses, queued on the stream the BLAS was opened with. {@link JCublasBlas} is the real one; the tests give
 * a host implementation of the same contract, so that {@link CudaLayerOps}'s row-major to column-major mapping
 * and its memory handling run without a GPU.
 */
interface DeviceBlas extends AutoCloseable {

    /** Opens a BLAS that queues its work on this stream (the CUDA backend's). */
    @FunctionalInterface
    interface Factory {
        DeviceBlas open(CUstream stream) throws BackendUnavailableException;
    }

    /** E.g. "cuBLAS 120602". */
    String name();

    /** C = alpha op(A) op(B) + beta C; C is m x n, op(A) m x k, op(B) k x n, all column-major. */
    void gemm(Precision p, boolean transA, boolean transB, int m, int n, int k, double alpha, long a, int lda,
              long b, int ldb, double beta, long c, int ldc);

    /** C = alpha A + beta B, all m x n column-major (no transposes). */
    void geam(Precision p, int m, int n, double alpha, long a, int lda, double beta, long b, int ldb, long c, int ldc);

    @Override
    void close();
}
