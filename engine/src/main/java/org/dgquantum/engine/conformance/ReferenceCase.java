package org.dgquantum.engine.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.io.Json;

/**
 * One float64 reference case of {@value #RESOURCE} (values computed by an independent implementation; the
 * format {@code dgq circuit --cases} takes): a circuit, a batch of inputs, weights and an upstream gradient, and
 * the expected expectations and vector-Jacobian product. The one copy every backend is checked against: engine,
 * bindings and cli tests, {@link Conformance} (the GPU check) and the C++ tests (kernels/CMakeLists.txt reads
 * the file from engine/src/main/resources).
 */
public record ReferenceCase(String name, Circuit circuit, int batch, double[] inputs, double[] weights, double[] upstream,
                            double[] expectations, double[] inputGradients, double[] weightGradients) {

    /** The class-path resource, relative to this package. */
    public static final String RESOURCE = "pqc_cases.json";

    /** The file's text, as shipped. */
    public static String text() {
        try (InputStream in = ReferenceCase.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the engine jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every case, in file order. */
    @SuppressWarnings("unchecked")
    public static List<ReferenceCase> load() {
        Map<String, Object> root = (Map<String, Object>) Json.parse(text());
        List<ReferenceCase> list = new ArrayList<>();
        for (Object o : (List<Object>) root.get("cases")) {
            Map<String, Object> c = (Map<String, Object>) o;
            List<String> rotations = ((List<Object>) c.get("rotations")).stream().map(String::valueOf).toList();
            Circuit circuit = Circuit.of(number(c, "qubits"), number(c, "layers"), (String) c.get("encoding"), rotations,
                    (String) c.get("entangler"));
            Map<String, Object> e = (Map<String, Object>) c.get("expected");
            list.add(new ReferenceCase((String) c.get("name"), circuit, ((List<Object>) c.get("inputs")).size(),
                    flat(c.get("inputs")), flat(c.get("weights")), flat(c.get("upstream")),
                    flat(e.get("expectations")), flat(e.get("inputGradients")), flat(e.get("weightGradients"))));
        }
        return list;
    }

    private static int number(Map<String, Object> c, String key) {
        return ((Double) c.get(key)).intValue();
    }

    private static double[] flat(Object node) {
        List<Double> values = new ArrayList<>();
        collect(node, values);
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void collect(Object node, List<Double> out) {
        if (node instanceof List<?> l) {
            l.forEach(n -> collect(n, out));
        } else {
            out.add((Double) node);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
