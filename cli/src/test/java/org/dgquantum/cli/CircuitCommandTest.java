package org.dgquantum.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.dgquantum.engine.conformance.ReferenceCase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Runs {@code dgq circuit} in-process against the reference cases and through every error path. */
class CircuitCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path casesFile;
    private Path out;
    private String referenceText;

    /** What one in-process run printed and returned. */
    record Run(int exit, String stdout, String stderr) {
    }

    @BeforeEach
    void copyReferenceCases() throws IOException {
        referenceText = ReferenceCase.text();
        casesFile = dir.resolve("cases.json");
        Files.writeString(casesFile, referenceText);
        out = dir.resolve("out.json");
    }

    static Run dgq(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        int exit = cl.execute(args);
        return new Run(exit, o.toString(), e.toString());
    }

    static Stream<Arguments> methodsAndPrecisions() {
        return Stream.of(
                Arguments.of("adjoint", "float64", 1e-9),
                Arguments.of("parameter-shift", "float64", 1e-9),
                Arguments.of("adjoint", "float32", 1e-4),
                Arguments.of("parameter-shift", "float32", 1e-4));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("methodsAndPrecisions")
    void matchesReferenceValues(String gradient, String precision, double tolerance) throws IOException {
        Run r = dgq("circuit", "--cases", casesFile.toString(), "--out", out.toString(),
                "--backend", "java", "--gradient", gradient, "--precision", precision);
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("", r.stderr());

        JsonNode result = JSON.readTree(out.toFile());
        assertEquals("java", result.get("backend").asText());
        assertEquals(gradient, result.get("gradient").asText());
        assertEquals(precision, result.get("precision").asText());

        JsonNode reference = JSON.readTree(referenceText).get("cases");
        JsonNode cases = result.get("cases");
        assertEquals(reference.size(), cases.size());
        assertTrue(reference.size() >= 8, "the reference file should hold every case");
        for (int i = 0; i < reference.size(); i++) {
            JsonNode ref = reference.get(i);
            JsonNode got = cases.get(i);
            String name = ref.get("name").asText();
            assertEquals(name, got.get("name").asText());
            assertEquals(4, got.size(), "fields of case " + name + ": " + got.fieldNames());
            for (String field : List.of("expectations", "inputGradients", "weightGradients")) {
                assertClose(ref.get("expected").get(field), got.get(field), tolerance, name + "." + field);
            }
        }
        assertNoTemporaryFiles();
    }

    /** Compares nested arrays: same shape, every number within tolerance. */
    private static void assertClose(JsonNode expected, JsonNode actual, double tolerance, String where) {
        assertTrue(actual != null && actual.isArray() == expected.isArray(), where + ": shape differs: " + actual);
        if (expected.isArray()) {
            assertEquals(expected.size(), actual.size(), where + ": length");
            for (int i = 0; i < expected.size(); i++) {
                assertClose(expected.get(i), actual.get(i), tolerance, where + "[" + i + "]");
            }
        } else {
            assertTrue(actual.isNumber(), where + ": not a number: " + actual);
            double err = Math.abs(expected.doubleValue() - actual.doubleValue());
            assertTrue(err <= tolerance, where + ": expected " + expected.doubleValue() + ", got "
                    + actual.doubleValue() + " (error " + err + " > " + tolerance + ")");
        }
    }

    @Test
    void defaultsToBestBackendAdjointFloat32() throws IOException {
        Run r = dgq("circuit", "--cases", casesFile.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.stderr());
        JsonNode result = JSON.readTree(out.toFile());
        assertFalse(result.get("backend").asText().isBlank());
        assertEquals("adjoint", result.get("gradient").asText());
        assertEquals("float32", result.get("precision").asText());
    }

    @Test
    void replacesAnExistingOutputFile() throws IOException {
        Files.writeString(out, "old");
        Run r = dgq("circuit", "--cases", casesFile.toString(), "--out", out.toString(), "--backend", "java");
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(JSON.readTree(out.toFile()).has("cases"));
        assertNoTemporaryFiles();
    }

    // ---- error paths: exit 2, one line naming file, case and field, no output file ----

    /** Runs on a cases file with this content and checks the failure contract. */
    private String failsWith(String content, String... fragments) throws IOException {
        Files.writeString(casesFile, content);
        return fails(new String[] {"--backend", "java"}, fragments);
    }

    private String fails(String[] extra, String... fragments) {
        List<String> args = new ArrayList<>(List.of("circuit", "--cases", casesFile.toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        Run r = dgq(args.toArray(String[]::new));
        assertEquals(2, r.exit(), "exit code; stderr: " + r.stderr());
        String err = r.stderr().strip();
        assertEquals(1, err.lines().count(), "exactly one line on stderr: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        for (String f : fragments) {
            assertTrue(err.contains(f), "stderr should contain '" + f + "': " + err);
        }
        assertFalse(Files.exists(out), "no output file may be left behind");
        assertNoTemporaryFiles();
        return err;
    }

    /** Applies an edit to the reference cases and expects the failure to name these fragments. */
    private String failsAfterEdit(Consumer<ArrayNode> edit, String... fragments) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(referenceText);
        edit.accept((ArrayNode) root.get("cases"));
        return failsWith(JSON.writeValueAsString(root), fragments);
    }

    private static ObjectNode c(ArrayNode cases, int i) {
        return (ObjectNode) cases.get(i);
    }

    private void assertNoTemporaryFiles() {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> tmp = files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            assertEquals(List.of(), tmp, "temporary files left behind");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void badJson() throws IOException {
        String err = failsWith("{\"cases\": [ {\"name\": \"a\", ", "not valid JSON", "line 1");
        assertTrue(err.contains(casesFile.toString()), err);
    }

    @Test
    void trailingGarbageIsBadJson() throws IOException {
        failsWith(referenceText + "\n}", "not valid JSON");
    }

    @Test
    void duplicateKeyIsBadJson() throws IOException {
        failsWith("{\"cases\": [], \"cases\": []}", "not valid JSON", "cases");
    }

    @Test
    void emptyFile() throws IOException {
        failsWith("", casesFile.toString(), "empty");
    }

    @Test
    void missingFile() throws IOException {
        Files.delete(casesFile);
        fails(new String[0], casesFile.toString(), "no such file");
    }

    @Test
    void notAnObject() throws IOException {
        failsWith("[1, 2]", "expected a JSON object");
    }

    @Test
    void missingCases() throws IOException {
        failsWith("{\"convention\": {}}", "cases: missing");
    }

    @Test
    void emptyCases() throws IOException {
        failsWith("{\"cases\": []}", "cases: empty");
    }

    @Test
    void missingField() throws IOException {
        for (String field : List.of("qubits", "layers", "encoding", "rotations", "entangler", "inputs", "weights", "upstream")) {
            Files.deleteIfExists(out);
            failsAfterEdit(cs -> c(cs, 3).remove(field), casesFile.toString(), "case 3 'case3_n3_L2_RY_RY-RZ_ring'",
                    field + ": missing");
        }
    }

    @Test
    void missingName() throws IOException {
        failsAfterEdit(cs -> c(cs, 2).remove("name"), "case 2", "name: missing");
    }

    @Test
    void raggedInputs() throws IOException {
        failsAfterEdit(cs -> ((ArrayNode) c(cs, 3).get("inputs").get(1)).remove(0),
                "case 3 'case3_n3_L2_RY_RY-RZ_ring'", "inputs[1]", "2 values, expected 3");
    }

    @Test
    void raggedUpstream() throws IOException {
        failsAfterEdit(cs -> ((ArrayNode) c(cs, 4).get("upstream").get(2)).add(0.5),
                "case 4 'case4_n4_L3_RY_RY-RZ_linear'", "upstream[2]", "5 values, expected 4");
    }

    @Test
    void upstreamRowCountDiffersFromInputs() throws IOException {
        failsAfterEdit(cs -> ((ArrayNode) c(cs, 1).get("upstream")).remove(0),
                "case 1 'case1_n2_L1_RY_RY_ring'", "upstream", "2 rows, expected 3");
    }

    @Test
    void emptyBatch() throws IOException {
        failsAfterEdit(cs -> {
            c(cs, 0).putArray("inputs");
            c(cs, 0).putArray("upstream");
        }, "case 0", "inputs", "empty");
    }

    @Test
    void wrongWeightsShape() throws IOException {
        // [L][n][k] = [2][3][2] in case 3: too few layers, too few qubit rows, too few rotations.
        failsAfterEdit(cs -> ((ArrayNode) c(cs, 3).get("weights")).remove(1),
                "case 3 'case3_n3_L2_RY_RY-RZ_ring'", "weights", "1 layers, expected 2");
        Files.deleteIfExists(out);
        failsAfterEdit(cs -> ((ArrayNode) c(cs, 3).get("weights").get(1)).remove(2),
                "case 3", "weights[1]", "2 qubit rows, expected 3");
        Files.deleteIfExists(out);
        failsAfterEdit(cs -> ((ArrayNode) c(cs, 3).get("weights").get(0).get(2)).remove(1),
                "case 3", "weights[0][2]", "1 values, expected 2");
        Files.deleteIfExists(out);
        failsAfterEdit(cs -> c(cs, 3).put("weights", 1.5), "case 3", "weights", "expected an array");
    }

    @Test
    void unknownGate() throws IOException {
        failsAfterEdit(cs -> ((ArrayNode) c(cs, 2).get("rotations")).set(1, "RQ"),
                "case 2 'case2_n2_L2_RX_RX-RY-RZ_ring'", "rotations[1]", "unknown gate 'RQ'");
        Files.deleteIfExists(out);
        failsAfterEdit(cs -> c(cs, 2).put("encoding", "H"), "case 2", "encoding", "unknown gate 'H'");
    }

    @Test
    void unknownEntangler() throws IOException {
        failsAfterEdit(cs -> c(cs, 5).put("entangler", "star"), "case 5", "entangler", "unknown entangler 'star'");
    }

    @Test
    void emptyRotations() throws IOException {
        failsAfterEdit(cs -> c(cs, 5).putArray("rotations"), "case 5", "rotations", "empty");
    }

    @Test
    void nanValue() throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(referenceText);
        ((ArrayNode) root.get("cases").get(6).get("inputs").get(1)).set(4, 123456.75);
        String text = JSON.writeValueAsString(root).replace("123456.75", "NaN");
        failsWith(text, "case 6 'case6_n6_L3_RY_RY-RZ_ring'", "inputs[1][4]", "NaN", "finite");
    }

    @Test
    void infiniteValues() throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(referenceText);
        ((ArrayNode) root.get("cases").get(1).get("weights").get(0).get(1)).set(0, 123456.75);
        failsWith(JSON.writeValueAsString(root).replace("123456.75", "-Infinity"),
                "case 1", "weights[0][1][0]", "-Infinity", "finite");
        Files.deleteIfExists(out);
        failsWith(JSON.writeValueAsString(root).replace("123456.75", "1e400"),
                "case 1", "weights[0][1][0]", "finite");
    }

    @Test
    void float32Overflow() throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(referenceText);
        ((ArrayNode) root.get("cases").get(1).get("upstream").get(0)).set(1, 1e300);
        Files.writeString(casesFile, JSON.writeValueAsString(root));
        fails(new String[] {"--precision", "float32"}, "case 1", "upstream[0][1]", "float32");
    }

    @Test
    void nonNumericValues() throws IOException {
        failsAfterEdit(cs -> ((ArrayNode) c(cs, 0).get("inputs").get(2)).set(0, "0.5"),
                "case 0", "inputs[2][0]", "expected a number", "string");
        Files.deleteIfExists(out);
        failsAfterEdit(cs -> ((ArrayNode) c(cs, 0).get("upstream").get(0)).set(0, true),
                "case 0", "upstream[0][0]", "expected a number");
        Files.deleteIfExists(out);
        failsAfterEdit(cs -> c(cs, 0).put("qubits", "1"), "case 0", "qubits", "expected an integer");
        Files.deleteIfExists(out);
        failsAfterEdit(cs -> c(cs, 0).put("layers", 1.5), "case 0", "layers", "expected an integer");
    }

    @Test
    void qubitsOutOfRange() throws IOException {
        failsAfterEdit(cs -> c(cs, 0).put("qubits", 0), "case 0", "qubits", "out of range");
        Files.deleteIfExists(out);
        failsAfterEdit(cs -> c(cs, 0).put("qubits", 31), "case 0", "qubits", "out of range");
        Files.deleteIfExists(out);
        failsAfterEdit(cs -> c(cs, 0).put("qubits", 10_000_000_000L), "case 0", "qubits", "out of range");
    }

    @Test
    void qubitsBeyondTheBackendsLimit() throws IOException {
        // 25 qubits is a valid circuit but more than the Java backend simulates; fails before any work.
        ObjectNode root = JSON.createObjectNode();
        ObjectNode c = root.putArray("cases").addObject();
        c.put("name", "big").put("qubits", 25).put("layers", 0).put("encoding", "RY").put("entangler", "none");
        c.putArray("rotations").add("RY");
        ArrayNode row = c.putArray("inputs").addArray();
        ArrayNode g = c.putArray("upstream").addArray();
        for (int q = 0; q < 25; q++) {
            row.add(0.1);
            g.add(1.0);
        }
        c.putArray("weights");
        failsWith(JSON.writeValueAsString(root), "case 0 'big'", "qubits", "25", "java backend");
    }

    @Test
    void unknownBackend() throws IOException {
        fails(new String[] {"--backend", "quantum-annealer"}, "quantum-annealer", "not installed");
    }

    @Test
    void forcedUnavailableBackend() throws IOException {
        fails(new String[] {"--backend", "unavailable-test"}, "unavailable-test", "unavailable",
                UnavailableTestProvider.REASON);
    }

    @Test
    void badOptions() throws IOException {
        fails(new String[] {"--gradient", "finite-difference"}, "--gradient", "finite-difference");
        fails(new String[] {"--precision", "float16"}, "--precision", "float16");
        fails(new String[] {"--no-such-option"}, "--no-such-option");
    }

    @Test
    void missingRequiredOptions() {
        Run r = dgq("circuit", "--out", out.toString());
        assertEquals(2, r.exit());
        assertTrue(r.stderr().contains("--cases"), r.stderr());
        r = dgq("circuit", "--cases", casesFile.toString());
        assertEquals(2, r.exit());
        assertTrue(r.stderr().contains("--out"), r.stderr());
    }

    @Test
    void outputDirectoryMissing() {
        Path nowhere = dir.resolve("no/such/dir/out.json");
        Run r = dgq("circuit", "--cases", casesFile.toString(), "--out", nowhere.toString());
        assertEquals(2, r.exit());
        assertTrue(r.stderr().contains("does not exist"), r.stderr());
        assertFalse(Files.exists(nowhere));
    }

    @Test
    void malformedInputKeepsAnExistingOutputUntouched() throws IOException {
        Files.writeString(out, "previous");
        Files.writeString(casesFile, "{");
        Run r = dgq("circuit", "--cases", casesFile.toString(), "--out", out.toString());
        assertEquals(2, r.exit());
        assertEquals("previous", Files.readString(out));
        assertNoTemporaryFiles();
    }

    @Test
    void topLevelUsage() {
        assertEquals(0, dgq("--help").exit());
        assertEquals(0, dgq("circuit", "--help").exit());
        Run r = dgq("--version");
        assertEquals(0, r.exit());
        assertTrue(r.stdout().startsWith("dgq "), r.stdout());
        assertEquals(2, dgq().exit());
        assertEquals(2, dgq("no-such-command").exit());
    }

    @Test
    void benchIsRegistered() {
        assertTrue(Main.commandLine().getSubcommands().containsKey("bench"));
    }
}
