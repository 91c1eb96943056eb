package org.dgquantum.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.UserError;
import org.dgquantum.engine.io.AtomicFiles;
import org.dgquantum.engine.Precision;
import org.dgquantum.engine.QuantumBackend;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dgq bench}: runs {@link BackendBenchmark} through the JMH Runner API with short settings,
 * prints microseconds per sample per method and size (with the speed-up of all threads over one,
 * and other backends relative to the Java backend) and writes the same as JSON.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Benchmarks the quantum backends with JMH: microseconds per sample for forward, adjoint and"
                + " parameter-shift backward passes of L layers of [RX, RY, RZ] rotations and a ring of CNOTs"
                + " (RY encoding).",
            "Default: Java backend with 1 thread and all threads, float32 and float64, n = 4, 8, 12, 14: about 8"
                + " minutes on 2 cores (--quick: about 1 minute).",
            ""})
public final class BenchCommand implements Callable<Integer> {

    /** Flags every forked benchmark JVM gets on top of those of this JVM. */
    static final String[] FORK_JVM_ARGS = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"};

    static final List<BenchSize> DEFAULT_SIZES = sizes("4x256,4x4096,8x256,8x4096,12x256,14x256");
    /** Parameter shift runs 2P+1 circuits per sample (P = 180 at n=14): much smaller batches. */
    static final List<BenchSize> DEFAULT_SHIFT_SIZES = sizes("4x256,8x256,12x16,14x4");
    static final List<BenchSize> QUICK_SIZES = sizes("4x256,8x256,8x4096");
    static final List<BenchSize> QUICK_SHIFT_SIZES = sizes("4x256,8x32");

    @Option(names = "--backend", paramLabel = "ID", defaultValue = "java",
            description = "java, native, cuda, or all (every one available here; the others are skipped with the reason). "
                    + "Comma-separated lists work too. Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--methods", paramLabel = "LIST", defaultValue = "forward,adjoint,parameter-shift",
            description = "Comma-separated: forward, adjoint, parameter-shift. Default: ${DEFAULT-VALUE}.")
    String methods;

    @Option(names = "--sizes", paramLabel = "LIST",
            description = "Comma-separated QUBITSxBATCH (8x4096) or QUBITS (8: the default batches for that n, per method). "
                    + "Default: forward/adjoint 4x256,4x4096,8x256,8x4096,12x256,14x256; parameter-shift 4x256,8x256,12x16,14x4.")
    String sizes;

    @Option(names = "--precision", paramLabel = "LIST", defaultValue = "float32,float64",
            description = "float32, float64 or both (comma-separated). Default: ${DEFAULT-VALUE}.")
    String precision;

    @Option(names = "--threads", paramLabel = "LIST", defaultValue = "1,all",
            description = "Thread counts of the Java backend: numbers or 'all' (= available processors). Default: ${DEFAULT-VALUE}.")
    String threads;

    @Option(names = "--layers", paramLabel = "L", defaultValue = "4", description = "Variational layers. Default: ${DEFAULT-VALUE}.")
    int layers;

    @Option(names = "--quick", description = "Fewer sizes (4x256, 8x256, 8x4096; parameter shift 4x256, 8x32) and 1 warm-up + 3 iterations of 0.3 s.")
    boolean quick;

    @Option(names = "--forks", paramLabel = "N",
            description = "JMH forks per configuration; 0 runs in this JVM (quicker, noisier). Default: 1.")
    Integer forks;

    @Option(names = "--warmup", paramLabel = "N", description = "Warm-up iterations. Default: 3 (quick: 1).")
    Integer warmup;

    @Option(names = "--iterations", paramLabel = "N", description = "Measurement iterations. Default: 5 (quick: 3).")
    Integer iterations;

    @Option(names = "--time", paramLabel = "MS", description = "Milliseconds per iteration (warm-up and measurement). Default: 500 (quick: 300).")
    Integer timeMs;

