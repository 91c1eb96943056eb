package org.dgquantum.sweeps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.dgquantum.engine.UserError;
import org.dgquantum.engine.io.AtomicFiles;
import org.dgquantum.eval.Estimate;
import org.dgquantum.eval.Evaluation;
import org.dgquantum.eval.EvaluationOptions;
import org.dgquantum.eval.EvaluationReport;
import org.dgquantum.eval.GroupMetrics;
import org.dgquantum.eval.Metric;
import org.dgquantum.eval.ModelMetrics;
import org.dgquantum.eval.PaperFigures;
import org.dgquantum.eval.Plots;
import org.dgquantum.eval.Prediction;
import org.dgquantum.eval.PredictionsCsv;
import org.dgquantum.eval.ReportPage;
import org.dgquantum.trainer.train.RunFiles;
import org.dgquantum.trainer.train.TrainConfig;
import org.dgquantum.trainer.train.TrainerException;

/**
 * {@code dgq report}: the finished runs of a sweep (or of run directories) in one metrics.json, report.md and
 * plots/. A model variant is a model (with or without test-time adaptation) and the options in which runs of
 * that model differ, other than the seed; its seeds are pooled (bootstrap intervals, {@link Evaluation}) and
 * also summarised as mean +- sd of the per-seed values, overall and per unseen center. Unfinished runs are listed
 * as missing, so a running sweep can be reported.
 */
public final class SweepReport {
    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";
    /** The paper's five figures of all variants (docs/evaluation.md, "Figures"). */
    public static final String FIGURES = "figures";
    /** Beyond this many variants one figure of all of them is unreadable: the figures are left out. */
    static final int MAX_FIGURE_MODELS = 16;

    /** One run the report looked at. */
    record Entry(String name, Path dir, TrainConfig config, String missing) {
    }

    /** What was written. */
    public record Written(Path dir, int runs, int finished, List<String> missing, EvaluationReport pooled,
                          String summary) {
    }

    private SweepReport() {
    }

    /** The default output directory: SWEEP_DIR/report for a sweep, null otherwise (then it must be given). */
    public static Path defaultOut(List<Path> inputs) {
        return inputs.size() == 1 && SweepDir.isSweep(inputs.get(0)) ? inputs.get(0).resolve("report") : null;
    }

    /**
     * The finished runs' predictions of some sweep and run directories, each model name extended by its variant
     * suffix ({@link #variantSuffixes}), and what is missing.
     */
    public record Collected(List<Prediction> predictions, int runs, int finished, List<String> missing) {
    }

    /** Reads the predictions of the inputs (sweep directories and run directories); seeds pooled. */
    public static Collected collect(List<Path> inputs) {
        return collect(inputs, Set.of("seed"));
    }

    /**
     * Reads the predictions of the inputs; runs of one model that differ only in {@code pooled} fields (config.json
     * names) are one variant.
     */
    public static Collected collect(List<Path> inputs, Set<String> pooled) {
        List<Entry> entries = new ArrayList<>();
        for (Path p : inputs) {
            if (!Files.isDirectory(p)) {
                throw new TrainerException(p + ": does not exist (expected a sweep or run directory)");
            }
            if (SweepDir.isSweep(p)) {
                SweepDir s = SweepDir.open(p, "SWEEP_DIR");
                for (SweepPlan.Run r : s.runs()) {
                    entries.add(new Entry(r.directory(), s.runDir(r), r.config(), missing(s, r)));
                }
            } else if (Files.isRegularFile(p.resolve(RunFiles.CONFIG))) {
                Path dir = p.toAbsolutePath().normalize();
                entries.add(new Entry(dir.getFileName().toString(), dir, RunFiles.readJson(dir.resolve(RunFiles.CONFIG),
                        TrainConfig.class), Files.isRegularFile(dir.resolve(PredictionsCsv.FILE_NAME)) ? null
                        : "no predictions.csv (dgq predict --run " + dir + ")"));
            } else {
                throw new TrainerException(p + ": neither a sweep directory (sweep.json) nor a run directory"
                        + " (config.json)");
            }
        }
        Map<Entry, String> suffix = variantSuffixes(entries, pooled);
        List<Prediction> all = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        int finished = 0;
        for (Entry e : entries) {
            if (e.missing() != null) {
                missing.add(e.name() + ": " + e.missing());
                continue;
            }
            List<Prediction> ps;
            try {
                ps = PredictionsCsv.read(e.dir().resolve(PredictionsCsv.FILE_NAME));
            } catch (UserError err) {
                throw err;
            } catch (RuntimeException err) {
                throw new TrainerException(e.dir().resolve(PredictionsCsv.FILE_NAME) + ": " + RunFiles.oneLine(err));
            }
            for (Prediction p : ps) {
                all.add(new Prediction(p.id(), p.domain(), p.label(), p.probability(), p.prediction(),
                        p.model() + suffix.get(e), p.seed()));
            }
            finished++;
        }
        if (all.isEmpty()) {
            throw new TrainerException(String.join(" ", inputs.stream().map(Path::toString).toList())
                    + ": no finished run with predictions yet (" + entries.size() + " runs; first missing: "
                    + (missing.isEmpty() ? "none" : missing.get(0)) + ")");
        }
        return new Collected(List.copyOf(all), entries.size(), finished, List.copyOf(missing));
    }

