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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.dgquantum.engine.BackendUnavailableException;
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

/**
 * Runs a {@link BenchPlan}: {@link BackendBenchmark} through the JMH Runner API, one progress line per
 * configuration on the log stream, and returns the {@link BenchReport} (microseconds per sample per method
 * and size, median over the iterations of all passes). Plain Java; {@code dgq bench} (cli) prints and
 * writes what this returns.
 */
public final class BenchRun {

    /** Flags every forked benchmark JVM gets on top of those of this JVM. */
    static final String[] FORK_JVM_ARGS = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"};

    /** The incubator module the engine's Vector API loops need (it runs scalar loops without it). */
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    /** A benchmark failed (JMH's log of that configuration has been printed to the log stream). */
    public static final class BenchFailedException extends Exception {
        BenchFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private BenchRun() {
    }

    /**
     * The backends to run: those asked for; with "all", those that open here (the others reported on the log
     * stream and skipped).
     *
     * @throws BackendUnavailableException if a backend asked for by name cannot be opened (message: the reason)
     */
    public static List<String> availableBackends(BenchPlan plan, PrintStream log) throws BackendUnavailableException {
        boolean all = plan.backends().contains("all");
        List<String> ids = new ArrayList<>();
        for (String id : all ? BenchBackends.KNOWN : plan.backends()) {
            if (ids.contains(id)) {
                continue;
            }
            try (QuantumBackend b = BenchBackends.open(id, 1)) {
                ids.add(id);
                if (!id.equals("java")) {
                    log.println("bench: " + id + " backend: " + b.name());
                }
            } catch (BackendUnavailableException e) {
                if (!all) {
                    throw e;
                }
                log.println("bench: skipping " + id + ": " + e.getMessage());
            } catch (Exception e) {
                throw new IllegalStateException("closing backend " + id + ": " + e, e);
            }
        }
        return ids;
    }

    /**
     * Runs every job of the plan on these backends, {@code plan.passes()} times.
     *
     * @param log     progress lines, warnings and, after a failure, JMH's log
     * @param verbose JMH's own output instead of one line per configuration
     */
    public static BenchReport run(BenchPlan plan, List<String> backends, PrintStream log, boolean verbose)
            throws BenchFailedException {
        List<BenchPlan.Job> jobs = plan.jobs(backends);
        int total = plan.passes() * jobs.stream().mapToInt(BenchPlan.Job::configurations).sum();
        double estimate = total * ((plan.warmup() + plan.iterations()) * plan.timeMs() / 1000.0
                + (plan.forks() > 0 ? 1.5 * plan.forks() : 0));
        log.printf(Locale.ROOT, "bench: %d configurations%s, %d fork(s), %d warm-up + %d x %d ms iterations "
                        + "(about %.0f min or more)%n", total, plan.passes() > 1 ? " (" + plan.passes() + " passes)" : "",
                plan.forks(), plan.warmup(), plan.iterations(), plan.timeMs(), Math.ceil(estimate / 60));

        String loadBefore = loadAverage();
        warnIfBusy(loadBefore, log);
        Map<String, List<Double>> scores = new LinkedHashMap<>();
        Map<String, double[]> cpuWall = new LinkedHashMap<>();
        Map<String, RunResult> firstRun = new LinkedHashMap<>();
        int done = 0;
        for (int pass = 0; pass < plan.passes(); pass++) {
            for (BenchPlan.Job job : jobs) {
                ChainedOptionsBuilder ob = new OptionsBuilder()
                        .include("^" + Pattern.quote(BackendBenchmark.class.getName() + "." + job.method()) + "$")
                        .param("backend", job.backend())
                        .param("threads", job.threads().toArray(String[]::new))
                        .param("size", job.sizes().stream().map(BenchSize::toString).toArray(String[]::new))
                        .param("precision", job.precisions().toArray(String[]::new))
                        .param("layers", Integer.toString(plan.layers()))
                        .forks(plan.forks())
                        .warmupIterations(plan.warmup())
                        .warmupTime(TimeValue.milliseconds(plan.timeMs()))
                        .measurementIterations(plan.iterations())
                        .measurementTime(TimeValue.milliseconds(plan.timeMs()))
                        .jvmArgsAppend(forkJvmArgsAppend(ManagementFactory.getRuntimeMXBean().getInputArguments(), hostHasVector())
                                .toArray(String[]::new))
                        .shouldFailOnError(true);
                ProgressFormat progress = new ProgressFormat(log, total, done);
                OutputFormat format = verbose ? OutputFormatFactory.createFormatInstance(log, VerboseMode.NORMAL) : progress;
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
                        log.println();
                        progress.dumpLog();
                    }
                    throw new BenchFailedException(job.method() + " on " + job.backend() + " failed: " + e.getMessage(), e);
                }
                done += job.configurations();
            }
        }
        List<BenchResult> results = new ArrayList<>();
        firstRun.forEach((key, r) -> results.add(toResult(r, scores.get(key), cpuWall.get(key))));

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("forks", plan.forks());
        settings.put("warmupIterations", plan.warmup());
        settings.put("measurementIterations", plan.iterations());
        settings.put("iterationMs", plan.timeMs());
        settings.put("passes", plan.passes());
        settings.put("layers", plan.layers());
        settings.put("encoding", "RY");
        settings.put("rotations", List.of("RX", "RY", "RZ"));
        settings.put("entangler", "ring");
        settings.put("statistic", "median (and min, max) over the measurement iterations of all forks and passes");
        Map<String, Object> machine = machine();
        machine.put("loadAverageBefore", loadBefore);
        machine.put("loadAverageAfter", loadAverage());
        return new BenchReport(results, machine, settings);
    }

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
        return new BenchResult(BenchBackends.normalize(p.getParam("backend")),
                BenchPlan.methodId(bench.substring(bench.lastIndexOf('.') + 1)),
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
    private static void warnIfBusy(String load, PrintStream log) {
        try {
            double one = Double.parseDouble(load.split(" ")[0]);
            int cores = Runtime.getRuntime().availableProcessors();
            if (one > 0.5 * cores) {
                log.printf(Locale.ROOT, "bench: warning: load average %.2f on %d processors: other work will skew the timings "
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
