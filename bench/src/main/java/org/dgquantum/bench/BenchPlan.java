package org.dgquantum.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.dgquantum.engine.Precision;

/**
 * What a benchmark run measures and how long: the settings of {@code dgq bench} (the command in the cli
 * module parses its options into one of these), validated once. {@link BenchRun} runs it.
 *
 * @param backends   the backend ids asked for, or "all" (resolved by {@link BenchRun#availableBackends})
 * @param methods    JMH method names: forward, adjoint, parameterShift
 * @param sizes      the sizes asked for, or null for the defaults of each method
 * @param precisions float32 and/or float64
 * @param threads    thread counts of the Java backend
 * @param quick      the quick default sizes
 */
public record BenchPlan(List<String> backends, List<String> methods, String sizes, List<String> precisions,
                        List<String> threads, int layers, boolean quick, int forks, int warmup, int iterations,
                        int timeMs, int passes) {

    public static final List<BenchSize> DEFAULT_SIZES = sizes("4x256,4x4096,8x256,8x4096,12x256,14x256");
    /** Parameter shift runs 2P+1 circuits per sample (P = 180 at n=14): much smaller batches. */
    public static final List<BenchSize> DEFAULT_SHIFT_SIZES = sizes("4x256,8x256,12x16,14x4");
    public static final List<BenchSize> QUICK_SIZES = sizes("4x256,8x256,8x4096");
    public static final List<BenchSize> QUICK_SHIFT_SIZES = sizes("4x256,8x32");

    /** One JMH run: a method on a backend over sizes x precisions x thread counts. */
    public record Job(String backend, String method, List<BenchSize> sizes, List<String> precisions, List<String> threads) {
        public int configurations() {
            return sizes.size() * precisions.size() * threads.size();
        }
    }

    /**
     * Parses comma-separated lists as {@code dgq bench} takes them; null counts fall back to the defaults
     * (forks 1; warm-up 3, iterations 5, 500 ms; quick: 1, 3, 300 ms).
     *
     * @throws IllegalArgumentException naming the setting and the bad value
     */
    public static BenchPlan parse(String backend, String methods, String sizes, String precision, String threads,
                                  int layers, boolean quick, Integer forks, Integer warmup, Integer iterations,
                                  Integer timeMs, int passes) {
        int forkCount = forks != null ? forks : 1;
        int warm = warmup != null ? warmup : quick ? 1 : 3;
        int iters = iterations != null ? iterations : quick ? 3 : 5;
        int ms = timeMs != null ? timeMs : quick ? 300 : 500;
        if (forkCount < 0 || warm < 0 || iters < 1 || ms < 1 || passes < 1) {
            throw new IllegalArgumentException(
                    "need --forks >= 0, --warmup >= 0, --iterations >= 1, --time >= 1, --passes >= 1");
        }
        if (layers < 0) {
            throw new IllegalArgumentException("layers: " + layers + " is negative");
        }
        List<String> backends = new ArrayList<>();
        for (String b : split(backend, "backend")) {
            String id = b.equalsIgnoreCase("all") ? "all" : BenchBackends.normalize(b);
            if (!id.equals("all") && !BenchBackends.KNOWN.contains(id)) {
                throw new IllegalArgumentException("backend: unknown '" + b + "' (expected java, native, cuda or all)");
            }
            backends.add(id);
        }
        LinkedHashSet<String> precs = new LinkedHashSet<>();
        for (String p : split(precision, "precision")) {
            if (p.equalsIgnoreCase("both")) {
                precs.add("float32");
                precs.add("float64");
            } else {
                precs.add(Precision.parse(p, "precision").id());
            }
        }
        LinkedHashSet<String> javaThreads = new LinkedHashSet<>();
        for (String t : split(threads, "threads")) {
            int resolved = BackendBenchmark.resolveThreads(t);
            javaThreads.add(Integer.toString(resolved == 0 ? Runtime.getRuntime().availableProcessors() : resolved));
        }
        LinkedHashSet<String> jmhMethods = new LinkedHashSet<>();
        for (String m : split(methods, "methods")) {
            jmhMethods.add(jmhMethod(m));
        }
        if (sizes != null) {
            BenchSize.parseList(sizes, DEFAULT_SIZES); // fails early on a malformed list
        }
        return new BenchPlan(List.copyOf(backends), List.copyOf(jmhMethods), sizes, List.copyOf(precs),
                List.copyOf(javaThreads), layers, quick, forkCount, warm, iters, ms, passes);
    }

    /** The JMH runs over these backends (those of {@link #backends} that opened), in order. */
    public List<Job> jobs(List<String> available) {
        List<Job> jobs = new ArrayList<>();
        for (String b : available) {
            for (String m : methods) {
                boolean shift = m.equals("parameterShift");
                List<BenchSize> defaults = quick ? (shift ? QUICK_SHIFT_SIZES : QUICK_SIZES)
                        : (shift ? DEFAULT_SHIFT_SIZES : DEFAULT_SIZES);
                List<BenchSize> full = shift ? DEFAULT_SHIFT_SIZES : DEFAULT_SIZES;
                List<BenchSize> chosen = sizes == null ? defaults : BenchSize.parseList(sizes, full);
                List<String> t = BenchBackends.hasThreadCount(b) ? threads : List.of("default");
                jobs.add(new Job(b, m, chosen, precisions, t));
            }
        }
        return jobs;
    }

    /** "parameterShift" (JMH method) -> "parameter-shift"; other names unchanged. */
    static String methodId(String jmhMethod) {
        return jmhMethod.equals("parameterShift") ? "parameter-shift" : jmhMethod;
    }

    /** "parameter-shift" (or parameter_shift, shift, ps) -> "parameterShift"; forward, adjoint unchanged. */
    static String jmhMethod(String method) {
        String m = method.trim().toLowerCase(Locale.ROOT);
        return switch (m) {
            case "forward", "adjoint" -> m;
            case "parameter-shift", "parameter_shift", "parametershift", "shift", "ps" -> "parameterShift";
            default -> throw new IllegalArgumentException("methods: unknown method '" + method
                    + "' (expected forward, adjoint or parameter-shift)");
        };
    }

    private static List<BenchSize> sizes(String s) {
        return BenchSize.parseList(s, List.of());
    }

    private static List<String> split(String list, String field) {
        List<String> out = new ArrayList<>();
        for (String s : list.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(field + ": empty list");
        }
        return out;
    }
}
