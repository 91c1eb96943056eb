package org.dgquantum.dl4j;

import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.Backends;
import org.dgquantum.engine.QuantumBackend;
import org.dgquantum.engine.UserError;

/**
 * The library user's lazy default: the backend a quantum layer uses when none was given to it
 * ({@link QuantumLayerImpl#setBackend}): {@link Backends#best()}, opened once per JVM on first use (so the
 * choice is logged once) and never closed. The trainer does not use it: it passes each run's backend to the
 * layers and closes it after the run.
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
}
