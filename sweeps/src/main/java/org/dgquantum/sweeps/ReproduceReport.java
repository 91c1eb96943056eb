package org.dgquantum.sweeps;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.dgquantum.engine.io.AtomicFiles;
import org.dgquantum.eval.DeLong;
import org.dgquantum.eval.DomainSpread;
import org.dgquantum.eval.Estimate;
import org.dgquantum.eval.Evaluation;
import org.dgquantum.eval.EvaluationOptions;
import org.dgquantum.eval.EvaluationReport;
import org.dgquantum.eval.GroupMetrics;
import org.dgquantum.eval.Metric;
import org.dgquantum.eval.ModelMetrics;
import org.dgquantum.eval.PairedComparison;
import org.dgquantum.eval.PaperFigures;
import org.dgquantum.eval.Prediction;
import org.dgquantum.eval.PredictionsCsv;
import org.dgquantum.eval.ReportPage;
import org.dgquantum.trainer.train.LearningCheck;
import org.dgquantum.trainer.train.RunFiles;
import org.dgquantum.trainer.train.TrainState;
import org.dgquantum.trainer.train.TrainerException;

/**
 * The report page of a reproduction ({@link Reproduction}): at the top of the sweep directory, {@code report.md}
 * and a self-contained {@code report.html} (the same {@link ReportPage}), {@code predictions.csv} (every finished
 * run's predictions, from which everything here can be recomputed), {@code metrics.json} (the pooled metrics in
 * {@link EvaluationReport}'s format, plus the per-seed summary, the paired comparisons and the per-domain spread)
 * and {@code figures/} (the paper's Figures 1-5). Works on an unfinished reproduction: it reports what is done.
 */
public final class ReproduceReport {
    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";
    public static final String FIGURES = "figures";
    /** The dgq reproduce command line that made the runs, kept for reports rewritten later by dgq report. */
    public static final String COMMAND_FILE = "command.txt";

    /** Table 1's columns: the paper's seven metrics (its recall is the sensitivity, shown once under both names). */
    static final List<Metric> TABLE1_METRICS = List.of(Metric.ACCURACY, Metric.AUC, Metric.F1, Metric.PRECISION,
            Metric.SENSITIVITY, Metric.SPECIFICITY);
    /** The columns of the calibration and screening table. */
    static final List<Metric> EXTRA_METRICS = List.of(Metric.BALANCED_ACCURACY, Metric.SENSITIVITY_AT_90_SPECIFICITY,
            Metric.ECE);
    /** The metrics of the statistics table besides AUC (paired bootstrap). */
    static final List<Metric> PAIRED_METRICS = List.of(Metric.ACCURACY, Metric.SENSITIVITY, Metric.SPECIFICITY,
            Metric.F1);

    /** What was written, and the verdict's lines. */
    public record Written(Path dir, int runs, int finished, List<String> verdict, List<Path> files) {
    }

    private ReproduceReport() {
    }

