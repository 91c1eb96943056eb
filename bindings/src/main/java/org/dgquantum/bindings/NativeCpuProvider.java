package org.dgquantum.bindings;

import org.dgquantum.engine.BackendProvider;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.QuantumBackend;

/** Registers {@link NativeCpuBackend} (id "native", priority 200). */
public final class NativeCpuProvider implements BackendProvider {
    @Override
    public String id() {
        return "native";
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public QuantumBackend open() throws BackendUnavailableException {
        return NativeCpuBackend.open();
    }
}
