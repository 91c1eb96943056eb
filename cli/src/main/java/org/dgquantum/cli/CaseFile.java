package org.dgquantum.cli;

import org.dgquantum.engine.UserError;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dgquantum.engine.Circuit;

/**
 * Reads and validates a cases file (the format of {@code pqc_cases.json}):
 * <pre>
 * {"cases": [{"name": "...", "qubits": n, "layers": L, "encoding": "RY", "rotations": ["RY", "RZ"],
 *             "entangler": "ring", "inputs": [B][n], "weights": [L][n][k], "upstream": [B][n]}, ...]}
 * </pre>
 * Other fields (e.g. {@code expected}, {@code convention}) are ignored. Every problem is reported as
 * a {@link UserError} with one line naming the file, the case, the field and the problem.
 */
public final class CaseFile {
    private static final JsonMapper JSON = JsonMapper.builder()
            // NaN and Infinity parse, so that they can be rejected with a clear message.
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private CaseFile() {
    }

    /** Reads every case of the file, or throws the first problem found. */
    public static List<CircuitCase> read(Path file) {
        JsonNode root = parse(file);
        if (!root.isObject()) {
            throw new UserError(file + ": expected a JSON object with a \"cases\" array, found " + describe(root));
        }
        JsonNode cases = root.get("cases");
        if (cases == null) {
            throw new UserError(file + ": cases: missing (expected an array of circuit cases)");
        }
        if (!cases.isArray()) {
            throw new UserError(file + ": cases: expected an array of circuit cases, found " + describe(cases));
        }
        if (cases.isEmpty()) {
            throw new UserError(file + ": cases: empty (expected at least one case)");
        }
        List<CircuitCase> out = new ArrayList<>(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            out.add(readCase(file, i, cases.get(i)));
        }
        return out;
    }

