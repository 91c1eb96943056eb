package org.dgquantum.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Size parsing, the text table and the JSON report (no timing). */
class BenchReportTest {

    @Test
    void parsesSizes() {
        assertEquals(new BenchSize(8, 4096), BenchSize.parse(" 8X4096 "));
        assertEquals("12x16", BenchSize.parse("12x16").toString());
        List<BenchSize> defaults = List.of(new BenchSize(8, 256), new BenchSize(8, 4096), new BenchSize(12, 16));
        assertEquals(List.of(new BenchSize(8, 256), new BenchSize(8, 4096), new BenchSize(5, 256), new BenchSize(12, 64)),
                BenchSize.parseList("8, 5, 12x64, 8x256", defaults));
        for (String bad : List.of("8x", "x8", "8x8x8", "ax4", "0x4", "8x0", "")) {
            assertThrows(IllegalArgumentException.class, () -> BenchSize.parse(bad), bad);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchSize.parseList("8,,4", defaults));
        assertTrue(e.getMessage().contains("empty entry"), e.getMessage());
    }

    @Test
    void plansUseMethodDefaultsAndValidate() {
        BenchPlan plan = BenchPlan.parse("java", "forward,ps", "12", "both", "1,1,2", 4, false, null, null, null, null, 1);
        List<BenchPlan.Job> jobs = plan.jobs(List.of("java", "native"));
        assertEquals(4, jobs.size());
        assertEquals(List.of(new BenchSize(12, 256)), jobs.get(0).sizes());
        assertEquals("parameterShift", jobs.get(1).method());
        assertEquals(List.of(new BenchSize(12, 16)), jobs.get(1).sizes());
        assertEquals(List.of("1", "2"), jobs.get(0).threads());
        assertEquals(List.of("default"), jobs.get(2).threads());
        assertEquals(List.of("float32", "float64"), jobs.get(0).precisions());
        assertEquals(2 * 2, jobs.get(0).configurations());
        assertEquals(List.of(3, 5, 500), List.of(plan.warmup(), plan.iterations(), plan.timeMs()));
        BenchPlan quick = BenchPlan.parse("all", "forward", null, "float32", "1", 4, true, 0, null, null, null, 1);
        assertEquals(BenchPlan.QUICK_SIZES, quick.jobs(List.of("java")).get(0).sizes());
        assertEquals(List.of(1, 3, 300), List.of(quick.warmup(), quick.iterations(), quick.timeMs()));

        for (String[] bad : new String[][] {{"java", "backward", "1"}, {"annealer", "forward", "1"}, {"java", "forward", "0"}}) {
            assertThrows(IllegalArgumentException.class, () -> BenchPlan.parse(bad[0], bad[1], null, "float32", "1", 4,
                    false, null, null, null, null, Integer.parseInt(bad[2])), String.join(" ", bad));
        }
    }

    @Test
    void forkFlagsKeepHostFlagsOnceEach() {
        List<String> host = List.of("-Xmx2g", "--add-modules", "jdk.incubator.vector", "--add-modules", "java.sql",
                "--enable-native-access=ALL-UNNAMED");
        assertEquals(List.of("--sun-misc-unsafe-memory-access=allow"), BenchRun.forkJvmArgsAppend(host, true));
        assertEquals(List.of("--sun-misc-unsafe-memory-access=allow", "--add-modules=jdk.incubator.vector"),
                BenchRun.forkJvmArgsAppend(host, false));
        assertEquals(List.of(), BenchRun.forkJvmArgsAppend(List.of("--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow"), true));
    }

    private static BenchReport sample() {
        List<BenchResult> rs = List.of(
                new BenchResult("java", "adjoint", 8, 4, 4096, "float32", 1, 40.0, 39, 41, 5, 1.0),
                new BenchResult("java", "forward", 8, 4, 4096, "float32", 2, 5.5, 5, 6, 5, 1.9),
                new BenchResult("java", "forward", 8, 4, 4096, "float32", 1, 10.0, 9, 11, 5, 1.05),
                new BenchResult("java", "adjoint", 8, 4, 4096, "float32", 2, 20.0, 19, 21, 5, 1.5),
                new BenchResult("cuda", "forward", 8, 4, 4096, "float32", 0, 0.055, 0.05, 0.06, 5, Double.NaN));
        return new BenchReport(rs, Map.of("cores", 2), Map.of("forks", 1));
    }

