package org.dgquantum.engine;

/** A backend cannot be used on this machine; the message is the reason (e.g. "no libcuda.so.1"). */
public class BackendUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String reason) {
        super(reason);
    }

    public BackendUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