    /** Reads the inputs (sweep directories and run directories) and writes the report into {@code out}. */
    public static Written write(List<Path> inputs, Path out, EvaluationOptions options) {
        Collected c = collect(inputs);
        List<Prediction> all = c.predictions();
        List<String> missing = c.missing();
        int finished = c.finished();
        EvaluationReport pooled = Evaluation.evaluate(all, options);
        Map<String, Map<Long, ModelMetrics>> perSeed = perSeed(all, options);
        ObjectNode json = pooled.toJson();
        json.set("acrossSeeds", acrossSeedsJson(pooled, perSeed));
        ObjectNode runs = json.putObject("runs");
        runs.put("total", c.runs());
        runs.put("finished", finished);
        ArrayNode m = runs.putArray("missing");
        missing.forEach(m::add);
        try {
            Files.createDirectories(out);
            AtomicFiles.write(out.resolve(EvaluationReport.FILE_NAME), o -> SweepDir.JSON.writeValue(o, json));
            PredictionsCsv.write(out.resolve(PredictionsCsv.FILE_NAME), all);
            Plots.writeAll(pooled, out.resolve(Plots.DIR_NAME));
            List<String> models = pooled.models().stream().map(ModelMetrics::model).toList();
            List<Path> figures = models.size() <= MAX_FIGURE_MODELS
                    ? PaperFigures.writeAll(pooled, models, out.resolve(FIGURES)) : List.of();
            ReportPage page = page(inputs, pooled, perSeed, c.runs(), finished, missing, figures);
            AtomicFiles.writeString(out.resolve(MARKDOWN), page.markdown(out));
            AtomicFiles.writeString(out.resolve(HTML), page.html());
        } catch (IOException e) {
            throw new TrainerException("--out " + out + ": cannot write: " + RunFiles.oneLine(e));
        }
        String summary = pooled.summaryTable() + String.format(Locale.ROOT, "%d of %d runs finished%s", finished,
                c.runs(), missing.isEmpty() ? "" : "; missing: " + String.join("; ", missing)) + "\n";
        return new Written(out, c.runs(), finished, missing, pooled, summary);
    }

    private static String missing(SweepDir s, SweepPlan.Run r) {
        return switch (s.state(r)) {
            case DONE -> Files.isRegularFile(s.runDir(r).resolve(PredictionsCsv.FILE_NAME)) ? null
                    : "done but no predictions.csv";
            case FAILED -> "failed: " + s.errorLine(r);
            case STARTED -> "not finished" + (s.progress(r).isEmpty() ? "" : " (" + s.progress(r) + ")");
            case PENDING -> "not started";
        };
    }

