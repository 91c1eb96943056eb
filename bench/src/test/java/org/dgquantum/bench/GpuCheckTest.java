package org.dgquantum.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        try (JavaBackend one = new JavaBackend(1); JavaBackend two = new JavaBackend(2)) {
            assertEquals(List.of(), GpuCheck.check(two, one, 6));
            List<String> failures = GpuCheck.check(new OffByALittle(two), one, 3);
            assertFalse(failures.isEmpty());
            // both halves of the gate see it: the reference cases and the agreement with the CPU backend
            assertTrue(failures.stream().anyMatch(f -> f.contains("float64 expectations")), failures.toString());
            assertTrue(failures.stream().anyMatch(f -> f.contains("wrong vs java") && f.contains("float64 forward")),
                    failures.toString());
            assertTrue(failures.stream().noneMatch(f -> f.contains("float32")), "only float64 forward is off: " + failures);
        }
    }

    @Test
    void passesTheNativeBackendWhereItLoads() throws Exception {
        QuantumBackend nativeCpu;
        try {
            nativeCpu = Backends.open("native");
        } catch (BackendUnavailableException e) {
            assumeTrue(false, "native CPU library not available: " + e.getMessage());
            return;
        }
        try (nativeCpu; JavaBackend java = new JavaBackend(1)) {
            assertEquals(List.of(), GpuCheck.check(nativeCpu, java, 8));
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
