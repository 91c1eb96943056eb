package org.dgquantum.bindings;

/**
 * A dgq_cpu_* or dgq_cuda_* call returned an error code. The message names the function, the code
 * (DGQ_ERR_INVALID, DGQ_ERR_UNSUPPORTED, DGQ_ERR_NOMEM, DGQ_ERR_CUDA) and the library's last_error text.
 */
public class NativeKernelException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    public NativeKernelException(String function, int code, String detail) {
        super(function + " failed: " + DgqAbi.codeName(code) + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        this.code = code;
    }

    /** The DGQ_ERR_* code. */
    public int code() {
        return code;
    }
}
