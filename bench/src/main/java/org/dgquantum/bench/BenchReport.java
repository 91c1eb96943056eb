package org.dgquantum.bench;

import org.dgquantum.engine.io.AtomicFiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The results of a run as a text table and as JSON: microseconds per sample for every method and
 * size, the speed-up of the most threads over one thread (Java backend), and every other backend's
 * speed relative to the Java backend with all threads.
 */
public final class BenchReport {
    /** Method order in tables. */
    public static final List<String> METHODS = List.of("forward", "adjoint", "parameter-shift");

    private final List<BenchResult> results;
    private final Map<String, Object> machine;
    private final Map<String, Object> settings;

    public BenchReport(List<BenchResult> results, Map<String, Object> machine, Map<String, Object> settings) {
        List<BenchResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.<BenchResult>comparingInt(r -> methodOrder(r.method()))
                .thenComparing(BenchResult::precision)
                .thenComparingInt(BenchResult::qubits)
                .thenComparingInt(BenchResult::batch)
                .thenComparingInt(BenchResult::layers)
                .thenComparingInt(r -> BenchBackends.KNOWN.indexOf(r.backend()))
                .thenComparingInt(BenchResult::threads));
        this.results = List.copyOf(sorted);
        this.machine = machine;
        this.settings = settings;
    }

    /** CPU, cores, JDK, load averages of the machine that measured. */
    public Map<String, Object> machine() {
        return machine;
    }

    public List<BenchResult> results() {
        return results;
    }

    private static int methodOrder(String m) {
        int i = METHODS.indexOf(m);
        return i < 0 ? METHODS.size() : i;
    }

    /** Thread counts of the Java backend present in the results, ascending. */
    List<Integer> javaThreads() {
        TreeSet<Integer> t = new TreeSet<>();
        for (BenchResult r : results) {
            if (r.backend().equals("java")) {
                t.add(r.threads());
            }
        }
        return List.copyOf(t);
    }

    /** Non-Java backends present, in {@link BenchBackends#KNOWN} order. */
    List<String> otherBackends() {
        List<String> out = new ArrayList<>();
        for (String b : BenchBackends.KNOWN) {
            if (!b.equals("java") && results.stream().anyMatch(r -> r.backend().equals(b))) {
                out.add(b);
            }
        }
        return out;
    }

    private Map<String, List<BenchResult>> rows() {
        Map<String, List<BenchResult>> rows = new LinkedHashMap<>();
        for (BenchResult r : results) {
            rows.computeIfAbsent(r.rowKey(), k -> new ArrayList<>()).add(r);
        }
        return rows;
    }

    private static Optional<BenchResult> find(List<BenchResult> row, String backend, int threads) {
        return row.stream().filter(r -> r.backend().equals(backend) && (threads < 0 || r.threads() == threads)).findFirst();
    }

    /** Java with the most threads measured in this row (the fair reference for other backends). */
    private static Optional<BenchResult> javaBest(List<BenchResult> row) {
        return row.stream().filter(r -> r.backend().equals("java")).max(Comparator.comparingInt(BenchResult::threads));
    }

    /** Speed-up of the Java backend with the most threads over one thread in this row, if both exist. */
    static Optional<Double> speedup(List<BenchResult> row) {
        Optional<BenchResult> one = find(row, "java", 1);
        Optional<BenchResult> most = javaBest(row);
        if (one.isEmpty() || most.isEmpty() || most.get().threads() <= 1) {
            return Optional.empty();
        }
        return Optional.of(one.get().usPerSample() / most.get().usPerSample());
    }

    /** The text table. */
    public String table() {
        List<Integer> threads = javaThreads();
        List<String> others = otherBackends();
        boolean showSpeedup = threads.contains(1) && threads.size() > 1;
        List<String> header = new ArrayList<>(List.of("method", "n", "L", "B", "precision"));
        for (int t : threads) {
            header.add("java " + t + (t == 1 ? " thread" : " threads"));
        }
        boolean showCpus = showSpeedup && results.stream().anyMatch(r -> Double.isFinite(r.cpus()));
        if (showSpeedup) {
            header.add("speed-up");
        }
        if (showCpus) {
            header.add("CPUs got (1T/" + threads.get(threads.size() - 1) + "T)");
        }
        for (String b : others) {
            header.add(b);
            if (!threads.isEmpty()) {
                header.add(b + " vs java");
            }
        }
        List<List<String>> lines = new ArrayList<>();
        for (List<BenchResult> row : rows().values()) {
            BenchResult first = row.get(0);
            List<String> line = new ArrayList<>(List.of(first.method(), Integer.toString(first.qubits()),
                    Integer.toString(first.layers()), Integer.toString(first.batch()), first.precision()));
            for (int t : threads) {
                line.add(find(row, "java", t).map(r -> us(r.usPerSample())).orElse("-"));
            }
            if (showSpeedup) {
                line.add(speedup(row).map(BenchReport::times).orElse("-"));
            }
            if (showCpus) {
                line.add(cpus(find(row, "java", 1)) + "/" + cpus(javaBest(row)));
            }
            for (String b : others) {
                Optional<BenchResult> r = find(row, b, -1);
                line.add(r.map(x -> us(x.usPerSample())).orElse("-"));
                if (!threads.isEmpty()) {
                    Optional<BenchResult> j = javaBest(row);
                    line.add(r.isPresent() && j.isPresent() ? times(j.get().usPerSample() / r.get().usPerSample()) : "-");
                }
            }
            lines.add(line);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("microseconds per sample (median of the measurement iterations of all passes)")
                .append(showSpeedup ? "; speed-up = 1 thread / " + threads.get(threads.size() - 1) + " threads" : "")
                .append(others.isEmpty() ? "" : "; <backend> vs java = java (most threads) / backend")
                .append('\n');
        sb.append(format(header, lines));
        List<String> targets = targets();
        if (!targets.isEmpty()) {
            sb.append("\ntargets (issue 2):\n");
            for (String t : targets) {
                sb.append("  ").append(t).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * The table as GitHub markdown, for docs/benchmarks.md: median and fastest iteration of every
     * configuration, the thread speed-up (of the medians) and other backends relative to Java.
     */
    public String markdown() {
        List<Integer> threads = javaThreads();
        List<String> others = otherBackends();
        boolean showSpeedup = threads.contains(1) && threads.size() > 1;
        List<String> header = new ArrayList<>(List.of("method", "n", "L", "B", "precision"));
        for (int t : threads) {
            header.add("java " + t + "T median");
            header.add("java " + t + "T min");
        }
        boolean showCpus = showSpeedup && results.stream().anyMatch(r -> Double.isFinite(r.cpus()));
        if (showSpeedup) {
            header.add("speed-up");
            header.add("speed-up (min)");
        }
        if (showCpus) {
            header.add("CPUs got 1T / " + threads.get(threads.size() - 1) + "T");
        }
        for (String b : others) {
            header.add(b + " median");
            if (!threads.isEmpty()) {
                header.add(b + " vs java");
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int c = 0; c < header.size(); c++) {
            sb.append(c == 0 || c == 4 ? "---|" : "---:|");
        }
        sb.append('\n');
        for (List<BenchResult> row : rows().values()) {
            BenchResult first = row.get(0);
            List<String> line = new ArrayList<>(List.of(first.method(), Integer.toString(first.qubits()),
                    Integer.toString(first.layers()), Integer.toString(first.batch()), first.precision()));
            for (int t : threads) {
                Optional<BenchResult> r = find(row, "java", t);
                line.add(r.map(x -> us(x.usPerSample())).orElse("-"));
                line.add(r.map(x -> us(x.minUs())).orElse("-"));
            }
            if (showSpeedup) {
                line.add(speedup(row).map(BenchReport::times).orElse("-"));
                Optional<BenchResult> one = find(row, "java", 1);
                Optional<BenchResult> most = javaBest(row);
                line.add(one.isPresent() && most.isPresent() && most.get().threads() > 1
                        ? times(one.get().minUs() / most.get().minUs()) : "-");
            }
            if (showCpus) {
                line.add(cpus(find(row, "java", 1)) + " / " + cpus(javaBest(row)));
            }
            for (String b : others) {
                Optional<BenchResult> r = find(row, b, -1);
                line.add(r.map(x -> us(x.usPerSample())).orElse("-"));
                if (!threads.isEmpty()) {
                    Optional<BenchResult> j = javaBest(row);
                    line.add(r.isPresent() && j.isPresent() ? times(j.get().usPerSample() / r.get().usPerSample()) : "-");
                }
            }
            sb.append("| ").append(String.join(" | ", line)).append(" |\n");
        }
        return sb.toString();
    }

    /** {@link #markdown()} with the machine, the settings and the targets around it. */
    public String markdownReport() {
        StringBuilder sb = new StringBuilder();
        sb.append("Measured ").append(machine.getOrDefault("date", "?")).append(" on ").append(machine.getOrDefault("cpu", "?"))
                .append(" (").append(machine.getOrDefault("cores", "?")).append(" cores), ")
                .append(machine.getOrDefault("jdk", "?")).append(", Vector API ").append(machine.getOrDefault("vectorApi", "?"))
                .append("; load average before / after: ").append(machine.getOrDefault("loadAverageBefore", "?"))
                .append(" / ").append(machine.getOrDefault("loadAverageAfter", "?")).append(".\n");
        sb.append("JMH: ").append(settings.getOrDefault("forks", "?")).append(" fork(s), ")
                .append(settings.getOrDefault("warmupIterations", "?")).append(" warm-up + ")
                .append(settings.getOrDefault("measurementIterations", "?")).append(" measurement iterations of ")
                .append(settings.getOrDefault("iterationMs", "?")).append(" ms, ")
                .append(settings.getOrDefault("passes", 1)).append(" pass(es) over all configurations. Microseconds per sample; ")
                .append("\"median\" over the measurement iterations of all passes, \"min\" the fastest one; ")
                .append("speed-up = median 1T / median most threads; speed-up (min) = min 1T / min most threads; ")
                .append("\"CPUs got\" = CPU time of the benchmark JVM / wall time ")
                .append("(JIT and GC included): the processors the run really had.\n\n");
        sb.append(markdown());
        List<String> t = targets();
        if (!t.isEmpty()) {
            sb.append("\nTargets (issue 2), from the medians above:\n\n");
            for (String line : t) {
                sb.append("- ").append(line).append('\n');
            }
        }
        return sb.toString();
    }

    /** Left-aligns text columns (the first and the precision), right-aligns numbers. */
    static String format(List<String> header, List<List<String>> lines) {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> l : lines) {
                width[c] = Math.max(width[c], l.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(lines);
        for (List<String> l : all) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < width.length; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                boolean left = c == 0 || c == 4;
                String cell = l.get(c);
                String pad = " ".repeat(width[c] - cell.length());
                line.append(left ? cell + pad : pad + cell);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** Microseconds with three significant digits at least, never in exponent notation. */
    static String us(double v) {
        if (v >= 1000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (v >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String cpus(Optional<BenchResult> r) {
        return r.filter(x -> Double.isFinite(x.cpus())).map(x -> String.format(Locale.ROOT, "%.2f", x.cpus())).orElse("-");
    }

    static String times(double v) {
        return String.format(Locale.ROOT, "%.2fx", v);
    }

    /**
     * The issue-2 targets that the results allow to check: forward at n=8, L=4 on one thread
     * &lt;= 20 us/sample; adjoint &lt;= 5x forward; the most threads (2 on the reference machine) &gt;= 1.8x
     * one thread at B=4096.
     */
    public List<String> targets() {
        List<String> out = new ArrayList<>();
        for (BenchResult f : results) {
            if (!f.backend().equals("java") || f.threads() != 1 || !f.method().equals("forward") || f.qubits() != 8
                    || f.layers() != 4) {
                continue;
            }
            String where = "n=8 L=4 B=" + f.batch() + " " + f.precision() + " 1 thread";
            out.add(String.format(Locale.ROOT, "forward %s: %s us/sample (target <= 20): %s", where,
                    us(f.usPerSample()), f.usPerSample() <= 20 ? "reached" : "NOT reached"));
            for (BenchResult a : results) {
                if (a.backend().equals("java") && a.threads() == 1 && a.method().equals("adjoint")
                        && a.rowKey().equals(f.rowKey().replaceFirst("^forward", "adjoint"))) {
                    double ratio = a.usPerSample() / f.usPerSample();
                    out.add(String.format(Locale.ROOT, "adjoint / forward %s: %s (target <= 5x): %s", where,
                            times(ratio), ratio <= 5 ? "reached" : "NOT reached"));
                }
            }
        }
        for (List<BenchResult> row : rows().values()) {
            BenchResult first = row.get(0);
            if (first.batch() != 4096 || first.method().equals("parameter-shift")) {
                continue;
            }
            Optional<Double> s = speedup(row);
            if (s.isPresent()) {
                int most = javaBest(row).orElseThrow().threads();
                out.add(String.format(Locale.ROOT, "%s n=%d B=4096 %s: %d threads / 1 thread = %s (target >= %s): %s",
                        first.method(), first.qubits(), first.precision(), most, times(s.get()),
                        times(0.9 * most), s.get() >= 0.9 * most ? "reached" : "NOT reached"));
            }
        }
        return out;
    }

    /** The report as JSON. */
    public ObjectNode toJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.set("machine", m.valueToTree(machine));
        root.set("settings", m.valueToTree(settings));
        root.put("unit", "microseconds per sample");
        ArrayNode rs = root.putArray("results");
        Map<String, List<BenchResult>> rows = rows();
        for (BenchResult r : results) {
            ObjectNode o = rs.addObject();
            o.put("backend", r.backend());
            o.put("method", r.method());
            o.put("qubits", r.qubits());
            o.put("layers", r.layers());
            o.put("batch", r.batch());
            o.put("precision", r.precision());
            if (r.threads() > 0) {
                o.put("threads", r.threads());
            } else {
                o.putNull("threads");
            }
            o.put("usPerSample", round(r.usPerSample()));
            o.put("usPerSampleMin", round(r.minUs()));
            o.put("usPerSampleMax", round(r.maxUs()));
            o.put("msPerCall", round(r.usPerSample() * r.batch() / 1000));
            o.put("iterations", r.iterations());
            if (Double.isFinite(r.cpus())) {
                o.put("cpusUsed", Math.round(r.cpus() * 100) / 100.0);
            }
            if (!r.backend().equals("java")) {
                javaBest(rows.get(r.rowKey())).ifPresent(j -> o.put("speedVsJava", round(j.usPerSample() / r.usPerSample())));
            }
        }
        ArrayNode sp = root.putArray("threadSpeedups");
        for (List<BenchResult> row : rows.values()) {
            Optional<Double> s = speedup(row);
            if (s.isPresent()) {
                BenchResult f = row.get(0);
                ObjectNode o = sp.addObject();
                o.put("method", f.method());
                o.put("qubits", f.qubits());
                o.put("layers", f.layers());
                o.put("batch", f.batch());
                o.put("precision", f.precision());
                o.put("threads", javaBest(row).orElseThrow().threads());
                o.put("speedup", round(s.get()));
            }
        }
        ArrayNode tg = root.putArray("targets");
        targets().forEach(tg::add);
        return root;
    }

    /** Five significant digits. */
    private static double round(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v;
        }
        double scale = Math.pow(10, 4 - (int) Math.floor(Math.log10(Math.abs(v))));
        return Math.round(v * scale) / scale;
    }

    /** Reads a report written by {@link #writeJson(Path)} back (to re-render its table or markdown). */
    @SuppressWarnings("unchecked")
    public static BenchReport readJson(Path file) throws IOException {
        ObjectMapper m = new ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode root = m.readTree(file.toFile());
        if (root == null || !root.has("results") || !root.get("results").isArray()) {
            throw new IOException(file + ": not a bench report (no results array)");
        }
        List<BenchResult> rs = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode r : root.get("results")) {
            rs.add(new BenchResult(r.path("backend").asText(), r.path("method").asText(), r.path("qubits").asInt(),
                    r.path("layers").asInt(), r.path("batch").asInt(), r.path("precision").asText(),
                    r.path("threads").asInt(0), r.path("usPerSample").asDouble(), r.path("usPerSampleMin").asDouble(),
                    r.path("usPerSampleMax").asDouble(), r.path("iterations").asLong(),
                    r.path("cpusUsed").isNumber() ? r.path("cpusUsed").asDouble() : Double.NaN));
        }
        Map<String, Object> machine = root.has("machine") ? m.convertValue(root.get("machine"), Map.class) : Map.of();
        Map<String, Object> settings = root.has("settings") ? m.convertValue(root.get("settings"), Map.class) : Map.of();
        return new BenchReport(rs, machine, settings);
    }

    /** Writes the JSON report atomically ({@link AtomicFiles}). */
    public void writeJson(Path file) throws IOException {
        AtomicFiles.write(file, out -> new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, toJson()));
    }

    /** Writes {@link #markdownReport()} atomically. */
    public void writeMarkdown(Path file) throws IOException {
        AtomicFiles.writeString(file, markdownReport());
    }

    /** Plots us/sample against qubits ({@link BenchPlot}): float32 where measured, else float64. */
    public void writePlot(Path png) throws IOException {
        boolean f32 = results.stream().anyMatch(r -> r.precision().equals("float32"));
        BenchPlot.write(this, f32 ? "float32" : "float64", png);
    }
}
