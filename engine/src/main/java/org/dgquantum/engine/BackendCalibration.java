package org.dgquantum.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.dgquantum.engine.io.AtomicFiles;
import org.dgquantum.engine.io.Json;

/**
 * The calibrated part of {@code auto}: which backend is faster depends on the circuit's size, the batch and the
 * machine (a GPU pays a fixed cost per call; the Java backend wins small shapes on CPU), so for each shape the
 * available backends are measured once with a bounded probe (forward + backward on the real shape) and the result
 * is cached per machine in a small JSON file, keyed by the shape, the backends (with their device names) and the
 * machine's CPU. {@link Backends#best(Shape)} uses it; disabled, {@code auto} is the static order.
 */
public final class BackendCalibration {
    /** System property that turns calibration off ({@code false}); the environment variable {@value #ENV} too. */
    public static final String PROPERTY = "dgq.backend.calibrate";
    public static final String ENV = "DGQ_BACKEND_CALIBRATE";
    /** System property naming the cache file (default: ${XDG_CACHE_HOME:-~/.cache}/dgquantum/backend-calibration.json). */
    public static final String CACHE_PROPERTY = "dgq.backend.calibration.cache";

    /** Measured time per backend for one shape; the choice is the fastest. */
    /**
     * @param micros  per backend id, microseconds of one forward + backward on the shape
     * @param choice  the backend to use: the fastest, unless the static order's favourite (the first backend given)
     *                is within {@link #MARGIN} of it, or the measurement did not settle
     * @param cached  read from the cache rather than measured now
     * @param settled every backend's time had stopped falling (a JIT still compiling makes a backend look slow);
     *                an unsettled result is not cached and chooses the static order's favourite
     */
    public record Result(Map<String, Double> micros, String choice, boolean cached, boolean settled) {
    }

    /**
     * The fastest backend must beat the static order's favourite by this factor to replace it. The static order is
     * itself measured (docs/benchmarks.md); a probe in a fresh, busy JVM is not: even after 1 s of warm-up the demo
     * measured its Java backend at 488 us against native 329 us, where warm it takes 214-241 us.
     */
    static final double MARGIN = 2.0;
    /** Rounds of timed calls per backend at most; the time has settled when a round is no faster than the last by 20%. */
    static final int MAX_ROUNDS = 8;
    /**
     * Warm-up calls on the real shape at least. Measured in a fresh JVM on 2 cores (n=8 L=3 B=32 float32): after 20
     * calls the Java backend still ran 6x slower than warm (its C1 code, before C2 had compiled the kernels), and its
     * time had stopped falling for a while, so a short warm-up misjudged it against the native library.
     */
    static final int WARMUP_CALLS = 200;
    /**
     * Version of the measuring method, raised also when a backend's speed changed under the same name (6: the native
     * library's lane rewrite; 7: its parameter shift in lanes and its cache-blocked adjoint): a cache written by
     * another version is measured again.
     */
    static final int CACHE_VERSION = 7;
    /** Timed calls per round at least: one slow call is not a trend. */
    static final int MIN_ROUND_CALLS = 5;
    /** A backend's whole probe is bounded by this many times the warm-up time. */
    static final int BOUND_FACTOR = 3;

    /** A circuit shape as a run uses it: the circuit, the batch, the precision and the gradient method. */
    public record Shape(Circuit circuit, int batch, Precision precision, Gradient gradient) {
        /** Short form for the log line: n=8 L=2 B=32 float32. */
        public String brief() {
            return "n=" + circuit.qubits() + " L=" + circuit.layers() + " B=" + batch + " " + precision.id();
        }

        String key() {
            return circuit + " B=" + batch + " " + precision.id() + " " + gradient.id();
        }
    }

    private final boolean enabled;
    private final Path cache;
    private final long warmupNanos;
    private final long budgetNanos;
    private final int maxCalls;
    private final String machine;
    private final java.util.function.LongSupplier clock;

    /**
     * @param warmupNanos warm-up per backend on the real shape (and at least {@value #WARMUP_CALLS} calls);
     *                    {@value #BOUND_FACTOR} times it bounds a backend's whole probe
     * @param budgetNanos a round of timed calls lasts this long at least ({@value #MIN_ROUND_CALLS} calls at least)
     * @param maxCalls    the most timed calls per round
     */
    public BackendCalibration(boolean enabled, Path cache, long warmupNanos, long budgetNanos, int maxCalls,
                              String machine) {
        this(enabled, cache, warmupNanos, budgetNanos, maxCalls, machine, System::nanoTime);
    }

