package org.dgquantum.engine;

/** Registers the pure-Java backend, which is always available. */
public final class JavaBackendProvider implements BackendProvider {
    @Override
    public String id() {
        return "java";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public QuantumBackend open() {
        return new JavaBackend();
    }
}
