package org.dgquantum.bindings;

import org.dgquantum.engine.BackendProvider;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.QuantumBackend;

/**
 * Registers {@link NativeCpuBackend} (id "native", priority 50). It ranks below the Java backend (100) in the static
 * order of {@code Backends.best()}: its AVX-512 build is 1.1-2.8x the Java backend for forward and adjoint, but its
 * parameter shift is 3x slower and its AVX2 build is at parity on several sizes (docs/benchmarks.md, "Issue 14").
 * The measured choice, {@code Backends.best(shape)}, picks it where it is faster for the shape; forcing it:
 * {@code -Ddgq.backend=native}.
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