    /**
     * Writes the report of the reproduction in {@code sweepDir} into it; {@code command} is this command line
     * (a dgq reproduce one is kept in {@value #COMMAND_FILE} and shown under "Reproduce"), {@code version} the
     * program's version line.
     */
    public static Written write(Path sweepDir, EvaluationOptions options, String command, String version) {
        SweepDir sweep = SweepDir.open(sweepDir, "--out");
        SweepReport.Collected c = SweepReport.collect(List.of(sweep.dir()), Reproduction.POOLED_FIELDS);
        List<Prediction> all = c.predictions();
        Map<String, List<Prediction>> byModel = new LinkedHashMap<>();
        all.forEach(p -> byModel.computeIfAbsent(p.model(), k -> new ArrayList<>()).add(p));
        EvaluationReport pooled = Evaluation.evaluate(all, options);
        Map<String, Map<Long, ModelMetrics>> perSeed = SweepReport.perSeed(all, options);

        List<Reproduction.Row> table1 = present(Reproduction.TABLE1, byModel);
        List<Reproduction.Row> ablations = present(Reproduction.ABLATIONS, byModel);
        List<String> shown = new ArrayList<>();
        table1.forEach(r -> shown.add(r.model()));
        ablations.stream().map(Reproduction.Row::model).filter(m -> !shown.contains(m)).forEach(shown::add);

        // The statistics: every row shown, and the verdict's like-for-like comparisons that no table shows.
        List<String> compared = new ArrayList<>(shown);
        present(Reproduction.LIKE_FOR_LIKE, byModel).stream().map(Reproduction.Row::model).filter(m -> !compared.contains(m))
                .forEach(compared::add);
        List<PairedComparison.Result> comparisons = new ArrayList<>();
        Map<String, Estimate> spreadDifference = new LinkedHashMap<>();
        List<Prediction> ref = byModel.get(Reproduction.REFERENCE);
        if (ref != null) {
            for (String m : compared) {
                if (!m.equals(Reproduction.REFERENCE)) {
                    comparisons.add(PairedComparison.compare(Reproduction.REFERENCE, ref, m, byModel.get(m), options));
                    spreadDifference.put(m, DomainSpread.varianceDifference(ref, byModel.get(m), options));
                }
            }
        }
        Map<String, Estimate> spread = new LinkedHashMap<>();
        shown.forEach(m -> spread.put(m, DomainSpread.accuracyVariance(byModel.get(m), options)));
        Map<String, List<LearningCheck.Verdict>> learning = learning(sweep);
        List<String> verdict = new ArrayList<>(ranking(table1, pooled));
        verdict.addAll(verdict(comparisons, pooled, shown, learning));

        Path dir = sweep.dir();
        List<Path> files = new ArrayList<>();
        try {
            Path recorded = dir.resolve(COMMAND_FILE);
            if (command.startsWith("dgq reproduce")) {
                AtomicFiles.writeString(recorded, command + "\n");
            }
            String reproduce = Files.isRegularFile(recorded) ? Files.readString(recorded).strip() : null;
            Path csv = dir.resolve(PredictionsCsv.FILE_NAME);
            PredictionsCsv.write(csv, all);
            files.add(csv);
            List<Path> figures = PaperFigures.writeAll(pooled, shown, dir.resolve(FIGURES));
            files.addAll(figures);
            ObjectNode json = pooled.toJson();
            json.set("acrossSeeds", SweepReport.acrossSeedsJson(pooled, perSeed));
            json.set("comparisons", comparisonsJson(comparisons, spreadDifference));
            json.set("domainSpread", spreadJson(spread));
            ObjectNode runs = json.putObject("runs");
            runs.put("total", c.runs());
            runs.put("finished", c.finished());
            ArrayNode missing = runs.putArray("missing");
            c.missing().forEach(missing::add);
            Path metrics = dir.resolve(EvaluationReport.FILE_NAME);
            AtomicFiles.write(metrics, o -> SweepDir.JSON.writeValue(o, json));
            files.add(metrics);
            ReportPage page = page(sweep, c, pooled, perSeed, table1, ablations, comparisons, spread, spreadDifference,
                    verdict, figures, reproduce, command, version, options, learning);
            AtomicFiles.writeString(dir.resolve(MARKDOWN), page.markdown(dir));
            AtomicFiles.writeString(dir.resolve(HTML), page.html());
            files.add(dir.resolve(MARKDOWN));
            files.add(dir.resolve(HTML));
        } catch (IOException e) {
            throw new TrainerException(dir + ": cannot write the report: " + RunFiles.oneLine(e));
        }
        return new Written(dir, c.runs(), c.finished(), verdict, files);
    }

    /** The learning verdict of every finished run, by model name (docs/trainer.md, "When a model does not learn"). */
    static Map<String, List<LearningCheck.Verdict>> learning(SweepDir sweep) {
        Map<String, List<LearningCheck.Verdict>> out = new LinkedHashMap<>();
        for (SweepPlan.Run r : sweep.runs()) {
            if (sweep.state(r) == SweepDir.State.DONE) {
                TrainState state = RunFiles.readState(sweep.runDir(r));
                if (state != null) {
                    out.computeIfAbsent(r.config().name(), k -> new ArrayList<>()).add(LearningCheck.of(state));
                }
            }
        }
        return out;
    }