    private static JsonNode parse(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            JsonNode root = JSON.readTree(in);
            if (root == null || root.isMissingNode()) {
                throw new UserError(file + ": empty file (expected a JSON object with a \"cases\" array)");
            }
            return root;
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new UserError(file + ": not valid JSON" + where + ": " + Main.oneLine(e.getOriginalMessage()));
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": cannot read: no such file");
        } catch (AccessDeniedException e) {
            throw new UserError(file + ": cannot read: permission denied");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + (Files.isDirectory(file) ? "is a directory" : e.getMessage()));
        }
    }

    private static CircuitCase readCase(Path file, int index, JsonNode node) {
        if (!node.isObject()) {
            throw new UserError(file + ": " + CircuitCase.label(index, null) + ": expected an object, found " + describe(node));
        }
        JsonNode nameNode = node.get("name");
        String name = nameNode != null && nameNode.isTextual() ? nameNode.asText() : null;
        Field f = new Field(file + ": " + CircuitCase.label(index, name));
        if (nameNode == null || nameNode.isNull()) {
            throw f.error("name", "missing (expected a string)");
        }
        if (name == null) {
            throw f.error("name", "expected a string, found " + describe(nameNode));
        }

        int qubits = integer(f, node, "qubits");
        if (qubits < 1 || qubits > Circuit.MAX_QUBITS) {
            throw f.error("qubits", qubits + " is out of range (expected 1.." + Circuit.MAX_QUBITS + ")");
        }
        int layers = integer(f, node, "layers");
        if (layers < 0) {
            throw f.error("layers", layers + " is negative (expected >= 0)");
        }
        String encoding = text(f, node, "encoding", "a gate name (RX or RY)");
        JsonNode rotationsNode = required(f, node, "rotations");
        if (!rotationsNode.isArray()) {
            throw f.error("rotations", "expected an array of gate names such as [\"RY\", \"RZ\"], found " + describe(rotationsNode));
        }
        List<String> rotations = new ArrayList<>();
        for (int i = 0; i < rotationsNode.size(); i++) {
            JsonNode g = rotationsNode.get(i);
            if (!g.isTextual()) {
                throw f.error("rotations[" + i + "]", "expected a gate name (RX, RY or RZ), found " + describe(g));
            }
            rotations.add(g.asText());
        }
        String entangler = text(f, node, "entangler", "ring, linear or none");
        Circuit circuit;
        try {
            circuit = Circuit.of(qubits, layers, encoding, rotations, entangler);
        } catch (IllegalArgumentException e) {
            // The engine's messages start with the field name ("rotations[1]: unknown gate 'RQ' ...").
            throw new UserError(f.prefix + ": " + e.getMessage());
        }
        int k = circuit.rotationsPerQubit();

        JsonNode inputsNode = required(f, node, "inputs");
        if (!inputsNode.isArray()) {
            throw f.error("inputs", "expected an array of rows [batch][" + qubits + "], found " + describe(inputsNode));
        }
        int batch = inputsNode.size();
        if (batch == 0) {
            throw f.error("inputs", "empty (expected at least one row of " + qubits + " angles)");
        }
        double[] inputs = new double[batch * qubits];
        for (int b = 0; b < batch; b++) {
            row(f, "inputs[" + b + "]", inputsNode.get(b), qubits, "one angle per qubit", inputs, b * qubits);
        }

        JsonNode weightsNode = required(f, node, "weights");
        double[] weights = new double[circuit.weightCount()];
        String shape = "[" + layers + "][" + qubits + "][" + k + "] (layers x qubits x rotations)";
        if (!weightsNode.isArray()) {
            throw f.error("weights", "expected an array of shape " + shape + ", found " + describe(weightsNode));
        }
        if (weightsNode.size() != layers) {
            throw f.error("weights", weightsNode.size() + " layers, expected " + layers + "; shape must be " + shape);
        }
        for (int l = 0; l < layers; l++) {
            JsonNode layer = weightsNode.get(l);
            String field = "weights[" + l + "]";
            if (!layer.isArray()) {
                throw f.error(field, "expected an array of " + qubits + " qubit rows, found " + describe(layer));
            }
            if (layer.size() != qubits) {
                throw f.error(field, layer.size() + " qubit rows, expected " + qubits + "; shape must be " + shape);
            }
            for (int q = 0; q < qubits; q++) {
                row(f, field + "[" + q + "]", layer.get(q), k, "one angle per rotation " + circuit.rotations(),
                        weights, circuit.weightIndex(l, q, 0));
            }
        }

        JsonNode upstreamNode = required(f, node, "upstream");
        if (!upstreamNode.isArray()) {
            throw f.error("upstream", "expected an array of rows [" + batch + "][" + qubits + "], found " + describe(upstreamNode));
        }
        if (upstreamNode.size() != batch) {
            throw f.error("upstream", upstreamNode.size() + " rows, expected " + batch + " (one per inputs row)");
        }
        double[] upstream = new double[batch * qubits];
        for (int b = 0; b < batch; b++) {
            row(f, "upstream[" + b + "]", upstreamNode.get(b), qubits, "one value per qubit", upstream, b * qubits);
        }
        return new CircuitCase(index, name, circuit, batch, inputs, weights, upstream);
    }

    /** Where errors of one case point: "FILE: case 3 'name'". */
    private record Field(String prefix) {
        UserError error(String field, String problem) {
            return new UserError(prefix + ": " + field + ": " + problem);
        }
    }

    private static JsonNode required(Field f, JsonNode obj, String field) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            throw f.error(field, "missing");
        }
        return v;
    }

    private static int integer(Field f, JsonNode obj, String field) {
        JsonNode v = required(f, obj, field);
        if (!v.isIntegralNumber()) {
            throw f.error(field, "expected an integer, found " + describe(v));
        }
        if (!v.canConvertToInt()) {
            throw f.error(field, v.asText() + " is out of range");
        }
        return v.intValue();
    }

    private static String text(Field f, JsonNode obj, String field, String expected) {
        JsonNode v = required(f, obj, field);
        if (!v.isTextual()) {
            throw f.error(field, "expected " + expected + ", found " + describe(v));
        }
        return v.asText();
    }

    /** Copies one row of exactly {@code length} finite numbers into {@code dst} at {@code offset}. */
    private static void row(Field f, String field, JsonNode row, int length, String what, double[] dst, int offset) {
        if (!row.isArray()) {
            throw f.error(field, "expected an array of " + length + " numbers (" + what + "), found " + describe(row));
        }
        if (row.size() != length) {
            throw f.error(field, row.size() + " values, expected " + length + " (" + what + ")");
        }
        for (int i = 0; i < length; i++) {
            JsonNode v = row.get(i);
            if (!v.isNumber()) {
                throw f.error(field + "[" + i + "]", "expected a number, found " + describe(v));
            }
            double d = v.doubleValue();
            if (!Double.isFinite(d)) {
                throw f.error(field + "[" + i + "]", "is " + (Double.isNaN(d) ? "NaN" : v.asText())
                        + " (expected a finite number)");
            }
            dst[offset + i] = d;
        }
    }

    /** A short description of a JSON value for error messages: its type and, when short, its text. */
    static String describe(JsonNode v) {
        String type = switch (v.getNodeType()) {
            case ARRAY -> "an array of " + v.size();
            case OBJECT -> "an object";
            case STRING -> "the string";
            case NUMBER -> "the number";
            case BOOLEAN -> "the boolean";
            case NULL -> "null";
            default -> v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
        if (v.isContainerNode() || v.isNull()) {
            return type;
        }
        String text = v.toString();
        return type + " " + (text.length() > 40 ? text.substring(0, 37) + "..." : text);
    }
}
