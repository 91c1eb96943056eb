package org.dgquantum.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The float64 reference cases of pqc_cases.json (copied from shared/testdata into test resources).
 * Shared with the other backends' tests through the engine's test jar.
 */
public record ReferenceCases(String name, Circuit circuit, int batch, double[] inputs, double[] weights, double[] upstream,
                      double[] expectations, double[] inputGradients, double[] weightGradients) {

    public static List<ReferenceCases> load() {
        try (InputStream in = ReferenceCases.class.getResourceAsStream("/pqc_cases.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<ReferenceCases> list = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                List<String> rotations = new ArrayList<>();
                c.get("rotations").forEach(r -> rotations.add(r.asText()));
                Circuit circuit = Circuit.of(c.get("qubits").asInt(), c.get("layers").asInt(),
                        c.get("encoding").asText(), rotations, c.get("entangler").asText());
                JsonNode e = c.get("expected");
                list.add(new ReferenceCases(c.get("name").asText(), circuit, c.get("inputs").size(),
                        flat(c.get("inputs")), flat(c.get("weights")), flat(c.get("upstream")),
                        flat(e.get("expectations")), flat(e.get("inputGradients")), flat(e.get("weightGradients"))));
            }
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[] flat(JsonNode node) {
        List<Double> values = new ArrayList<>();
        collect(node, values);
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void collect(JsonNode node, List<Double> out) {
        if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        } else {
            out.add(node.asDouble());
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
