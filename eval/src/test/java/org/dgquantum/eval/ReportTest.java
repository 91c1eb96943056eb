package org.dgquantum.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    private static final EvaluationOptions OPT = EvaluationOptions.defaults().withResamples(200).withSeed(3);

    @TempDir
    Path dir;

    private static List<Prediction> twoModelsWithOneClassDomain() {
        List<Prediction> ps = new ArrayList<>(TestData.predictions("dgquantum", List.of("center-4", "center-5"), 60, 1.2, 1, 3));
        ps.addAll(TestData.predictions("mobilenetv2", List.of("center-4", "center-5"), 60, 0.6, 2, 3));
        for (int i = 0; i < 10; i++) ps.add(Prediction.of("p" + i, "positives-only", 1, 0.3 + 0.05 * i, "mobilenetv2", 2));
        return ps;
    }

    @Test
    void metricsJsonHasEveryMetricPerModelAndDomain() throws IOException {
        EvaluationReport r = Evaluation.evaluate(twoModelsWithOneClassDomain(), OPT);
        Path f = dir.resolve("metrics.json");
        r.writeJson(f);
        JsonNode root = new ObjectMapper().readTree(f.toFile());
        assertEquals(EvaluationReport.FORMAT, root.get("format").asText());
        assertEquals(200, root.at("/bootstrap/resamples").asInt());
        assertEquals(3, root.at("/bootstrap/seed").asLong());
        assertEquals(0.95, root.at("/bootstrap/confidence").asDouble());
        assertTrue(root.at("/bootstrap/stratified").asBoolean());
        assertEquals(List.of("dgquantum", "mobilenetv2"), names(root.get("models")));
        assertEquals(List.of("center-4", "center-5"), names(root.at("/models/dgquantum/domains")));
        assertEquals(List.of("center-4", "center-5", "positives-only"), names(root.at("/models/mobilenetv2/domains")));
        assertEquals("[42,2]", root.at("/models/mobilenetv2/seeds").toString());

        for (String model : List.of("dgquantum", "mobilenetv2")) {
            List<JsonNode> groups = new ArrayList<>();
            groups.add(root.at("/models/" + model + "/overall"));
            root.at("/models/" + model + "/domains").forEach(groups::add);
            for (JsonNode g : groups) {
                int n = g.get("samples").asInt();
                assertEquals(n, g.get("positives").asInt() + g.get("negatives").asInt());
                JsonNode c = g.get("confusion");
                assertEquals(n, c.get("tp").asInt() + c.get("fp").asInt() + c.get("tn").asInt() + c.get("fn").asInt());
                assertEquals(200, g.get("resamples").asInt());
                assertTrue(g.get("notes").isArray());
                JsonNode ms = g.get("metrics");
                assertEquals(List.of("accuracy", "auc", "sensitivity", "specificity", "precision", "balanced_accuracy", "f1",
                        "sensitivity_at_90_specificity", "ece"), names(ms));
                for (JsonNode e : ms) {
                    for (String k : List.of("estimate", "lower", "upper", "resamples")) assertTrue(e.has(k), k + " in " + e);
                    if (!e.get("estimate").isNull()) {
                        assertTrue(e.get("lower").asDouble() <= e.get("estimate").asDouble() + 1e-12, e.toString());
                        assertTrue(e.get("upper").asDouble() >= e.get("estimate").asDouble() - 1e-12, e.toString());
                    }
                }
            }
        }
        assertEquals(120, root.at("/models/dgquantum/overall/samples").asInt());
        JsonNode auc = root.at("/models/mobilenetv2/domains/positives-only/metrics/auc");
        assertTrue(auc.get("estimate").isNull(), auc.toString());
        assertTrue(auc.get("lower").isNull());
        assertTrue(auc.get("note").asText().contains("both classes"));
        assertFalse(root.at("/models/mobilenetv2/domains/positives-only/notes").isEmpty());
        assertTrue(root.at("/models/mobilenetv2/domains/positives-only/metrics/sensitivity/estimate").isNumber());
    }

    @Test
    void summaryTableHasOneLinePerModel() {
        EvaluationReport r = Evaluation.evaluate(twoModelsWithOneClassDomain(), OPT);
        String table = r.summaryTable();
        List<String> lines = table.lines().toList();
        assertEquals(2 + 2, lines.size(), table);
        assertTrue(lines.get(0).startsWith("95% CI: stratified percentile bootstrap, 200 resamples, seed 3"), table);
        assertTrue(lines.get(1).matches("model\\s+n\\s+Accuracy\\s+AUC\\s+Sensitivity\\s+Specificity"), table);
        String ci = "\\d\\.\\d\\d \\[\\d\\.\\d\\d, \\d\\.\\d\\d\\]";
        assertTrue(lines.get(2).matches("dgquantum\\s+120(\\s+" + ci + "){4}"), lines.get(2));
        assertTrue(lines.get(3).matches("mobilenetv2\\s+130(\\s+" + ci + "){4}"), lines.get(3));
        String expected = r.model("dgquantum").overall().get(Metric.AUC).format();
        assertTrue(lines.get(2).contains(expected));

        String domains = r.domainTable();
        assertTrue(domains.contains("mobilenetv2 / positives-only"), domains);
        assertTrue(domains.lines().filter(l -> l.contains("positives-only")).findFirst().orElseThrow().contains("n/a"), domains);
        assertEquals(2 + 3 + 4, domains.lines().count(), domains);
    }

    @Test
    void writeRunWritesPredictionsMetricsAndPlots() throws IOException {
        List<Prediction> ps = twoModelsWithOneClassDomain();
        Path run = dir.resolve("run");
        EvaluationReport r = Evaluation.writeRun(run, ps, OPT.withResamples(50));
        assertEquals(ps, PredictionsCsv.read(run.resolve("predictions.csv")));
        JsonNode root = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        assertEquals(50, root.at("/bootstrap/resamples").asInt());
        try (Stream<Path> files = Files.list(run.resolve("plots"))) {
            assertEquals(7, files.filter(p -> p.toString().endsWith(".png")).count());
        }
        try (Stream<Path> files = Files.list(run)) {
            assertEquals(List.of("metrics.json", "plots", "predictions.csv"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files");
        }
        // evaluateRun on the written directory gives the same report
        EvaluationReport again = Evaluation.evaluateRun(run, OPT.withResamples(50));
        assertEquals(r.toJsonString(), again.toJsonString());
    }

    private static List<String> names(JsonNode obj) {
        List<String> out = new ArrayList<>();
        obj.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
