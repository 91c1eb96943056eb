package org.dgquantum.bindings;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasStatus;
import jcuda.runtime.cudaStream_t;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.Precision;

/**
 * cuBLAS through JCublas: one handle, bound to the CUDA backend's stream, scalars passed from host memory (the
 * default pointer mode). JCublas 12.6's native library links libcublas.so.12; where that cannot be loaded (no
 * CUDA 12 cuBLAS on the library path) {@link #open} says so and the layer stays on the host path.
 */
final class JCublasBlas implements DeviceBlas {
    private final cublasHandle handle;
    private final String name;

    private JCublasBlas(cublasHandle handle, String name) {
        this.handle = handle;
        this.name = name;
    }

    /** The current context must be the CUDA backend's (the handle belongs to it). */
    static JCublasBlas open(CUstream stream) throws BackendUnavailableException {
        cublasHandle h = new cublasHandle();
        try {
            JCublas2.setExceptionsEnabled(false);
            status("cublasCreate", JCublas2.cublasCreate(h));
        } catch (LinkageError e) {
            // UnsatisfiedLinkError on the first use, NoClassDefFoundError after that
            throw new BackendUnavailableException("JCublas cannot load cuBLAS (its native library needs libcublas.so.12"
                    + " from CUDA 12 on the library path): " + e.toString().lines().findFirst().orElse(""), e);
        }
        try {
            status("cublasSetStream", JCublas2.cublasSetStream(h, new cudaStream_t(stream)));
            int[] version = {0};
            status("cublasGetVersion", JCublas2.cublasGetVersion(h, version));
            return new JCublasBlas(h, "cuBLAS " + version[0]);
        } catch (BackendUnavailableException e) {
            JCublas2.cublasDestroy(h);
            throw e;
        }
    }

    private static void status(String call, int rc) throws BackendUnavailableException {
        if (rc != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new BackendUnavailableException(call + " failed: " + cublasStatus.stringFor(rc));
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void gemm(Precision p, boolean transA, boolean transB, int m, int n, int k, double alpha, long a, int lda,
                     long b, int ldb, double beta, long c, int ldc) {
        int ta = transA ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int tb = transB ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int rc = p == Precision.FLOAT32
                ? JCublas2.cublasSgemm(handle, ta, tb, m, n, k, Pointer.to(new float[] {(float) alpha}), at(a), lda, at(b),
                        ldb, Pointer.to(new float[] {(float) beta}), at(c), ldc)
                : JCublas2.cublasDgemm(handle, ta, tb, m, n, k, Pointer.to(new double[] {alpha}), at(a), lda, at(b), ldb,
                        Pointer.to(new double[] {beta}), at(c), ldc);
        check(p == Precision.FLOAT32 ? "cublasSgemm" : "cublasDgemm", rc);
    }

    @Override
    public void geam(Precision p, int m, int n, double alpha, long a, int lda, double beta, long b, int ldb, long c, int ldc) {
        int op = cublasOperation.CUBLAS_OP_N;
        int rc = p == Precision.FLOAT32
                ? JCublas2.cublasSgeam(handle, op, op, m, n, Pointer.to(new float[] {(float) alpha}), at(a), lda,
                        Pointer.to(new float[] {(float) beta}), at(b), ldb, at(c), ldc)
                : JCublas2.cublasDgeam(handle, op, op, m, n, Pointer.to(new double[] {alpha}), at(a), lda,
                        Pointer.to(new double[] {beta}), at(b), ldb, at(c), ldc);
        check(p == Precision.FLOAT32 ? "cublasSgeam" : "cublasDgeam", rc);
    }

    /** A JCuda pointer to a raw device address. */
    private static Pointer at(long address) {
        return new CUdeviceptr().withByteOffset(address);
    }

    private static void check(String call, int rc) {
        if (rc != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new CudaException(call, rc, cublasStatus.stringFor(rc));
        }
    }

    @Override
    public void close() {
        JCublas2.cublasDestroy(handle);
    }
}