    @Test
    void tableHasSpeedupsRatiosAndTargets() {
        String t = sample().table();
        String[] lines = t.split("\n");
        assertTrue(lines[1].startsWith("method"), t);
        assertTrue(lines[1].contains("java 1 thread") && lines[1].contains("java 2 threads")
                && lines[1].contains("speed-up") && lines[1].contains("CPUs got (1T/2T)") && lines[1].contains("cuda vs java"), t);
        // forward sorts before adjoint; 10 / 5.5 = 1.82x; cuda is 100x java's 2 threads.
        assertTrue(lines[2].matches("forward\\s+8\\s+4\\s+4096\\s+float32\\s+10\\.00\\s+5\\.50\\s+1\\.82x\\s+1\\.05/1\\.90\\s+0\\.055\\s+100\\.00x"),
                lines[2]);
        assertTrue(lines[3].matches("adjoint\\s+8\\s+4\\s+4096\\s+float32\\s+40\\.00\\s+20\\.00\\s+2\\.00x\\s+1\\.00/1\\.50\\s+-\\s+-"), lines[3]);
        assertTrue(t.contains("forward n=8 L=4 B=4096 float32 1 thread: 10.00 us/sample (target <= 20): reached"), t);
        assertTrue(t.contains("adjoint / forward n=8 L=4 B=4096 float32 1 thread: 4.00x (target <= 5x): reached"), t);
        assertTrue(t.contains("forward n=8 B=4096 float32: 2 threads / 1 thread = 1.82x (target >= 1.80x): reached"), t);
        assertFalse(t.contains("NOT"), t);
    }

    @Test
    void markdownHasOneRowPerConfiguration() {
        String md = sample().markdown();
        String[] lines = md.split("\n");
        assertEquals(4, lines.length, md);
        assertEquals("| method | n | L | B | precision | java 1T median | java 1T min | java 2T median | java 2T min | speed-up"
                + " | speed-up (min) | CPUs got 1T / 2T | cuda median | cuda vs java |", lines[0]);
        assertEquals("| forward | 8 | 4 | 4096 | float32 | 10.00 | 9.00 | 5.50 | 5.00 | 1.82x | 1.80x | 1.05 / 1.90 | 0.055 | 100.00x |",
                lines[2]);
        assertTrue(sample().markdownReport().contains("- forward n=8 L=4 B=4096 float32 1 thread: 10.00 us/sample"));
    }

    @Test
    void writesJsonAtomically(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/bench.json");
        sample().writeJson(file);
        sample().writeJson(file); // replacing an existing report works too
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file.getFileName().toString()),
                    files.map(p -> p.getFileName().toString()).toList(), "no temporary file left behind");
        }
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertEquals("microseconds per sample", root.get("unit").asText());
        assertEquals(5, root.get("results").size());
        JsonNode first = root.get("results").get(0);
        assertEquals("forward", first.get("method").asText());
        assertEquals(1, first.get("threads").asInt());
        assertEquals(10.0, first.get("usPerSample").asDouble());
        assertEquals(40.96, first.get("msPerCall").asDouble(), 1e-9);
        JsonNode cuda = root.get("results").get(2);
        assertTrue(cuda.get("threads").isNull());
        assertEquals(100.0, cuda.get("speedVsJava").asDouble(), 1e-9);
        assertEquals(1.05, first.get("cpusUsed").asDouble(), 1e-9);
        assertTrue(cuda.path("cpusUsed").isMissingNode(), "no CPU figure when unknown");
        assertEquals(2, root.get("threadSpeedups").size());
        assertEquals(1.8182, root.get("threadSpeedups").get(0).get("speedup").asDouble(), 1e-9);
        assertEquals(2, root.get("machine").get("cores").asInt());

        BenchReport back = BenchReport.readJson(file);
        assertEquals(sample().table(), back.table(), "a report read back renders the same table");
        assertEquals(sample().results(), back.results());
    }
}
