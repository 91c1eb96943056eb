package org.dgquantum.bindings;

/** A CUDA driver or cuBLAS call failed; the message names the call and the CUresult or cublasStatus. */
public class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int result;

    public CudaException(String call, int result, String resultName) {
        super(call + " failed: " + resultName);
        this.result = result;
    }

    /** The CUresult (or cublasStatus) code. */
    public int result() {
        return result;
    }
}
