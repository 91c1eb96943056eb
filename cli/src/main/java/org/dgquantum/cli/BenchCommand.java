package org.dgquantum.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.dgquantum.bench.BenchPlan;
import org.dgquantum.bench.BenchReport;
import org.dgquantum.bench.BenchRun;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dgq bench}: parses its options into a {@link BenchPlan}, runs it ({@link BenchRun}: JMH, progress on
 * stderr), prints the table on stdout and writes the JSON report (and, if asked, markdown and a plot).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Benchmarks the quantum backends with JMH: microseconds per sample for forward, adjoint and"
                + " parameter-shift backward passes of L layers of [RX, RY, RZ] rotations and a ring of CNOTs"
                + " (RY encoding).",
            "Default: Java backend with 1 thread and all threads, float32 and float64, n = 4, 8, 12, 14: about 8"
                + " minutes on 2 cores (--quick: about 1 minute).",
            ""},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:a benchmark failed (JMH's log is printed) or internal error",
            "2:bad options, unwritable output or a named backend unavailable"})
public final class BenchCommand implements Callable<Integer> {

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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        if (render != null) {
            BenchReport report;
            try {
                report = BenchReport.readJson(render);
            } catch (IOException | RuntimeException e) {
                throw new UserError("--render " + render + ": cannot render: " + e.getMessage());
            }
            stdout.print(report.table());
            writeExtras(report, stdout);
            return 0;
        }
        // JMH and the progress lines write to a PrintStream; this one goes to the command line's stderr.
        PrintStream log = printStream(spec.commandLine().getErr());
        BenchPlan plan;
        List<String> backends;
        try {
            plan = BenchPlan.parse(backend, methods, sizes, precision, threads, layers, quick, forks, warmup, iterations,
                    timeMs, passes);
            backends = BenchRun.availableBackends(plan, log);
        } catch (IllegalArgumentException | BackendUnavailableException e) {
            throw new UserError(e.getMessage());
        }
        BenchReport report;
        try {
            report = BenchRun.run(plan, backends, log, verbose);
        } catch (BenchRun.BenchFailedException e) {
            log.println("bench: " + e.getMessage());
            return 1;
        } finally {
            log.flush();
        }
        var machine = report.machine();
        stdout.println();
        stdout.printf("%s, %d cores, %s; load average %s before, %s after%n", machine.get("cpu"), machine.get("cores"),
                machine.get("jdk"), machine.get("loadAverageBefore"), machine.get("loadAverageAfter"));
        stdout.print(report.table());
        Path jsonFile = json != null ? json : out.resolve("bench-results.json");
        try {
            report.writeJson(jsonFile);
        } catch (IOException e) {
            throw new UserError("--json " + jsonFile + ": cannot write: " + e.getMessage());
        }
        stdout.println("\nwrote " + jsonFile);
        writeExtras(report, stdout);
        return 0;
    }

    /** --markdown and --plot, if asked. */
    private void writeExtras(BenchReport report, PrintWriter stdout) {
        if (markdown != null) {
            try {
                report.writeMarkdown(markdown);
            } catch (IOException e) {
                throw new UserError("--markdown " + markdown + ": cannot write: " + e.getMessage());
            }
            stdout.println("wrote " + markdown);
        }
        if (plot != null) {
            try {
                report.writePlot(plot);
            } catch (IOException | RuntimeException e) {
                throw new UserError("--plot " + plot + ": cannot write: " + e.getMessage());
            }
            stdout.println("wrote " + plot);
        }
        stdout.flush();
    }

    /** A PrintStream whose UTF-8 bytes reach the writer line by line (and on flush). */
    static PrintStream printStream(PrintWriter writer) {
        OutputStream bytes = new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                line.write(b);
                if (b == '\n') {
                    flush();
                }
            }

            @Override
            public void flush() {
                writer.write(line.toString(StandardCharsets.UTF_8));
                writer.flush();
                line.reset();
            }
        };
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