    @Option(names = "--passes", paramLabel = "N", defaultValue = "1",
            description = "Run the whole plan N times and take the median over the iterations of all passes: spreads every "
                    + "configuration over a longer time, so a burst of other work on the machine skews fewer of its iterations. "
                    + "Default: ${DEFAULT-VALUE}.")
    int passes;

    @Option(names = "--json", paramLabel = "FILE", description = "Where to write the JSON report (written atomically). Default: OUT/bench-results.json.")
    Path json;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "Directory for the JSON report. Default: the current directory.")
    Path out;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the table as markdown (median and fastest iteration), for docs/benchmarks.md.")
    Path markdown;

    @Option(names = "--plot", paramLabel = "FILE.png",
            description = "Also plot us/sample against qubits, one line per backend and method (float32 if measured, else float64).")
    Path plot;

    @Option(names = "--render", paramLabel = "FILE.json",
            description = "Run nothing: print the table of an earlier JSON report (and write --markdown from it).")
    Path render;

    @Option(names = "--verbose", description = "Show JMH's own output instead of one line per configuration.")
    boolean verbose;

    private final PrintStream stdout;
    private final PrintStream stderr;

    public BenchCommand() {
        this(System.out, System.err);
    }

    BenchCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Standalone entry point (bench/run.sh); {@code dgq bench} goes through dgq's main, which does the same. */
    public static void main(String[] args) {
        System.exit(commandLine(new BenchCommand()).execute(args));
    }

    /** The standalone command line: a {@link UserError} is one line on stderr and exit 2. */
    static CommandLine commandLine(BenchCommand command) {
        CommandLine cl = new CommandLine(command);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof UserError) {
                line.getErr().println("bench: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl;
    }

    private static List<BenchSize> sizes(String s) {
        return BenchSize.parseList(s, List.of());
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

    /** One JMH run: a method on a backend over sizes x precisions x thread counts. */
    record Plan(String backend, String method, List<BenchSize> sizes, List<String> precisions, List<String> threads) {
        int configurations() {
            return sizes.size() * precisions.size() * threads.size();
        }
    }

    /** Expands the options into runs; throws IllegalArgumentException with a clear message on bad values. */
    List<Plan> plans(List<String> backends) {
        if (layers < 0) {
            throw new IllegalArgumentException("layers: " + layers + " is negative");
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
            javaThreads.add(Integer.toString(BackendBenchmark.resolveThreads(t) == 0
                    ? Runtime.getRuntime().availableProcessors() : BackendBenchmark.resolveThreads(t)));
        }
        LinkedHashSet<String> jmhMethods = new LinkedHashSet<>();
        for (String m : split(methods, "methods")) {
            jmhMethods.add(jmhMethod(m));
        }
        List<Plan> plans = new ArrayList<>();
        for (String b : backends) {
            for (String m : jmhMethods) {
                boolean shift = m.equals("parameterShift");
                List<BenchSize> defaults = quick ? (shift ? QUICK_SHIFT_SIZES : QUICK_SIZES)
                        : (shift ? DEFAULT_SHIFT_SIZES : DEFAULT_SIZES);
                List<BenchSize> full = shift ? DEFAULT_SHIFT_SIZES : DEFAULT_SIZES;
                List<BenchSize> chosen = sizes == null ? defaults : BenchSize.parseList(sizes, full);
                List<String> t = BenchBackends.hasThreadCount(b) ? List.copyOf(javaThreads) : List.of("default");
                plans.add(new Plan(b, m, chosen, List.copyOf(precs), t));
            }
        }
        return plans;
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

    /** The backends to run: those asked for; with "all", those that open here (others reported and skipped). */
    List<String> backends() throws BackendUnavailableException {
        List<String> asked = split(backend, "backend");
        boolean all = asked.stream().anyMatch(s -> s.equalsIgnoreCase("all"));
        List<String> ids = new ArrayList<>();
        for (String s : all ? BenchBackends.KNOWN : asked) {
            String id = BenchBackends.normalize(s);
            if (!BenchBackends.KNOWN.contains(id)) {
                throw new IllegalArgumentException("backend: unknown '" + s + "' (expected java, native, cuda or all)");
            }
            if (ids.contains(id)) {
                continue;
            }
            try (QuantumBackend b = BenchBackends.open(id, 1)) {
                ids.add(id);
                if (!id.equals("java")) {
                    stderr.println("bench: " + id + " backend: " + b.name());
                }
            } catch (BackendUnavailableException e) {
                if (!all) {
                    throw e;
                }
                stderr.println("bench: skipping " + id + ": " + e.getMessage());
            } catch (Exception e) {
                throw new IllegalStateException("closing backend " + id + ": " + e, e);
            }
        }
        return ids;
    }

    @Override
    public Integer call() {
        if (render != null) {
            try {
                BenchReport report = BenchReport.readJson(render);
                stdout.print(report.table());
                if (markdown != null) {
                    AtomicFiles.writeString(markdown, report.markdownReport());
                    stdout.println("wrote " + markdown);
                }
                writePlot(report);
                return 0;
            } catch (java.io.IOException | RuntimeException e) {
                throw new UserError("--render " + render + ": cannot render: " + e.getMessage());
            }
        }
        int forkCount = forks != null ? forks : 1;
        int warm = warmup != null ? warmup : quick ? 1 : 3;
        int iters = iterations != null ? iterations : quick ? 3 : 5;
        int ms = timeMs != null ? timeMs : quick ? 300 : 500;
        List<Plan> plans;
        try {
            if (forkCount < 0 || warm < 0 || iters < 1 || ms < 1 || passes < 1) {
                throw new IllegalArgumentException(
                        "need --forks >= 0, --warmup >= 0, --iterations >= 1, --time >= 1, --passes >= 1");
            }
            plans = plans(backends());
        } catch (IllegalArgumentException | BackendUnavailableException e) {
            throw new UserError(e.getMessage());
        }
        Path jsonFile = json != null ? json : out.resolve("bench-results.json");
        int total = passes * plans.stream().mapToInt(Plan::configurations).sum();
        double estimate = total * ((warm + iters) * ms / 1000.0 + (forkCount > 0 ? 1.5 * forkCount : 0));
        stderr.printf(Locale.ROOT, "bench: %d configurations%s, %d fork(s), %d warm-up + %d x %d ms iterations "
                        + "(about %.0f min or more)%n", total, passes > 1 ? " (" + passes + " passes)" : "", forkCount, warm,
                iters, ms, Math.ceil(estimate / 60));

        String loadBefore = loadAverage();
        warnIfBusy(loadBefore);
        Map<String, List<Double>> scores = new LinkedHashMap<>();
        Map<String, double[]> cpuWall = new LinkedHashMap<>();
        Map<String, RunResult> firstRun = new LinkedHashMap<>();
        int done = 0;
        for (int pass = 0; pass < passes; pass++) {
            for (Plan plan : plans) {
                ChainedOptionsBuilder ob = new OptionsBuilder()
                        .include("^" + Pattern.quote(BackendBenchmark.class.getName() + "." + plan.method()) + "$")
                        .param("backend", plan.backend())
                        .param("threads", plan.threads().toArray(String[]::new))
                        .param("size", plan.sizes().stream().map(BenchSize::toString).toArray(String[]::new))
                        .param("precision", plan.precisions().toArray(String[]::new))
                        .param("layers", Integer.toString(layers))
                        .forks(forkCount)
                        .warmupIterations(warm)
                        .warmupTime(TimeValue.milliseconds(ms))
                        .measurementIterations(iters)
                        .measurementTime(TimeValue.milliseconds(ms))
                        .jvmArgsAppend(forkJvmArgsAppend(ManagementFactory.getRuntimeMXBean().getInputArguments(), hostHasVector())
                                .toArray(String[]::new))
                        .shouldFailOnError(true);
                ProgressFormat progress = new ProgressFormat(stderr, total, done);
                OutputFormat format = verbose ? OutputFormatFactory.createFormatInstance(stderr, VerboseMode.NORMAL) : progress;
                try {
                    Collection<RunResult> run = new Runner(ob.build(), format).run();
                    for (RunResult r : run) {
                        String key = configKey(r.getParams());
                        firstRun.putIfAbsent(key, r);
                        scores.computeIfAbsent(key, k -> new ArrayList<>()).addAll(iterationScores(r));
                        double[] cw = cpuAndWall(r);
                        double[] sum = cpuWall.computeIfAbsent(key, k -> new double[2]);
                        sum[0] += cw[0];
                        sum[1] += cw[1];
                    }
                } catch (RunnerException | RuntimeException e) {
                    if (!verbose) {
                        stderr.println();
                        progress.dumpLog();
                    }
                    stderr.println("bench: " + plan.method() + " on " + plan.backend() + " failed: " + e.getMessage());
                    return 1;
                }
                done += plan.configurations();
            }
        }
        List<BenchResult> results = new ArrayList<>();
        firstRun.forEach((key, r) -> results.add(toResult(r, scores.get(key), cpuWall.get(key))));

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("forks", forkCount);
        settings.put("warmupIterations", warm);
        settings.put("measurementIterations", iters);
        settings.put("iterationMs", ms);
        settings.put("passes", passes);
        settings.put("layers", layers);
        settings.put("encoding", "RY");
        settings.put("rotations", List.of("RX", "RY", "RZ"));
        settings.put("entangler", "ring");
        settings.put("statistic", "median (and min, max) over the measurement iterations of all forks and passes");
        Map<String, Object> machine = machine();
        machine.put("loadAverageBefore", loadBefore);
        machine.put("loadAverageAfter", loadAverage());
        BenchReport report = new BenchReport(results, machine, settings);
        stdout.println();
        stdout.printf("%s, %d cores, %s; load average %s before, %s after%n", machine.get("cpu"), machine.get("cores"),
                machine.get("jdk"), loadBefore, machine.get("loadAverageAfter"));
        stdout.print(report.table());
        try {
            report.writeJson(jsonFile);
        } catch (java.io.IOException e) {
            throw new UserError("--json " + jsonFile + ": cannot write: " + e.getMessage());
        }
        stdout.println("\nwrote " + jsonFile);
        if (markdown != null) {
            try {
                AtomicFiles.writeString(markdown, report.markdownReport());
            } catch (java.io.IOException e) {
                throw new UserError("--markdown " + markdown + ": cannot write: " + e.getMessage());
            }
            stdout.println("wrote " + markdown);
        }
        try {
            writePlot(report);
        } catch (java.io.IOException | RuntimeException e) {
            throw new UserError("--plot " + plot + ": cannot write: " + e.getMessage());
        }
        return 0;
    }

    /** The incubator module the engine's Vector API loops need (it runs scalar loops without it). */
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    /**
     * Flags appended to those the forked JVMs inherit from this one (JMH passes this JVM's flags on:
     * heap size, -D properties such as dgq.backend, dgq.vector or a native library path): those of
     * {@link #FORK_JVM_ARGS} and {@code --add-modules=jdk.incubator.vector} that this JVM lacks.
     *
     * @param hostHasVector whether the incubator vector module is resolved in this JVM
     */
    static List<String> forkJvmArgsAppend(List<String> hostArgs, boolean hostHasVector) {
        List<String> args = new ArrayList<>();
        for (String f : FORK_JVM_ARGS) {
            if (!hostArgs.contains(f)) {
                args.add(f);
            }
        }
        if (!hostHasVector) {
            args.add("--add-modules=" + VECTOR_MODULE);
        }
        return args;
    }

    static boolean hostHasVector() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /** Writes --plot, if asked: float32 where measured, else float64. */
    private void writePlot(BenchReport report) throws java.io.IOException {
        if (plot == null) {
            return;
        }
        boolean f32 = report.results().stream().anyMatch(r -> r.precision().equals("float32"));
        BenchPlot.write(report, f32 ? "float32" : "float64", plot);
        stdout.println("wrote " + plot);
    }

    /** Benchmark method and every parameter value: the same configuration in every pass. */
    static String configKey(org.openjdk.jmh.infra.BenchmarkParams p) {
        StringBuilder sb = new StringBuilder(p.getBenchmark());
        for (String k : p.getParamsKeys()) {
            sb.append('|').append(k).append('=').append(p.getParam(k));
        }
        return sb.toString();
    }

    /** Microseconds per call of every measurement iteration of every fork of a run. */
    static List<Double> iterationScores(RunResult r) {
        List<Double> out = new ArrayList<>();
        for (BenchmarkResult b : r.getBenchmarkResults()) {
            for (IterationResult it : b.getIterationResults()) {
                out.add(it.getPrimaryResult().getScore());
            }
        }
        return out;
    }

    /** {CPU nanoseconds, wall nanoseconds} summed over the measurement iterations of a run ({0, 0} if absent). */
    static double[] cpuAndWall(RunResult r) {
        double cpu = 0;
        double wall = 0;
        for (BenchmarkResult b : r.getBenchmarkResults()) {
            for (IterationResult it : b.getIterationResults()) {
                var c = it.getSecondaryResults().get("cpuNanos");
                var w = it.getSecondaryResults().get("wallNanos");
                if (c != null && w != null) {
                    cpu += c.getScore();
                    wall += w.getScore();
                }
            }
        }
        return new double[] {cpu, wall};
    }

    /**
     * One result from the iteration scores (microseconds per call) of a configuration over all
     * passes, and the CPU and wall nanoseconds summed over the same iterations.
     */
    static BenchResult toResult(RunResult r, List<Double> usPerCall, double[] cpuWall) {
        var p = r.getParams();
        String bench = p.getBenchmark();
        BenchSize size = BenchSize.parse(p.getParam("size"));
        double b = size.batch();
        List<Double> sorted = usPerCall.stream().sorted().toList();
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        double cpus = cpuWall[1] > 0 ? cpuWall[0] / cpuWall[1] : Double.NaN;
        return new BenchResult(BenchBackends.normalize(p.getParam("backend")), methodId(bench.substring(bench.lastIndexOf('.') + 1)),
                size.qubits(), Integer.parseInt(p.getParam("layers")), size.batch(), p.getParam("precision"),
                BackendBenchmark.resolveThreads(p.getParam("threads")),
                median / b, sorted.get(0) / b, sorted.get(n - 1) / b, n, cpus);
    }

    /** 1, 5 and 15 minute load averages from /proc/loadavg ("unknown" elsewhere): other work skews timings. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Warns when the 1-minute load average already exceeds half the processors: timings will be skewed. */
    private void warnIfBusy(String load) {
        try {
            double one = Double.parseDouble(load.split(" ")[0]);
            int cores = Runtime.getRuntime().availableProcessors();
            if (one > 0.5 * cores) {
                stderr.printf(Locale.ROOT, "bench: warning: load average %.2f on %d processors: other work will skew the timings "
                        + "(multi-thread speed-ups most)%n", one, cores);
            }
        } catch (RuntimeException e) {
            // no load average here
        }
    }

    /** CPU model, core count, JDK and OS of this machine. */
    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        String cpu = System.getProperty("os.arch");
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: keep the architecture
        }
        m.put("cpu", cpu);
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("vectorApi", !"false".equalsIgnoreCase(System.getProperty("dgq.vector"))
                ? "on (--add-modules=" + VECTOR_MODULE + ")" : "off (-Ddgq.vector=false)");
        m.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
        m.put("jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments());
        m.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return m;
    }
}
