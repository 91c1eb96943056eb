package org.dgquantum.cli;

import org.dgquantum.engine.BackendProvider;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.QuantumBackend;

/**
 * Test-only backend that is installed but never available, like CUDA on a machine without a GPU.
 * Its priority is below the Java backend's, so it is only ever tried when forced.
 */
public final class UnavailableTestProvider implements BackendProvider {
    static final String REASON = "no device (test provider is never available)";

    @Override
    public String id() {
        return "unavailable-test";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public QuantumBackend open() throws BackendUnavailableException {
        throw new BackendUnavailableException(REASON);
    }
}
