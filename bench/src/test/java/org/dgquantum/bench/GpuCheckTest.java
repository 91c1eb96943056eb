package org.dgquantum.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.Backends;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.JavaBackend;
import org.dgquantum.engine.HostBuffer;
import org.dgquantum.engine.Precision;
import org.dgquantum.engine.QuantumBackend;
import org.dgquantum.engine.QuantumBuffer;
import org.junit.jupiter.api.Test;

/** The correctness gate of gpu-check.sh, exercised with the CPU backends (it must pass right ones, fail wrong ones). */
class GpuCheckTest {

    @Test
    void passesAgreeingBackendsAndCatchesAWrongOne() throws Exception {
        QuantumBackend nativeCpu;
        try {
            nativeCpu = Backends.open("native");
        } catch (BackendUnavailableException e) {
            assumeTrue(false, "native CPU library not available: " + e.getMessage());
            return;
        }
        try (JavaBackend java = new JavaBackend(1)) {
            assertTrue(GpuCheck.check(nativeCpu, java, 8).isEmpty());
            List<String> failures = GpuCheck.check(new OffByALittle(java), nativeCpu, 3);
            assertFalse(failures.isEmpty());
            assertTrue(failures.get(0).contains("float64 forward"), failures.get(0));
        }
    }

    /** The Java backend with every float64 expectation off by 1e-7 (beyond the 1e-9 tolerance). */
    private record OffByALittle(JavaBackend b) implements QuantumBackend {
        public String name() { return "wrong"; }
        public int maxQubits() { return b.maxQubits(); }
        public void forward(Circuit c, int batch, QuantumBuffer x, QuantumBuffer w, QuantumBuffer z) {
            b.forward(c, batch, x, w, z);
            if (z.precision() == Precision.FLOAT64) {
                HostBuffer h = (HostBuffer) z;
                for (long i = 0; i < h.length(); i++) {
                    h.set(i, h.get(i) + 1e-7);
                }
            }
        }
        public void backward(Circuit c, int batch, QuantumBuffer x, QuantumBuffer w, QuantumBuffer g, QuantumBuffer dx,
                             QuantumBuffer dw, Gradient m) {
            b.backward(c, batch, x, w, g, dx, dw, m);
        }
    }
}
