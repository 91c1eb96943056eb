package org.dgquantum.bindings;

import org.dgquantum.engine.BackendProvider;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.QuantumBackend;

/** Registers {@link CudaBackend} (id "cuda", priority 300) on the device {@code -Ddgq.cuda.device=} (default 0). */
public final class CudaProvider implements BackendProvider {
    /** System property: index of the CUDA device to use. */
    public static final String DEVICE_PROPERTY = "dgq.cuda.device";

    @Override
    public String id() {
        return "cuda";
    }

    @Override
    public int priority() {
        return 300;
    }

    @Override
    public QuantumBackend open() throws BackendUnavailableException {
        String d = System.getProperty(DEVICE_PROPERTY, "0").trim();
        int device;
        try {
            device = Integer.parseInt(d);
        } catch (NumberFormatException e) {
            throw new BackendUnavailableException(DEVICE_PROPERTY + "=" + d + " is not a device index");
        }
        return CudaBackend.open(device);
    }
}
