package org.dgquantum.bench;

import java.io.PrintStream;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * A compact JMH output: one line per configuration ({@code [3/40] forward n=8 B=256 float32 java
 * 1 thread ..... 8.41 us/sample}), a dot per iteration. JMH's own text (including the reason a
 * benchmark failed) is kept and printed only by {@link #dumpLog()} after a failure.
 */
final class ProgressFormat implements OutputFormat {
    private final PrintStream out;
    private final int total;
    private int done;
    private final StringBuilder log = new StringBuilder();

    ProgressFormat(PrintStream out, int total, int alreadyDone) {
        this.out = out;
        this.total = total;
        this.done = alreadyDone;
    }

    int done() {
        return done;
    }

    /** JMH's own output since the last configuration started (useful after a failure). */
    void dumpLog() {
        out.print(log);
        out.flush();
    }

    static String describe(BenchmarkParams p) {
        String bench = p.getBenchmark();
        String method = BenchPlan.methodId(bench.substring(bench.lastIndexOf('.') + 1));
        BenchSize s = BenchSize.parse(p.getParam("size"));
        String backend = p.getParam("backend");
        String threads = BenchBackends.hasThreadCount(backend)
                ? " " + p.getParam("threads") + ("1".equals(p.getParam("threads")) ? " thread" : " threads") : "";
        return String.format(Locale.ROOT, "%s n=%d L=%s B=%d %s %s%s", method, s.qubits(), p.getParam("layers"),
                s.batch(), p.getParam("precision"), backend, threads);
    }

    @Override
    public void startBenchmark(BenchmarkParams p) {
        log.setLength(0);
        done++;
        out.printf(Locale.ROOT, "[%" + Integer.toString(total).length() + "d/%d] %s ", done, total, describe(p));
        out.flush();
    }

    @Override
    public void iteration(BenchmarkParams p, IterationParams ip, int iteration) {
    }

    @Override
    public void iterationResult(BenchmarkParams p, IterationParams ip, int iteration, IterationResult r) {
        out.print('.');
        out.flush();
    }

    @Override
    public void endBenchmark(BenchmarkResult r) {
        if (r == null) {
            out.println(" failed");
            return;
        }
        int batch = BenchSize.parse(r.getParams().getParam("size")).batch();
        double cpu = 0;
        double wall = 0;
        for (IterationResult it : r.getIterationResults()) {
            var c = it.getSecondaryResults().get("cpuNanos");
            var w = it.getSecondaryResults().get("wallNanos");
            if (c != null && w != null) {
                cpu += c.getScore();
                wall += w.getScore();
            }
        }
        out.println(" " + BenchReport.us(r.getPrimaryResult().getStatistics().getPercentile(50) / batch) + " us/sample"
                + (wall > 0 ? String.format(Locale.ROOT, " (%.2f CPUs)", cpu / wall) : ""));
    }

    @Override
    public void startRun() {
    }

    @Override
    public void endRun(Collection<RunResult> results) {
    }

    @Override
    public void print(String s) {
        log.append(s);
    }

    @Override
    public void println(String s) {
        log.append(s).append('\n');
    }

    @Override
    public void verbosePrintln(String s) {
        log.append(s).append('\n');
    }

    @Override
    public void write(int b) {
        log.append((char) b);
    }

    @Override
    public void write(byte[] b) {
        log.append(new String(b, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }
}
