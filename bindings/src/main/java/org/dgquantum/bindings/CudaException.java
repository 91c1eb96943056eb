package org.dgquantum.bindings;

/** A CUDA driver call failed; the message names the call and the CUresult. */
public class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int result;

    public CudaException(String call, int result, String resultName) {
        super(call + " failed: " + resultName);
        this.result = result;
    }

    /** The CUresult code. */
    public int result() {
        return result;
    }
}