    /** With another clock than {@link System#nanoTime}: tests count time exactly, whatever the machine's load. */
    BackendCalibration(boolean enabled, Path cache, long warmupNanos, long budgetNanos, int maxCalls, String machine,
                       java.util.function.LongSupplier clock) {
        this.clock = clock;
        this.enabled = enabled;
        this.cache = cache;
        this.warmupNanos = warmupNanos;
        this.budgetNanos = budgetNanos;
        this.maxCalls = maxCalls;
        this.machine = machine;
    }

    /**
     * As configured by {@value #PROPERTY} / {@value #ENV} and {@value #CACHE_PROPERTY}: per backend at least 1 s
     * and 200 calls of warm-up (200 calls and 100 ms still left a fresh JVM's Java backend at twice its warm time on
     * the demo's shape), then rounds of 5 ms (5 to 20 calls) on the real shape, at most 3 s in all.
     */
    public static BackendCalibration fromEnvironment() {
        String flag = System.getProperty(PROPERTY, System.getenv(ENV));
        boolean enabled = flag == null || !flag.trim().equalsIgnoreCase("false");
        String file = System.getProperty(CACHE_PROPERTY);
        Path path;
        if (file != null && !file.isBlank()) {
            path = Path.of(file);
        } else {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
            path = base.resolve("dgquantum").resolve("backend-calibration.json");
        }
        return new BackendCalibration(enabled, path, 1_000_000_000L, 5_000_000L, 20, machineId());
    }

    public boolean enabled() {
        return enabled;
    }

    public Path cache() {
        return cache;
    }

