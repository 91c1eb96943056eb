package org.dgquantum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.dgquantum.engine.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calibrated `auto`: the faster fake wins, the cache spares a second probe, the probe is bounded, off = static order. */
class BackendCalibrationTest {

    /** A backend that busy-waits a fixed time per call (or one shrinking by {@link #speedUp}) and counts its calls. */
    static final class Fake implements QuantumBackend {
        final String name;
        long nanosPerCall;
        double speedUp = 1;
        final AtomicInteger calls;
        /** When set, a call advances this clock instead of taking real time (the probe then reads it). */
        java.util.concurrent.atomic.AtomicLong clock;
        boolean closed;

        Fake(String name, long nanosPerCall, AtomicInteger calls) {
            this.name = name;
            this.nanosPerCall = nanosPerCall;
            this.calls = calls;
        }

        private void work() {
            calls.incrementAndGet();
            if (clock != null) {
                clock.addAndGet(nanosPerCall + 1); // +1: the call itself is never free
                return;
            }
            long end = System.nanoTime() + nanosPerCall;
            nanosPerCall = (long) (nanosPerCall * speedUp);
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }

        public String name() { return name; }
        public int maxQubits() { return 20; }
        public void forward(Circuit c, int batch, QuantumBuffer x, QuantumBuffer w, QuantumBuffer z) { work(); }
        public void backward(Circuit c, int batch, QuantumBuffer x, QuantumBuffer w, QuantumBuffer g, QuantumBuffer dx,
                             QuantumBuffer dw, Gradient m) { work(); }
        @Override public void close() { closed = true; }
    }

    /** Opens a new {@link Fake} each time (as a real provider opens a new backend); the last one stays visible. */
    static class FakeProvider implements BackendProvider {
        final String id;
        final int priority;
        final long nanosPerCall;
        final AtomicInteger calls = new AtomicInteger();
        Fake last;

        FakeProvider(String id, int priority, long nanosPerCall) {
            this.id = id;
            this.priority = priority;
            this.nanosPerCall = nanosPerCall;
        }

        public String id() { return id; }
        public int priority() { return priority; }
        public QuantumBackend open() {
            last = new Fake(id + "-device", nanosPerCall, calls);
            return last;
        }
    }

    private static final BackendCalibration.Shape SHAPE = new BackendCalibration.Shape(
            new Circuit(4, 2, Gate.RY, List.of(Gate.RY, Gate.RZ), Entangler.RING), 8, Precision.FLOAT32, Gradient.ADJOINT);

    @TempDir
    Path dir;

    private BackendCalibration calibration(String machine) {
        return new BackendCalibration(true, dir.resolve("cache/backend-calibration.json"), 200_000_000L, 5_000_000L, 20, machine);
    }

    @Test
    void theFasterBackendWinsOverTheStaticOrderAndTheOtherIsClosed() throws Exception {
        FakeProvider slowGpu = new FakeProvider("cuda", 300, 400_000);
        FakeProvider fastCpu = new FakeProvider("java", 100, 40_000);
        Backends.Selection s = Backends.select(SHAPE, List.of(slowGpu, fastCpu), calibration("m1"));
        assertEquals("java-device", s.backend().name());
        assertTrue(slowGpu.last.closed, "the slower backend is closed");
        assertFalse(fastCpu.last.closed);
        assertTrue(s.explanation().startsWith("quantum backend: java-device (calibrated for n=4 L=2 B=8 float32: cuda "),
                s.explanation());
        assertTrue(s.explanation().matches(".*java \\d+ us, (\\d+\\.\\d)x; measured now, cached in .*backend-calibration.json\\)"),
                s.explanation());
        double ratio = Double.parseDouble(s.explanation().replaceAll(".*us, (\\d+\\.\\d)x;.*", "$1"));
        assertTrue(ratio > 2, "about 400 / 40 us: " + s.explanation());
    }