    /** "3/3": runs of the model (its +tta row included) that learned, of its finished runs. */
    static String learned(String model, Map<String, List<LearningCheck.Verdict>> learning) {
        List<LearningCheck.Verdict> v = learning.getOrDefault(model.replace(Reproduction.TTA, ""), List.of());
        if (v.isEmpty()) {
            return "n/a";
        }
        long ok = v.stream().filter(LearningCheck.Verdict::learned).count();
        String text = ok + "/" + v.size();
        return ok == v.size() ? text : "**" + text + "**";
    }

    private static List<Reproduction.Row> present(List<Reproduction.Row> rows, Map<String, List<Prediction>> byModel) {
        return rows.stream().filter(r -> byModel.containsKey(r.model())).toList();
    }

    /** Where DG-Quantum stands among Table 1's models by AUC on the unseen centers (none before it is trained). */
    static List<String> ranking(List<Reproduction.Row> table1, EvaluationReport pooled) {
        List<Reproduction.Row> ranked = table1.stream().filter(r -> pooled.model(r.model()).overall()
                .get(Metric.AUC).defined()).sorted(java.util.Comparator.comparingDouble(
                (Reproduction.Row r) -> pooled.model(r.model()).overall().get(Metric.AUC).value()).reversed()).toList();
        int place = ranked.stream().map(Reproduction.Row::model).toList().indexOf(Reproduction.REFERENCE);
        if (place < 0 || ranked.size() < 2) {
            return List.of();
        }
        Reproduction.Row best = ranked.get(0);
        String auc = pooled.model(best.model()).overall().get(Metric.AUC).format();
        return List.of(place == 0
                ? String.format(Locale.ROOT, "DG-Quantum has the highest AUC of the %d models on the unseen centers,"
                        + " %s.", ranked.size(), auc)
                : String.format(Locale.ROOT, "DG-Quantum ranks %d of %d by AUC on the unseen centers (%s); the"
                        + " highest is %s's, %s.", place + 1, ranked.size(),
                        pooled.model(Reproduction.REFERENCE).overall().get(Metric.AUC).format(), best.label(), auc));
    }

