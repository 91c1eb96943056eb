package org.dgquantum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Backend choice: priorities, reasons for skipped backends, forcing, LinkageError handling. */
class BackendsTest {

    /** A provider that fails the way a missing native library does. */
    private record Failing(String id, int priority, Throwable failure) implements BackendProvider {
        @Override
        public QuantumBackend open() throws BackendUnavailableException {
            if (failure instanceof BackendUnavailableException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            throw (RuntimeException) failure;
        }
    }

    private final BackendProvider java = new JavaBackendProvider();
    private final BackendProvider cuda = new Failing("cuda", 300, new UnsatisfiedLinkError("libcuda.so.1: cannot open shared object file"));
    private final BackendProvider nativeCpu = new Failing("native", 200, new BackendUnavailableException("library missing for this platform"));

    @Test
    void javaIsRegisteredThroughServiceLoader() {
        assertTrue(Backends.ids().contains("java"), Backends.ids().toString());
    }

    @Test
    void bestFallsBackAndExplainsEverySkippedBackend() throws Exception {
        Backends.Selection s = Backends.select(null, null, List.of(java, nativeCpu, cuda));
        try (QuantumBackend b = s.backend()) {
            assertInstanceOf(JavaBackend.class, b);
        }
        assertEquals("quantum backend: java (cuda: UnsatisfiedLinkError: libcuda.so.1: cannot open shared object file; "
                + "native: library missing for this platform)", s.explanation());
    }

    @Test
    void noClassDefFoundAndRuntimeFailuresAreReasonsToo() throws Exception {
        BackendProvider broken = new Failing("cuda", 300, new NoClassDefFoundError("jcuda/driver/JCudaDriver"));
        BackendProvider crashing = new Failing("native", 200, new IllegalStateException("bad ELF header"));
        Backends.Selection s = Backends.select(null, null, List.of(broken, crashing, java));
        s.backend().close();
        assertTrue(s.explanation().contains("cuda: NoClassDefFoundError: jcuda/driver/JCudaDriver"), s.explanation());
        assertTrue(s.explanation().contains("native: failed to start: java.lang.IllegalStateException: bad ELF header"), s.explanation());
    }

    @Test
    void forcingAnUnavailableBackendFailsWithItsReason() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.select("cuda", "forced by dgq.backend/DGQ_BACKEND", List.of(java, cuda)));
        assertEquals("backend 'cuda' (forced by dgq.backend/DGQ_BACKEND) is unavailable: UnsatisfiedLinkError: libcuda.so.1: cannot open shared object file",
                e.getMessage());
        BackendUnavailableException unknown = assertThrows(BackendUnavailableException.class,
                () -> Backends.select("quantum-annealer", "requested", List.of(java)));
        assertTrue(unknown.getMessage().contains("not installed (known: java)"), unknown.getMessage());
    }

    @Test
    void forcingAnAvailableBackendUsesIt() throws Exception {
        Backends.Selection s = Backends.select("JAVA", "requested", List.of(cuda, java));
        s.backend().close();
        assertEquals("quantum backend: java (requested)", s.explanation());
    }

    @Test
    void nothingAvailable() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.select(null, null, List.of(cuda)));
        assertTrue(e.getMessage().startsWith("no quantum backend available: cuda:"), e.getMessage());
    }
}