    @Test
    void theCacheSparesASecondProbeForTheSameShapeBackendsAndMachine() throws Exception {
        Backends.select(SHAPE, List.of(new FakeProvider("cuda", 300, 300_000), new FakeProvider("java", 100, 30_000)),
                calibration("m1")).backend().close();
        Object cache = Json.parse(Files.readString(dir.resolve("cache/backend-calibration.json")));
        assertEquals(1, ((Map<?, ?>) ((Map<?, ?>) cache).get("entries")).size(), cache.toString());

        // the next process: new providers, a new calibration over the same file
        FakeProvider gpu = new FakeProvider("cuda", 300, 300_000);
        FakeProvider cpu = new FakeProvider("java", 100, 30_000);
        Backends.Selection again = Backends.select(SHAPE, List.of(gpu, cpu), calibration("m1"));
        assertEquals("java-device", again.backend().name());
        assertEquals(0, gpu.calls.get() + cpu.calls.get(), "no second probe");
        assertTrue(again.explanation().contains("; cached in "), again.explanation());

        // another shape, another machine: measured again
        var bigger = new BackendCalibration.Shape(SHAPE.circuit(), 64, Precision.FLOAT32, Gradient.ADJOINT);
        Backends.select(bigger, List.of(gpu, cpu), calibration("m1"));
        assertTrue(cpu.calls.get() > 0);
        cpu.calls.set(0);
        Backends.select(SHAPE, List.of(gpu, cpu), calibration("m2"));
        assertTrue(cpu.calls.get() > 0);
    }

    @Test
    void theProbeIsBounded() {
        // The call counts on a clock that only the fake backend's calls advance: exact on a loaded machine too.
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        BackendCalibration counted = new BackendCalibration(true, dir.resolve("c.json"), 200_000_000L, 5_000_000L, 20,
                "m", clock::get);
        AtomicInteger calls = new AtomicInteger();
        // 1 ms per backend call (2 ms per forward + backward): 200 warm-up calls (400 ms > the 200 ms warm-up), then
        // two rounds of 5 calls (10 ms > the 5 ms budget), the second no faster than the first: settled
        Fake slowFake = new Fake("slow", 1_000_000L, calls);
        slowFake.clock = clock;
        BackendCalibration.Probe slow = counted.probe(slowFake, SHAPE);
        assertEquals(2 * (BackendCalibration.WARMUP_CALLS + 5 + 5), calls.get());
        assertTrue(slow.micros() >= 2000, "one forward + backward: " + slow.micros());
        assertTrue(slow.settled());

        BackendCalibration c = new BackendCalibration(true, dir.resolve("c.json"), 200_000_000L, 5_000_000L, 20, "m");
        // free calls: warm-up for 200 ms, then rounds of at most 20 calls
        long bound = BackendCalibration.BOUND_FACTOR * 200_000_000L;
        long t0 = System.nanoTime();
        assertTrue(c.probe(new Fake("fast", 0, calls), SHAPE).settled());
        assertTrue(System.nanoTime() - t0 < bound);

        // 40 ms calls: the bound (600 ms) ends the warm-up long before its 200 calls, unsettled
        calls.set(0);
        long start = clock.get();
        Fake tooSlowFake = new Fake("too slow", 20_000_000L, calls);
        tooSlowFake.clock = clock;
        BackendCalibration.Probe tooSlow = counted.probe(tooSlowFake, SHAPE);
        assertFalse(tooSlow.settled());
        assertTrue(calls.get() < 2 * 20, "calls: " + calls.get());
        assertTrue(clock.get() - start < bound + 2 * 40_000_000L);
    }

    @Test
    void aBackendStillGettingFasterLeavesTheStaticOrderAndNothingCached() throws Exception {
        // java's JIT compiling during the probe: every call 1% faster than the one before, so that after the warm-up
        // each round of 5 calls is still faster than the last, or the probe's bound is reached first
        FakeProvider java = new FakeProvider("java", 200, 2_000_000L) {
            @Override
            public QuantumBackend open() {
                QuantumBackend b = super.open();
                last.speedUp = 0.99;
                return b;
            }
        };
        FakeProvider nativeCpu = new FakeProvider("native", 100, 100_000L);
        BackendCalibration c = new BackendCalibration(true, dir.resolve("cache/backend-calibration.json"), 20_000_000L,
                5_000_000L, 20, "m");
        Backends.Selection s = Backends.select(SHAPE, List.of(nativeCpu, java), c);
        assertEquals("java-device", s.backend().name(), s.explanation());
        assertTrue(s.explanation().contains("did not settle"), s.explanation());
        assertTrue(nativeCpu.last.closed);
        assertFalse(Files.exists(c.cache()), "an unsettled measurement must not be cached");
    }

