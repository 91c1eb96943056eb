package org.dgquantum.dl4j;

import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.Backends;
import org.dgquantum.engine.QuantumBackend;
import org.dgquantum.engine.UserError;

/**
 * The backend quantum layers use unless one is set on the layer: {@link Backends#best()}, opened once
 * per JVM on first use (so the choice is logged once), or whatever {@link #setDefault} installed.
 */
public final class QuantumBackends {
    private static QuantumBackend shared;

    private QuantumBackends() {
    }

    /** The default backend, opening {@link Backends#best()} on first call. */
    public static synchronized QuantumBackend shared() {
        if (shared == null) {
            try {
                shared = Backends.best();
            } catch (BackendUnavailableException e) {
                // Only a forced backend (dgq.backend / DGQ_BACKEND) can be unavailable: say which and why.
                throw new UserError("quantum layer: " + e.getMessage(), e);
            }
        }
        return shared;
    }

    /**
     * Replaces the default backend for layers that have none of their own (e.g. from a CLI option);
     * null goes back to {@link Backends#best()} on next use. The previous backend is not closed.
     */
    public static synchronized void setDefault(QuantumBackend backend) {
        shared = backend;
    }
}