    /** One sentence per comparison of {@link Reproduction#VERDICT}, and one per model that did not learn. */
    static List<String> verdict(List<PairedComparison.Result> comparisons, EvaluationReport pooled, List<String> shown,
                                Map<String, List<LearningCheck.Verdict>> learning) {
        List<String> lines = new ArrayList<>();
        for (Reproduction.Row v : Reproduction.VERDICT) {
            comparisons.stream().filter(r -> r.other().equals(v.model())).findFirst().ifPresent(r -> {
                DeLong.Result a = r.auc();
                String meaning;
                if (Double.isNaN(a.p())) {
                    meaning = "the difference is undefined";
                } else if (a.lower() > 0) {
                    meaning = "DG-Quantum is better on these images";
                } else if (a.upper() < 0) {
                    meaning = "DG-Quantum is worse on these images";
                } else {
                    meaning = "no evidence of a difference";
                }
                lines.add(String.format(Locale.ROOT, "%s: on the unseen centers, AUC %s by %+.3f [%+.3f, %+.3f]"
                        + " (DeLong p = %s): **%s**.", capitalised(v.label()),
                        a.difference() >= 0 ? "higher" : "lower", a.difference(), a.lower(), a.upper(), p(a.p()),
                        meaning));
            });
        }
        learning.forEach((name, verdicts) -> {
            List<LearningCheck.Verdict> failed = verdicts.stream().filter(v -> !v.learned()).toList();
            if (!failed.isEmpty()) {
                lines.add(String.format(Locale.ROOT, "**%s did not learn in %d of %d runs**; the first: %s", name,
                        failed.size(), verdicts.size(), failed.get(0).reason().replaceFirst("^did not learn: ", "")));
            }
        });
        for (String m : shown) {
            Estimate auc = pooled.model(m).overall().get(Metric.AUC);
            if (auc.defined() && !Double.isNaN(auc.lower()) && auc.lower() <= 0.5) {
                lines.add(String.format(Locale.ROOT, "**%s did not learn a usable ranking**: its AUC interval %s"
                        + " on the unseen centers contains 0.5 (chance); its other figures are not a result.", label(m),
                        auc.format()));
            }
        }
        return lines;
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String p(double p) {
        if (Double.isNaN(p)) {
            return "n/a";
        }
        return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    private static String diff(Estimate e) {
        if (!e.defined()) {
            return "n/a";
        }
        return Double.isNaN(e.lower()) ? String.format(Locale.ROOT, "%+.3f", e.value())
                : String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", e.value(), e.lower(), e.upper());
    }

    private static ReportPage page(SweepDir sweep, SweepReport.Collected c, EvaluationReport pooled,
                                   Map<String, Map<Long, ModelMetrics>> perSeed, List<Reproduction.Row> table1,
                                   List<Reproduction.Row> ablations, List<PairedComparison.Result> comparisons,
                                   Map<String, Estimate> spread, Map<String, Estimate> spreadDifference,
                                   List<String> verdict, List<Path> figures, String reproduce, String command,
                                   String version, EvaluationOptions o,
                                   Map<String, List<LearningCheck.Verdict>> learning) {
        ReportPage page = new ReportPage("DG-Quantum reproduction");
        TreeSet<Long> seeds = new TreeSet<>();
        TreeSet<String> centers = new TreeSet<>();
        c.predictions().forEach(p -> {
            seeds.add(p.seed());
            centers.add(p.domain());
        });
        var first = sweep.runs().get(0).config();
        boolean leaveOneOut = sweep.runs().stream().map(r -> r.config().testCenters()).distinct().count() > 1;
        page.paragraph(String.format(Locale.ROOT, "**%d of %d runs finished**%s. Data `%s`, %s %s, seeds %s;"
                        + " intervals are %d%% stratified bootstrap percentile intervals (%d resamples, seed %d) over the"
                        + " seeds' pooled test images.", c.finished(), c.runs(),
                c.missing().isEmpty() ? "" : " (this report covers the finished ones; the missing are listed at the end)",
                first.data(), leaveOneOut ? "leave-one-center-out (each center held out in turn, predicted by the"
                        + " models trained on the others):" : "unseen centers", String.join(", ", centers), seeds, Math.round(o.confidence() * 100), o.resamples(), o.seed()));

        page.heading(1, "Verdict");
        page.bullets(verdict.isEmpty() ? List.of("No comparison yet: DG-Quantum's runs are not finished.") : verdict);

        page.heading(1, "Table 1: the five models on the unseen centers");
        List<String> header = new ArrayList<>(List.of("Model", "Seeds", "n"));
        TABLE1_METRICS.forEach(m -> header.add(m == Metric.SENSITIVITY ? "Recall = Sensitivity" : m.label()));
        List<String> learnedHeader = new ArrayList<>(header);
        learnedHeader.add("Learned (runs)");
        page.table(learnedHeader, learnedColumn(rows(table1, pooled, perSeed, TABLE1_METRICS, false), table1, learning),
                "DG-Quantum is the dgquantum run with test-time adaptation (the paper's method); the other models"
                        + " without it, as in the paper. Each cell: pooled estimate [interval]. Learned: runs whose"
                        + " training did not stay at chance (docs/trainer.md, \"When a model does not learn\").");
        page.table(header, rows(table1, pooled, perSeed, TABLE1_METRICS, true),
                "The same, as mean ± sd across seeds of the per-seed values.");
        List<String> extra = new ArrayList<>(List.of("Model", "Seeds", "n"));
        EXTRA_METRICS.forEach(m -> extra.add(m.label()));
        List<Reproduction.Row> all = new ArrayList<>(table1);
        ablations.stream().filter(r -> all.stream().noneMatch(t -> t.model().equals(r.model()))).forEach(all::add);
        page.table(extra, rows(all, pooled, perSeed, EXTRA_METRICS, false),
                "Calibration (ECE, lower is better) and screening (sensitivity at 90% specificity).");

        page.heading(1, "Ablations and the classical control");
        List<String> ah = new ArrayList<>(List.of("Variant", "Seeds", "n"));
        TABLE1_METRICS.forEach(m -> ah.add(m == Metric.SENSITIVITY ? "Recall = Sensitivity" : m.label()));
        ah.add("Learned (runs)");
        page.table(ah, learnedColumn(rows(ablations, pooled, perSeed, TABLE1_METRICS, false), ablations, learning),
                "Each variant removes one part of DG-Quantum (all with test-time adaptation except the row without"
                        + " it). The classical control keeps the layer's parameter count and shapes and replaces only"
                        + " the circuit.");

        page.heading(1, "Statistics: DG-Quantum against every other row, on the same images");
        List<String> sh = new ArrayList<>(List.of("Against", "Pairs", "ΔAUC [95% CI]", "DeLong p"));
        PAIRED_METRICS.forEach(m -> {
            sh.add("Δ" + m.label());
            sh.add("p");
        });
        sh.add("ΔVar(acc. per center)");
        List<List<String>> srows = new ArrayList<>();
        for (PairedComparison.Result r : comparisons) {
            List<String> row = new ArrayList<>(List.of(label(r.other()), Integer.toString(r.pairs()),
                    String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", r.auc().difference(), r.auc().lower(),
                            r.auc().upper()), p(r.auc().p())));
            for (Metric m : PAIRED_METRICS) {
                row.add(diff(r.differences().get(m)));
                row.add(p(r.p().getOrDefault(m, Double.NaN)));
            }
            row.add(diff(spreadDifference.get(r.other())));
            srows.add(row);
        }
        page.table(sh, srows, "Δ = DG-Quantum minus the other model, on the images both predicted (paired by seed and"
                + " image). AUC: DeLong's test; the other metrics: paired stratified bootstrap with its two-sided p."
                + " No correction for the number of comparisons: read p-values near 0.05 with care.");

        page.heading(1, "Per unseen center");
        List<String> dh = new ArrayList<>(List.of("Model / center", "n", "Accuracy", "AUC", "Sensitivity",
                "Specificity", "ECE"));
        List<List<String>> drows = new ArrayList<>();
        for (String m : spread.keySet()) {
            for (GroupMetrics g : pooled.model(m).domains()) {
                drows.add(List.of(label(m) + " / " + g.domain(), Integer.toString(g.samples()),
                        g.get(Metric.ACCURACY).format(), g.get(Metric.AUC).format(), g.get(Metric.SENSITIVITY).format(),
                        g.get(Metric.SPECIFICITY).format(), g.get(Metric.ECE).format()));
            }
        }
        page.table(dh, drows, "A model whose pooled AUC is good but whose accuracy is near 0.5 at every center is"
                + " ranking well and thresholding badly: each center shifts its scores to one side of 0.5.");
        List<List<String>> vrows = new ArrayList<>();
        spread.forEach((m, e) -> vrows.add(List.of(label(m), variance(e))));
        page.table(List.of("Model", "Variance of accuracy across centers [95% CI]"), vrows,
                "The paper's claim is a lower variance for DG-Quantum; the statistics table gives the paired difference.");

        page.heading(1, "Figures");
        String[] captions = {"Figure 1: confusion matrices on the unseen centers.",
            "Figure 2: metrics with bootstrap 95% intervals.", "Figure 3: multi-metric comparison with shaded intervals.",
            "Figure 4: bootstrap distributions.", "Figure 5: ROC curves with bootstrap bands."};
        for (int i = 0; i < figures.size(); i++) {
            page.figure(figures.get(i), i < captions.length ? captions[i] : figures.get(i).getFileName().toString());
        }

        page.heading(1, "Reproduce");
        page.code((reproduce != null ? reproduce : "# (the dgq reproduce command line was not recorded)")
                + "\n\n# " + version + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " processors\n# this page: " + command + ", "
                + Instant.now() + "\n# runs, logs and every run's config.json: " + sweep.dir()
                + "\n# recompute the page from the runs' predictions: dgq report " + sweep.dir());
        if (!c.missing().isEmpty()) {
            page.heading(1, "Missing runs");
            page.bullets(c.missing());
        }
        return page;
    }

    private static List<List<String>> learnedColumn(List<List<String>> rows, List<Reproduction.Row> models,
                                                    Map<String, List<LearningCheck.Verdict>> learning) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            List<String> r = new ArrayList<>(rows.get(i));
            r.add(learned(models.get(i).model(), learning));
            out.add(r);
        }
        return out;
    }

    private static String variance(Estimate e) {
        if (!e.defined()) {
            return "n/a" + (e.note() == null ? "" : " (" + e.note() + ")");
        }
        return Double.isNaN(e.lower()) ? String.format(Locale.ROOT, "%.4f", e.value())
                : String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", e.value(), e.lower(), e.upper());
    }

    /** The report's name of a model: its table label where it has one, else its own name. */
    static String label(String model) {
        for (List<Reproduction.Row> rows : List.of(Reproduction.TABLE1, Reproduction.ABLATIONS,
                Reproduction.LIKE_FOR_LIKE)) {
            for (Reproduction.Row r : rows) {
                if (r.model().equals(model) && !model.equals(Reproduction.REFERENCE)) {
                    return r.label() + " (" + model + ")";
                }
            }
        }
        return model.equals(Reproduction.REFERENCE) ? "DG-Quantum (" + model + ")" : model;
    }

    private static List<List<String>> rows(List<Reproduction.Row> rows, EvaluationReport pooled,
                                           Map<String, Map<Long, ModelMetrics>> perSeed, List<Metric> metrics,
                                           boolean acrossSeeds) {
        List<List<String>> out = new ArrayList<>();
        for (Reproduction.Row r : rows) {
            ModelMetrics m = pooled.model(r.model());
            Map<Long, ModelMetrics> seeds = perSeed.get(r.model());
            List<String> row = new ArrayList<>(List.of(r.label(), Integer.toString(seeds.size()),
                    Integer.toString(m.overall().samples())));
            for (Metric metric : metrics) {
                row.add(acrossSeeds ? SweepReport.across(seeds, GroupMetrics.ALL, metric).format()
                        : m.overall().get(metric).format());
            }
            out.add(row);
        }
        return out;
    }

    private static ObjectNode comparisonsJson(List<PairedComparison.Result> comparisons,
                                              Map<String, Estimate> spreadDifference) {
        ObjectNode root = SweepDir.JSON.createObjectNode();
        root.put("reference", Reproduction.REFERENCE);
        root.put("difference", "reference minus other, on the images both predicted (paired by seed and id)");
        ObjectNode against = root.putObject("against");
        for (PairedComparison.Result r : comparisons) {
            ObjectNode n = against.putObject(r.other());
            n.put("pairs", r.pairs());
            ObjectNode a = n.putObject("auc_delong");
            SweepReport.num(a, "difference", r.auc().difference());
            SweepReport.num(a, "lower", r.auc().lower());
            SweepReport.num(a, "upper", r.auc().upper());
            SweepReport.num(a, "se", r.auc().standardError());
            SweepReport.num(a, "z", r.auc().z());
            SweepReport.num(a, "p", r.auc().p());
            ObjectNode b = n.putObject("paired_bootstrap");
            r.differences().forEach((m, e) -> {
                ObjectNode x = b.putObject(m.key());
                SweepReport.num(x, "difference", e.value());
                SweepReport.num(x, "lower", e.lower());
                SweepReport.num(x, "upper", e.upper());
                SweepReport.num(x, "p", r.p().getOrDefault(m, Double.NaN));
            });
            Estimate s = spreadDifference.get(r.other());
            if (s != null) {
                ObjectNode x = n.putObject("accuracy_variance_across_centers");
                SweepReport.num(x, "difference", s.value());
                SweepReport.num(x, "lower", s.lower());
                SweepReport.num(x, "upper", s.upper());
            }
        }
        return root;
    }

    private static ObjectNode spreadJson(Map<String, Estimate> spread) {
        ObjectNode root = SweepDir.JSON.createObjectNode();
        root.put("statistic", "population variance across unseen centers of the per-center accuracy, bootstrap interval");
        spread.forEach((m, e) -> {
            ObjectNode x = root.putObject(m);
            SweepReport.num(x, "variance", e.value());
            SweepReport.num(x, "lower", e.lower());
            SweepReport.num(x, "upper", e.upper());
            if (e.note() != null) {
                x.put("note", e.note());
            }
        });
        return root;
    }
}
