package org.dgquantum.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.dgquantum.eval.Evaluation;
import org.dgquantum.eval.EvaluationOptions;
import org.dgquantum.eval.EvaluationReport;
import org.dgquantum.eval.Metric;
import org.dgquantum.eval.PaperFigures;
import org.dgquantum.eval.PredictionsCsv;
import org.dgquantum.sweeps.ReproduceReport;
import org.dgquantum.sweeps.Reproduction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dgq reproduce --quick} end to end (one seed, 9 tiny runs in 2 workers): the report page with every table
 * cell filled, the five figures, and numbers that a recomputation from predictions.csv gives again; bad options
 * and unknown centers refused before anything runs.
 */
class ReproduceCommandTest {
    @TempDir
    Path dir;

    @Test
    void quickReproductionWritesTheTablesFiguresAndAReportThatPredictionsCsvRecomputes() throws IOException {
        Path out = dir.resolve("repro");
        CircuitCommandTest.Run r = CircuitCommandTest.dgq("reproduce", "--quick", "--seeds", "1", "--workers", "2",
                "--resamples", "200", "--out", out.toString());
        assertEquals(0, r.exit(), r.stdout() + r.stderr() + SweepExecutorTest.logs(out));
        assertTrue(r.stdout().contains("verdict:"), r.stdout());
        assertTrue(r.stdout().contains("9 of 9 runs"), r.stdout());

        String md = Files.readString(out.resolve(ReproduceReport.MARKDOWN));
        for (Reproduction.Row row : Reproduction.TABLE1) {
            assertTrue(md.contains("| " + row.label() + " | 1 |"), row.label() + " missing from Table 1:\n" + md);
        }
        for (Reproduction.Row row : Reproduction.ABLATIONS) {
            assertTrue(md.contains("| " + row.label() + " | 1 |"), row.label() + " missing from the ablations:\n" + md);
        }
        // every cell of every table filled: no empty cell
        for (String line : md.lines().filter(l -> l.startsWith("| ")).toList()) {
            assertFalse(line.contains("|  |") || line.contains("| |"), "empty cell: " + line);
        }
        assertTrue(md.contains("## Verdict") && md.contains("quantum circuit against a classical layer"), md);
        assertTrue(md.contains("dgq reproduce --quick --seeds 1"), "the command to reproduce it:\n" + md);

        for (String f : List.of(PaperFigures.CONFUSION, PaperFigures.METRICS, PaperFigures.COMPARISON, PaperFigures.BOOTSTRAP,
                PaperFigures.ROC)) {
            Path png = out.resolve(ReproduceReport.FIGURES).resolve(f);
            BufferedImage img = ImageIO.read(png.toFile());
            assertTrue(img != null && img.getWidth() > 100, f);
            assertTrue(md.contains(ReproduceReport.FIGURES + "/" + f), f + " not linked from report.md");
        }
        String html = Files.readString(out.resolve(ReproduceReport.HTML));
        assertEquals(5, html.split("src=\"data:image/png;base64,", -1).length - 1, "five embedded figures");
        assertFalse(html.contains("src=\"figures/"), "the HTML page must not depend on files beside it");

        // the report's numbers are those of a recomputation from the one predictions.csv
        var preds = PredictionsCsv.read(out.resolve(PredictionsCsv.FILE_NAME));
        assertEquals(9 * 2, preds.stream().map(p -> p.model()).distinct().count(), "9 runs, plain and +tta");
        EvaluationReport again = Evaluation.evaluate(preds, EvaluationOptions.defaults().withResamples(200));
        JsonNode json = new ObjectMapper().readTree(out.resolve(EvaluationReport.FILE_NAME).toFile());
        JsonNode written = new ObjectMapper().readTree(again.toJsonString());
        for (String model : List.of(Reproduction.REFERENCE, "mobilenetv2", "dgquantum-classical+tta")) {
            JsonNode a = find(json, model);
            JsonNode b = find(written, model);
            assertEquals(b.toString(), a.toString(), model);
            assertTrue(md.contains(again.model(model).overall().get(Metric.AUC).format()), model + "'s AUC in report.md");
        }
        assertTrue(json.at("/comparisons/against/dgquantum-classical+tta/auc_delong/p").isNumber(), json.toString());
        assertTrue(json.at("/domainSpread/mobilenetv2/variance").isNumber(), json.toString());
    }

    /** The object of {@code model} in metrics.json's "models" mapping. */
    private static JsonNode find(JsonNode metrics, String model) {
        JsonNode m = metrics.get("models").get(model);
        if (m == null) {
            throw new AssertionError(model + " not in metrics.json");
        }
        return m;
    }

    @Test
    void unknownCentersAndBadOptionsAreRefusedBeforeAnythingRuns() {
        Path out = dir.resolve("never");
        CircuitCommandTest.Run r = CircuitCommandTest.dgq("reproduce", "--quick", "--test-centers", "Z-nowhere",
                "--out", out.toString());
        assertEquals(2, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("--test-centers Z-nowhere: unknown center (expected some of "), r.stderr());
        assertFalse(Files.exists(out), "nothing written for a refused reproduction");
        r = CircuitCommandTest.dgq("reproduce", "--quick", "--executor", "lsf", "--out", out.toString());
        assertEquals(2, r.exit());
        assertTrue(r.stderr().contains("--executor lsf: expected local or slurm"), r.stderr());
        r = CircuitCommandTest.dgq("reproduce", "--quick");
        assertEquals(2, r.exit());
        assertTrue(r.stderr().contains("--out: missing"), r.stderr());
        // Slurm: the same runs as one job array (a dry run needs no Slurm and writes nothing)
        r = CircuitCommandTest.dgq("reproduce", "--quick", "--executor", "slurm", "--dry-run", "--cpus-per-task", "2",
                "--out", out.toString());
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stdout().contains("#SBATCH --array=0-17"), "9 variants x 2 quick seeds:\n" + r.stdout());
        assertTrue(r.stdout().contains("#SBATCH --cpus-per-task=2"), r.stdout());
        assertFalse(Files.exists(out), "a dry run writes nothing");
        // leave-one-center-out: 5 synthetic centers x 9 variants x 1 seed
        r = CircuitCommandTest.dgq("reproduce", "--quick", "--leave-one-center-out", "--seeds", "1", "--executor",
                "slurm", "--dry-run", "--out", out.toString());
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stdout().contains("#SBATCH --array=0-44"), r.stdout());
        r = CircuitCommandTest.dgq("reproduce", "--quick", "--leave-one-center-out", "--test-centers", "C-older",
                "--out", out.toString());
        assertEquals(2, r.exit());
        assertTrue(r.stderr().contains("--leave-one-center-out: not with --test-centers"), r.stderr());
        r = CircuitCommandTest.dgq("reproduce", "--print-spec");
        assertEquals(0, r.exit());
        assertEquals(Reproduction.specText(), r.stdout());
    }
}