    @Test
    void aCacheOfAnotherMeasuringMethodIsMeasuredAgain() throws Exception {
        Path file = dir.resolve("cache/backend-calibration.json");
        FakeProvider gpu = new FakeProvider("cuda", 300, 300_000);
        FakeProvider cpu = new FakeProvider("java", 100, 30_000);
        Backends.select(SHAPE, List.of(gpu, cpu), calibration("m1")).backend().close();
        Files.writeString(file, Files.readString(file).replace("\"version\" : " + BackendCalibration.CACHE_VERSION,
                "\"version\" : 1").replace("\"version\":" + BackendCalibration.CACHE_VERSION, "\"version\":1"));
        cpu.calls.set(0);
        Backends.select(SHAPE, List.of(gpu, cpu), calibration("m1"));
        assertTrue(cpu.calls.get() > 0, "a version-1 cache entry was trusted: " + Files.readString(file));
    }

    @Test
    void aWinnerWithinTheMarginLeavesTheStaticOrdersFavourite() throws Exception {
        FakeProvider java = new FakeProvider("java", 200, 1_800_000L);
        FakeProvider nativeCpu = new FakeProvider("native", 100, 1_000_000L);
        Backends.Selection s = Backends.select(SHAPE, List.of(nativeCpu, java), calibration("m"));
        assertEquals("java-device", s.backend().name(), "1.8x is within the margin: the measured static order stays: " + s.explanation());
    }

    @Test
    void disabledCalibrationOrOneBackendIsTheStaticOrderWithoutAProbe() throws Exception {
        FakeProvider slowGpu = new FakeProvider("cuda", 300, 400_000);
        FakeProvider fastCpu = new FakeProvider("java", 100, 40_000);
        var off = new BackendCalibration(false, dir.resolve("c.json"), 2_000_000L, 5_000_000L, 20, "m");
        Backends.Selection s = Backends.select(SHAPE, List.of(slowGpu, fastCpu), off);
        assertEquals("cuda-device", s.backend().name());
        assertEquals("quantum backend: cuda-device (the best available) [calibration off: dgq.backend.calibrate=false]",
                s.explanation());
        assertEquals(0, slowGpu.calls.get() + fastCpu.calls.get());
        assertFalse(Files.exists(dir.resolve("c.json")));

        BackendProvider missing = new BackendProvider() {
            public String id() { return "native"; }
            public int priority() { return 50; }
            public QuantumBackend open() throws BackendUnavailableException {
                throw new BackendUnavailableException("library missing");
            }
        };
        Backends.Selection one = Backends.select(SHAPE, List.of(missing, fastCpu), calibration("m"));
        assertEquals("quantum backend: java-device (the only one available; native: library missing)", one.explanation());
        assertEquals(0, fastCpu.calls.get());
    }

    @Test
    void thePropertyTurnsCalibrationOff() {
        String before = System.getProperty(BackendCalibration.PROPERTY);
        try {
            System.setProperty(BackendCalibration.PROPERTY, "false");
            assertFalse(BackendCalibration.fromEnvironment().enabled());
            System.setProperty(BackendCalibration.PROPERTY, "true");
            assertTrue(BackendCalibration.fromEnvironment().enabled());
        } finally {
            if (before == null) {
                System.clearProperty(BackendCalibration.PROPERTY);
            } else {
                System.setProperty(BackendCalibration.PROPERTY, before);
            }
        }
    }

    @Test
    void realBackendsThroughServiceLoaderStillChoose() throws Exception {
        try (QuantumBackend b = Backends.best(SHAPE)) {
            assertInstanceOf(JavaBackend.class, b, "the engine alone registers only java");
        }
    }
}
