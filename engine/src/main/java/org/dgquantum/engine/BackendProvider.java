package org.dgquantum.engine;

/**
 * Service-provider interface through which backends register ({@link java.util.ServiceLoader}).
 * The engine knows only its own Java backend; the bindings module adds native and CUDA providers.
 */
public interface BackendProvider {

    /** Short id used to force this backend: "java", "native", "cuda". */
    String id();

    /** Higher is preferred by {@link Backends#best()}: cuda 300, java 100, native 50 (see its provider for why). */
    int priority();

    /**
     * Opens the backend, or says why it cannot be used here. Implementations may throw
     * {@link LinkageError} when a native library is missing; {@link Backends} turns that into a reason.
     */
    QuantumBackend open() throws BackendUnavailableException;
}
