package org.dgquantum.eval;

import org.dgquantum.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The result of {@link Evaluation#evaluate}: per model, overall and per domain, every {@link Metric} with its
 * bootstrap interval. {@link #writeJson} writes {@code metrics.json}; {@link #summaryTable} and
 * {@link #domainTable} format it for the terminal.
 */
public record EvaluationReport(EvaluationOptions options, List<ModelMetrics> models) {

    /** Conventional file name inside a run directory. */
    public static final String FILE_NAME = "metrics.json";
    /** Value of the {@code format} field of {@code metrics.json}. */
    public static final String FORMAT = "dgquantum-metrics/1";
    /** The metrics of the summary tables, in column order. */
    public static final List<Metric> TABLE_METRICS = List.of(Metric.ACCURACY, Metric.AUC, Metric.SENSITIVITY, Metric.SPECIFICITY);

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public EvaluationReport {
        models = List.copyOf(models);
    }

    /** The result of model {@code name}. */
    public ModelMetrics model(String name) {
        return models.stream().filter(m -> m.model().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no predictions for model \"" + name + "\""));
    }

    /**
     * The {@code metrics.json} tree:
     * <pre>
     * { "format": "dgquantum-metrics/1",
     *   "bootstrap": { "method": "percentile", "stratified": true, "resamples": 1000, "seed": 0, "confidence": 0.95 },
     *   "models": { "&lt;model&gt;": { "seeds": [..], "overall": GROUP, "domains": { "&lt;domain&gt;": GROUP, .. } }, .. } }
     * GROUP = { "samples": n, "positives": n1, "negatives": n0, "resamples": B,
     *           "confusion": { "tp": .., "fp": .., "tn": .., "fn": .. },
     *           "metrics": { "accuracy": { "estimate": .., "lower": .., "upper": .., "resamples": .. [, "note": ".."] },
     *                        "auc": .., .. one per {@link Metric}, in its order, by {@link Metric#key()} },
     *           "notes": [ .. ] }
     * </pre>
     * Undefined values (e.g. AUC of a one-class domain) are {@code null}, with a {@code note}.
     */
    public ObjectNode toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("decision", "hard predictions from the prediction column (probability >= 0.5)");
        ObjectNode boot = root.putObject("bootstrap");
        boot.put("method", "percentile");
        boot.put("stratified", true);
        boot.put("resamples", options.resamples());
        boot.put("seed", options.seed());
        boot.put("confidence", options.confidence());
        ObjectNode ms = root.putObject("models");
        for (ModelMetrics m : models) {
            ObjectNode mn = ms.putObject(m.model());
            ArrayNode seeds = mn.putArray("seeds");
            m.seeds().forEach(seeds::add);
            group(mn.putObject("overall"), m.overall());
            ObjectNode ds = mn.putObject("domains");
            for (GroupMetrics g : m.domains()) group(ds.putObject(g.domain()), g);
        }
        return root;
    }

    private void group(ObjectNode n, GroupMetrics g) {
        n.put("samples", g.samples());
        n.put("positives", g.positives());
        n.put("negatives", g.negatives());
        n.put("resamples", options.resamples());
        ObjectNode c = n.putObject("confusion");
        c.put("tp", g.confusion().tp());
        c.put("fp", g.confusion().fp());
        c.put("tn", g.confusion().tn());
        c.put("fn", g.confusion().fn());
        ObjectNode mn = n.putObject("metrics");
        for (Map.Entry<Metric, Estimate> e : g.metrics().entrySet()) {
            ObjectNode en = mn.putObject(e.getKey().key());
            Estimate est = e.getValue();
            num(en, "estimate", est.value());
            num(en, "lower", est.lower());
            num(en, "upper", est.upper());
            en.put("resamples", est.resamples());
            if (est.note() != null) en.put("note", est.note());
        }
        ArrayNode notes = n.putArray("notes");
        g.notes().forEach(notes::add);
    }

    private static void num(ObjectNode n, String key, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) n.putNull(key); else n.put(key, v);
    }

    /** {@code metrics.json} as a string. */
    public String toJsonString() {
        try {
            return MAPPER.writeValueAsString(toJson()) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@link #toJson()} to {@code file} atomically (temporary file, then {@code ATOMIC_MOVE}). */
    public void writeJson(Path file) throws IOException {
        AtomicFiles.write(file, toJsonString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * One line per model (over all its domains): n, accuracy, AUC, sensitivity, specificity, each as
     * {@code 0.83 [0.78, 0.88]}; a first line says how the intervals were made.
     */
    public String summaryTable() {
        StringBuilder sb = new StringBuilder();
        header(sb, "model", width(true));
        for (ModelMetrics m : models) line(sb, m.model(), m.overall(), width(true));
        return sb.toString();
    }

    /** Like {@link #summaryTable} with one line per model and domain (the overall line first, as "all"). */
    public String domainTable() {
        StringBuilder sb = new StringBuilder();
        int w = width(false);
        header(sb, "model / domain", w);
        for (ModelMetrics m : models) {
            line(sb, m.model() + " / " + GroupMetrics.ALL, m.overall(), w);
            for (GroupMetrics g : m.domains()) line(sb, m.model() + " / " + g.domain(), g, w);
        }
        return sb.toString();
    }

    private int width(boolean modelsOnly) {
        int w = modelsOnly ? "model".length() : "model / domain".length();
        for (ModelMetrics m : models) {
            w = Math.max(w, modelsOnly ? m.model().length() : m.model().length() + 3 + GroupMetrics.ALL.length());
            if (!modelsOnly) for (GroupMetrics g : m.domains()) w = Math.max(w, m.model().length() + 3 + g.domain().length());
        }
        return w;
    }

    private void header(StringBuilder sb, String first, int w) {
        sb.append(String.format(Locale.ROOT, "%s%% CI: %s%n",
                fmtPercent(options.confidence()),
                options.resamples() == 0 ? "none (0 resamples)"
                        : "stratified percentile bootstrap, " + options.resamples() + " resamples, seed " + options.seed()));
        sb.append(String.format(Locale.ROOT, "%-" + w + "s %6s", first, "n"));
        for (Metric m : TABLE_METRICS) sb.append(String.format(Locale.ROOT, "  %-18s", m.label()));
        stripTrailing(sb).append(System.lineSeparator());
    }

    private static void line(StringBuilder sb, String name, GroupMetrics g, int w) {
        sb.append(String.format(Locale.ROOT, "%-" + w + "s %6d", name, g.samples()));
        for (Metric m : TABLE_METRICS) sb.append(String.format(Locale.ROOT, "  %-18s", g.get(m).format()));
        stripTrailing(sb).append(System.lineSeparator());
    }

    private static StringBuilder stripTrailing(StringBuilder sb) {
        int e = sb.length();
        while (e > 0 && sb.charAt(e - 1) == ' ') e--;
        sb.setLength(e);
        return sb;
    }

    private static String fmtPercent(double c) {
        double p = c * 100;
        return p == Math.rint(p) ? Long.toString((long) p) : String.format(Locale.ROOT, "%.1f", p);
    }
}
