package org.dgquantum.bindings;

import org.dgquantum.engine.BackendProvider;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.QuantumBackend;

/**
 * Registers {@link NativeCpuBackend} (id "native", priority 50). It ranks below the Java backend (100): the
 * Java backend's lane layout made it 2-3.5x faster on every measured size (docs/benchmarks.md), so
 * {@code Backends.best()} should not pick the library unless forced ({@code -Ddgq.backend=native}).
 */
public final class NativeCpuProvider implements BackendProvider {
    @Override
    public String id() {
        return "native";
    }

    @Override
    public int priority() {
        return 50;
    }

    @Override
    public QuantumBackend open() throws BackendUnavailableException {
        return NativeCpuBackend.open();
    }
}