    /**
     * " qubits=4 lr=0.01": the options in which runs of the same model differ (the seed aside), so each variant
     * gets its own rows; empty when a model has one variant.
     */
    static Map<Entry, String> variantSuffixes(List<Entry> entries, Set<String> pooled) {
        Map<String, List<Entry>> byName = new LinkedHashMap<>();
        entries.forEach(e -> byName.computeIfAbsent(e.config().name(), k -> new ArrayList<>()).add(e));
        Map<Entry, String> out = new LinkedHashMap<>();
        for (List<Entry> group : byName.values()) {
            List<ObjectNode> trees = group.stream().map(e -> (ObjectNode) SweepDir.JSON.valueToTree(e.config())).toList();
            Set<String> varying = new LinkedHashSet<>();
            for (Iterator<String> it = trees.get(0).fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!pooled.contains(f) && trees.stream().map(t -> t.get(f)).distinct().count() > 1) {
                    varying.add(f);
                }
            }
            for (int i = 0; i < group.size(); i++) {
                StringBuilder b = new StringBuilder();
                for (String f : varying) {
                    JsonNode v = trees.get(i).get(f);
                    String option = TrainConfig.OPTION_OF_FIELD.getOrDefault(f, f).replaceFirst("^--", "");
                    List<String> items = new ArrayList<>();
                    if (v.isArray()) {
                        v.forEach(x -> items.add(x.asText()));
                    }
                    b.append(' ').append(option).append('=').append(v.isArray() ? String.join(",", items) : v.asText());
                }
                out.put(group.get(i), b.toString());
            }
        }
        return out;
    }

    /** Each variant's metrics per seed (point values; no resampling). */
    static Map<String, Map<Long, ModelMetrics>> perSeed(List<Prediction> all, EvaluationOptions options) {
        Map<String, Map<Long, List<Prediction>>> groups = new LinkedHashMap<>();
        for (Prediction p : all) {
            groups.computeIfAbsent(p.model(), k -> new TreeMap<>()).computeIfAbsent(p.seed(), k -> new ArrayList<>())
                    .add(p);
        }
        Map<String, Map<Long, ModelMetrics>> out = new LinkedHashMap<>();
        groups.forEach((model, bySeed) -> {
            Map<Long, ModelMetrics> m = new TreeMap<>();
            bySeed.forEach((seed, ps) -> m.put(seed, Evaluation.evaluate(ps, options.withResamples(0)).model(model)));
            out.put(model, m);
        });
        return out;
    }

    /** Mean and sample standard deviation of a metric over seeds (undefined values left out). */
    record MeanSd(double mean, double sd, int n) {
        static MeanSd of(List<Double> values) {
            double[] v = values.stream().filter(x -> !Double.isNaN(x)).mapToDouble(Double::doubleValue).toArray();
            if (v.length == 0) {
                return new MeanSd(Double.NaN, Double.NaN, 0);
            }
            double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
            double ss = java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
            return new MeanSd(mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : Double.NaN, v.length);
        }

        String format() {
            if (n == 0) {
                return "n/a";
            }
            return Double.isNaN(sd) ? String.format(Locale.ROOT, "%.3f", mean)
                    : String.format(Locale.ROOT, "%.3f ± %.3f", mean, sd);
        }
    }

    static MeanSd across(Map<Long, ModelMetrics> seeds, String domain, Metric metric) {
        List<Double> v = new ArrayList<>();
        for (ModelMetrics m : seeds.values()) {
            GroupMetrics g = domain.equals(GroupMetrics.ALL) ? m.overall() : m.domain(domain).orElse(null);
            if (g != null) {
                v.add(g.get(metric).value());
            }
        }
        return MeanSd.of(v);
    }

    static ObjectNode acrossSeedsJson(EvaluationReport pooled, Map<String, Map<Long, ModelMetrics>> perSeed) {
        ObjectNode root = SweepDir.JSON.createObjectNode();
        root.put("statistic", "mean and sample standard deviation (n-1) over seeds of the per-seed values");
        for (ModelMetrics m : pooled.models()) {
            Map<Long, ModelMetrics> seeds = perSeed.get(m.model());
            ObjectNode mn = root.putObject(m.model());
            ArrayNode sa = mn.putArray("seeds");
            seeds.keySet().forEach(sa::add);
            List<String> domains = new ArrayList<>();
            domains.add(GroupMetrics.ALL);
            m.domains().forEach(g -> domains.add(g.domain()));
            ObjectNode dn = mn.putObject("domains");
            for (String d : domains) {
                ObjectNode g = d.equals(GroupMetrics.ALL) ? mn.putObject("overall") : dn.putObject(d);
                for (Metric metric : Metric.values()) {
                    MeanSd s = across(seeds, d, metric);
                    ObjectNode x = g.putObject(metric.key());
                    num(x, "mean", s.mean());
                    num(x, "sd", s.sd());
                    x.put("n", s.n());
                }
            }
        }
        return root;
    }

    /** A number, or JSON null for NaN. */
    static void num(ObjectNode n, String key, double v) {
        if (Double.isNaN(v)) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }

    private static ReportPage page(List<Path> inputs, EvaluationReport pooled,
                                   Map<String, Map<Long, ModelMetrics>> perSeed, int runs, int finished,
                                   List<String> missing, List<Path> figures) {
        List<Metric> cols = List.of(Metric.values()); // the file has room for every metric, unlike the terminal
        ReportPage page = new ReportPage("Sweep report");
        page.paragraph("Inputs: " + String.join(", ", inputs.stream().map(p -> "`" + p + "`").toList()));
        page.paragraph(String.format(Locale.ROOT, "**%d of %d runs finished.**", finished, runs)
                + (missing.isEmpty() ? " Nothing is missing." : " This report covers the finished runs only."));
        page.heading(1, String.format(Locale.ROOT, "Seeds pooled (%s%% bootstrap intervals, %d resamples)",
                Math.round(pooled.options().confidence() * 100), pooled.options().resamples()));
        List<List<String>> rows = new ArrayList<>();
        for (ModelMetrics m : pooled.models()) {
            rows.add(row(m.model(), Integer.toString(m.seeds().size()), Integer.toString(m.overall().samples()),
                    cols.stream().map(c -> m.overall().get(c)).map(Estimate::format).toList()));
        }
        page.table(header("Model variant", "Seeds", "n", cols), rows, null);
        page.heading(1, "Mean ± sd across seeds");
        rows = new ArrayList<>();
        for (ModelMetrics m : pooled.models()) {
            Map<Long, ModelMetrics> seeds = perSeed.get(m.model());
            rows.add(row(m.model(), Integer.toString(seeds.size()), perSeedSamples(seeds, GroupMetrics.ALL),
                    cols.stream().map(c -> across(seeds, GroupMetrics.ALL, c).format()).toList()));
        }
        page.table(header("Model variant", "Seeds", "n/seed", cols), rows, null);
        page.heading(1, "Per unseen center");
        page.paragraph("Pooled estimate [interval]; mean ± sd across seeds below it.");
        rows = new ArrayList<>();
        for (ModelMetrics m : pooled.models()) {
            Map<Long, ModelMetrics> seeds = perSeed.get(m.model());
            for (GroupMetrics g : m.domains()) {
                rows.add(row(m.model() + " / " + g.domain(), Integer.toString(seeds.size()),
                        Integer.toString(g.samples()), cols.stream().map(c -> g.get(c).format() + "<br>"
                                + across(seeds, g.domain(), c).format()).toList()));
            }
        }
        page.table(header("Model variant / center", "Seeds", "n", cols), rows, null);
        if (!missing.isEmpty()) {
            page.heading(1, "Missing runs");
            page.bullets(missing);
        }
        if (!figures.isEmpty()) {
            page.heading(1, "Figures");
            for (Path f : figures) {
                page.figure(f, f.getFileName().toString());
            }
        } else {
            page.paragraph("No figures of all variants: more than " + MAX_FIGURE_MODELS + " variants.");
        }
        page.paragraph("Per-variant plots: `plots/` (ROC with bootstrap band, confusion matrix and bootstrap AUC per"
                + " variant; metrics.png). Metrics: `metrics.json` (pooled, `acrossSeeds`, `runs`); every prediction:"
                + " `predictions.csv`.");
        return page;
    }

    private static String perSeedSamples(Map<Long, ModelMetrics> seeds, String domain) {
        return seeds.values().stream().map(m -> m.overall().samples()).distinct().map(String::valueOf)
                .reduce((a, c) -> a + "/" + c).orElse("0");
    }

    private static List<String> header(String first, String second, String third, List<Metric> cols) {
        List<String> h = new ArrayList<>(List.of(first, second, third));
        cols.forEach(c -> h.add(c.label()));
        return h;
    }

    private static List<String> row(String first, String second, String third, List<String> cells) {
        List<String> r = new ArrayList<>(List.of(first, second, third));
        r.addAll(cells);
        return r;
    }
}