    /** CPU model, processor count and architecture: what a cached measurement is only valid for. */
    static String machineId() {
        String cpu = "?";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture and core count still tell machines apart
        }
        return cpu + " x" + Runtime.getRuntime().availableProcessors() + " " + System.getProperty("os.arch");
    }

    /**
     * The cached result for this shape and these backends, or a fresh measurement (then cached; a cache that
     * cannot be written only costs a new probe next time).
     *
     * @param backends the open backends by provider id, at least two
     */
    public Result measure(Shape shape, Map<String, QuantumBackend> backends) {
        String key = key(shape, backends);
        Map<String, Object> entries = readCache();
        if (entries.get(key) instanceof Map<?, ?> hit && hit.get("micros") instanceof Map<?, ?> m
                && m.keySet().equals(backends.keySet())) {
            Map<String, Double> micros = new LinkedHashMap<>();
            backends.keySet().forEach(id -> micros.put(id, (Double) m.get(id)));
            return new Result(micros, choice(micros), true, true);
        }
        Map<String, Double> micros = new LinkedHashMap<>();
        boolean settled = true;
        for (Map.Entry<String, QuantumBackend> e : backends.entrySet()) {
            Probe p = probe(e.getValue(), shape);
            micros.put(e.getKey(), p.micros());
            settled &= p.settled();
        }
        if (!settled) {
            return new Result(micros, backends.keySet().iterator().next(), false, false);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("micros", micros);
        entry.put("measured", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        entries.put(key, entry);
        try {
            Files.createDirectories(cache.toAbsolutePath().getParent());
            AtomicFiles.writeString(cache, Json.write(Map.of("version", CACHE_VERSION, "entries", entries)) + "\n");
        } catch (IOException | RuntimeException e) {
            System.getLogger(BackendCalibration.class.getName()).log(System.Logger.Level.WARNING,
                    "backend calibration: cannot write " + cache + ": " + e);
        }
        return new Result(micros, choice(micros), false, true);
    }

    private String key(Shape shape, Map<String, QuantumBackend> backends) {
        String set = backends.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().name()).sorted()
                .collect(Collectors.joining(","));
        return shape.key() + " | " + set + " | " + machine;
    }

    /** The cache's entries (a missing, unreadable or foreign file counts as empty). */
    @SuppressWarnings("unchecked")
    private Map<String, Object> readCache() {
        try {
            if (Files.exists(cache) && Json.parse(Files.readString(cache)) instanceof Map<?, ?> root
                    && root.get("version") instanceof Number v && v.intValue() == CACHE_VERSION
                    && root.get("entries") instanceof Map<?, ?> e) {
                return new TreeMap<>((Map<String, Object>) e);
            }
        } catch (IOException | RuntimeException e) {
            // a damaged cache is measured again and overwritten
        }
        return new TreeMap<>();
    }

    /** The fastest, unless the first (the static order's favourite) is within {@link #MARGIN} of it. */
    private static String choice(Map<String, Double> micros) {
        String fastest = micros.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        String favourite = micros.keySet().iterator().next();
        return micros.get(favourite) <= MARGIN * micros.get(fastest) ? favourite : fastest;
    }

    /** One backend's time on a shape, and whether it had stopped falling. */
    record Probe(double micros, boolean settled) {
    }

    /**
     * Microseconds of one forward + backward on the shape. Warm-up on the real shape: at least
     * {@value #WARMUP_CALLS} calls and {@code warmupNanos}, so that a JIT has compiled what the shape runs (a cold
     * Java backend is 10-100x slower, and two cold calls look as alike as two warm ones). Then rounds of at least
     * {@value #MIN_ROUND_CALLS} timed calls (more until {@code budgetNanos}, at most {@code maxCalls}); the fastest
     * call of a round counts, the least disturbed by other work. Settled when a round is no more than 20% faster
     * than the one before. Everything must fit in {@value #BOUND_FACTOR} x {@code warmupNanos}: a backend that has
     * not settled by then
     * (a call too slow for the probe, or a JIT still compiling on a loaded machine) is unsettled.
     */
    Probe probe(QuantumBackend b, Shape s) {
        Runnable call = probeCall(b, s, new Random(1));
        long start = clock.getAsLong();
        long deadline = start + BOUND_FACTOR * warmupNanos;
        long last = Long.MAX_VALUE;
        for (int i = 0; i < WARMUP_CALLS || clock.getAsLong() - start < warmupNanos; i++) {
            if (clock.getAsLong() > deadline) {
                return new Probe(last / 1e3, false);
            }
            long t0 = clock.getAsLong();
            call.run();
            last = clock.getAsLong() - t0;
        }
        long previous = last;
        for (int round = 0; round < MAX_ROUNDS && clock.getAsLong() <= deadline; round++) {
            long best = Long.MAX_VALUE;
            long roundStart = clock.getAsLong();
            for (int i = 0; i < maxCalls && (i < MIN_ROUND_CALLS || clock.getAsLong() - roundStart < budgetNanos); i++) {
                long t0 = clock.getAsLong();
                call.run();
                best = Math.min(best, clock.getAsLong() - t0);
            }
            if (round > 0 && best >= 0.8 * previous) {
                return new Probe(Math.min(best, previous) / 1e3, true);
            }
            previous = Math.min(best, previous);
        }
        return new Probe(previous / 1e3, false);
    }

    /** The only backend calls of the calibration: forward then backward, in the shape's precision, angles in [-1, 1]. */
    private static Runnable probeCall(QuantumBackend b, Shape s, Random r) {
        Circuit c = s.circuit();
        int batch = s.batch();
        int size = batch * c.qubits();
        if (s.precision() == Precision.FLOAT64) {
            double[] x = r.doubles(size, -1, 1).toArray();
            double[] w = r.doubles(c.weightCount(), -1, 1).toArray();
            double[] g = r.doubles(size, -1, 1).toArray();
            double[] z = new double[size];
            double[] dx = new double[size];
            double[] dw = new double[w.length];
            return () -> {
                b.forward(c, batch, x, w, z);
                b.backward(c, batch, x, w, g, dx, dw, s.gradient());
            };
        }
        float[] x = floats(r, size);
        float[] w = floats(r, c.weightCount());
        float[] g = floats(r, size);
        float[] z = new float[size];
        float[] dx = new float[size];
        float[] dw = new float[w.length];
        return () -> {
            b.forward(c, batch, x, w, z);
            b.backward(c, batch, x, w, g, dx, dw, s.gradient());
        };
    }

    private static float[] floats(Random r, int size) {
        float[] f = new float[size];
        for (int i = 0; i < size; i++) {
            f[i] = 2 * r.nextFloat() - 1;
        }
        return f;
    }

    /** "java 41 us, native 97 us, 2.4x" (the ratio: the runner-up over the choice). */
    static String describe(Result r) {
        String times = r.micros().entrySet().stream()
                .map(e -> e.getKey() + " " + formatMicros(e.getValue()) + " us").collect(Collectors.joining(", "));
        double chosen = r.micros().get(r.choice());
        double next = r.micros().entrySet().stream().filter(e -> !e.getKey().equals(r.choice()))
                .mapToDouble(Map.Entry::getValue).min().orElse(chosen);
        return times + String.format(Locale.ROOT, ", %.1fx", next / chosen);
    }

    private static String formatMicros(double us) {
        return us >= 10 ? String.format(Locale.ROOT, "%.0f", us) : String.format(Locale.ROOT, "%.1f", us);
    }
}
