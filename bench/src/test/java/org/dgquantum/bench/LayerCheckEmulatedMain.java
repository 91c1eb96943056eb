package org.dgquantum.bench;

import org.dgquantum.bindings.EmulatedGpu;
import org.dgquantum.engine.QuantumBackend;

/** LayerCheck on the emulated GPU, small sizes (LayerCheckTest runs it in a JVM that EmulatedGpu prepared). */
public final class LayerCheckEmulatedMain {
    private LayerCheckEmulatedMain() {
    }

    public static void main(String[] args) throws Exception {
        try (QuantumBackend gpu = EmulatedGpu.open()) {
            System.exit(LayerCheck.run(gpu, 16, 3, new int[] {4, 16}) ? 0 : 1);
        }
    }
}
