package org.dgquantum.sweeps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.dgquantum.trainer.train.ConfigException;
import org.dgquantum.trainer.train.TrainConfig;
import org.dgquantum.trainer.train.TrainerException;

/**
 * A sweep spec and the runs it expands to. The spec (YAML or JSON) names train options without their dashes:
 * <pre>
 *   base:                 # options of every run (default: dgq train's defaults)
 *     image-size: 32
 *     epochs: 1
 *   axes:                 # lists of values: every combination is a run (a cartesian product)
 *     model: [dgquantum, mobilenetv2]
 *     seed: [1, 2]
 *   variants:             # sets of options, each combined with every combination of the axes
 *     - {model: mobilenetv2}
 *     - {model: dgquantum, name: dgquantum-no-quantum, no-quantum: true}
 *   runs:                 # more runs, each a set of options over base (irregular sets)
 *     - {model: simplecnn, seed: 3}
 * </pre>
 * With variants the runs are ordered axes first (all variants of seed 1, then of seed 2, ...), so a sweep that
 * stops half-way has complete comparisons for the seeds it finished.
 * Each run's directory is a readable prefix (its model and axis values) plus a hash of its whole configuration,
 * so the same run always lands in the same directory whatever the order of the spec's keys, and a changed
 * option makes a new one (DomainBed's sweep layout). A bad spec is one {@link TrainerException} naming the file,
 * the key path and the problem.
 */
public final class SweepPlan {
    /** One run of a sweep. */
    public record Run(int index, String directory, TrainConfig config, Map<String, String> options) {
    }

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    private static final List<String> SECTIONS = List.of("base", "axes", "variants", "runs");
    private static final Map<String, String> FIELD_OF_KEY = fieldOfKey();
    /** Options whose value is a list, written [A, B] (test-centers also takes "A,B" as on the command line). */
    private static final List<String> LIST_KEYS = List.of("rotations", "test-centers");

    private final Path file;
    private final List<Run> runs;

    private SweepPlan(Path file, List<Run> runs) {
        this.file = file;
        this.runs = List.copyOf(runs);
    }

    public Path file() {
        return file;
    }

    public List<Run> runs() {
        return runs;
    }

    /** Reads and expands a spec file (.yaml, .yml or .json); validates every run before returning. */
    public static SweepPlan read(Path file) {
        JsonNode root;
        try {
            String text = Files.readString(file);
            root = (file.toString().endsWith(".json") ? new ObjectMapper() : new YAMLMapper()).readTree(text);
        } catch (NoSuchFileException e) {
            throw new TrainerException(file + ": no such file");
        } catch (JsonProcessingException e) {
            throw new TrainerException(file + ": not valid " + (file.toString().endsWith(".json") ? "JSON" : "YAML")
                    + " at line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage().strip()
                    .replaceAll("\\s*\\R\\s*", " "));
        } catch (IOException e) {
            throw new TrainerException(file + ": cannot read: " + e.getMessage());
        }
        return expand(file, root);
    }

    /** Expands a parsed spec; {@code file} names it in errors. */
    static SweepPlan expand(Path file, JsonNode root) {
        if (root == null || !root.isObject()) {
            throw error(file, "(top)", "expected a mapping with base, axes, variants and/or runs");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!SECTIONS.contains(k)) {
                throw error(file, k, "unknown section (expected base, axes, variants or runs)");
            }
        }
        Map<String, Source> base = options(file, "base", root.get("base"));
        List<Map<String, Source>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        JsonNode axes = root.get("axes");
        if (axes != null) {
            if (!axes.isObject()) {
                throw error(file, "axes", "expected a mapping of option: [values]");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = axes.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> axis = it.next();
                String path = "axes." + axis.getKey();
                checkKey(file, path, axis.getKey());
                JsonNode values = axis.getValue();
                if (!values.isArray() || values.isEmpty()) {
                    throw error(file, path, "expected a non-empty list of values");
                }
                List<Map<String, Source>> next = new ArrayList<>();
                for (Map<String, Source> c : combos) {
                    for (int i = 0; i < values.size(); i++) {
                        Map<String, Source> m = new LinkedHashMap<>(c);
                        m.put(axis.getKey(), new Source(path + "[" + i + "]", values.get(i)));
                        next.add(m);
                    }
                }
                combos = next;
            }
        }
        JsonNode variants = root.get("variants");
        if (variants != null) {
            if (!variants.isArray() || variants.isEmpty()) {
                throw error(file, "variants", "expected a non-empty list of option mappings");
            }
            List<Map<String, Source>> next = new ArrayList<>();
            for (Map<String, Source> c : combos) {
                for (int i = 0; i < variants.size(); i++) {
                    Map<String, Source> v = options(file, "variants[" + i + "]", variants.get(i));
                    for (String k : v.keySet()) {
                        if (c.containsKey(k)) {
                            throw error(file, "variants[" + i + "]." + k, "also an axis (expected each option in"
                                    + " the axes or in the variants, not both)");
                        }
                    }
                    Map<String, Source> m = new LinkedHashMap<>(v); // the variant's options name the run first
                    m.putAll(c);
                    next.add(m);
                }
            }
            combos = next;
        }
        JsonNode extra = root.get("runs");
        if (extra != null) {
            if (!extra.isArray()) {
                throw error(file, "runs", "expected a list of option mappings");
            }
            for (int i = 0; i < extra.size(); i++) {
                combos.add(options(file, "runs[" + i + "]", extra.get(i)));
            }
            if (axes == null && variants == null) {
                combos.remove(0); // only the explicit runs
            }
        }
        List<Run> runs = new ArrayList<>();
        Map<String, String> seen = new LinkedHashMap<>();
        for (Map<String, Source> c : combos) {
            Map<String, Source> all = new LinkedHashMap<>(base);
            all.putAll(c);
            TrainConfig config = config(file, all);
            String hash = hash(config);
            String where = c.values().stream().map(Source::path).filter(p -> p.startsWith("runs[") || p.startsWith("variants[")).findFirst()
                    .map(p -> p.substring(0, p.indexOf(']') + 1)).orElse("axes");
            String first = seen.putIfAbsent(hash, describe(c));
            if (first != null) {
                throw error(file, where, "the run " + describe(c) + " is the same run as " + first
                        + " (expected distinct runs)");
            }
            Map<String, String> varying = new LinkedHashMap<>();
            c.forEach((k, s) -> varying.put(k, text(s.value())));
            runs.add(new Run(runs.size(), directoryName(config, varying, hash), config, varying));
        }
        return new SweepPlan(file, runs);
    }

    /** Where an option's value came from in the spec. */
    private record Source(String path, JsonNode value) {
    }

    private static Map<String, Source> options(Path file, String path, JsonNode node) {
        Map<String, Source> m = new LinkedHashMap<>();
        if (node == null) {
            return m;
        }
        if (!node.isObject()) {
            throw error(file, path, "expected a mapping of option: value");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            checkKey(file, path + "." + e.getKey(), e.getKey());
            if (e.getValue().isContainerNode() && !LIST_KEYS.contains(e.getKey())) {
                throw error(file, path + "." + e.getKey(), "expected a single value");
            }
            m.put(e.getKey(), new Source(path + "." + e.getKey(), e.getValue()));
        }
        return m;
    }

    private static void checkKey(Path file, String path, String key) {
        if (!key.equals("model") && !FIELD_OF_KEY.containsKey(key)) {
            TreeSet<String> known = new TreeSet<>(FIELD_OF_KEY.keySet());
            known.add("model");
            throw error(file, path, "unknown option '" + key + "' (expected one of " + String.join(", ", known) + ")");
        }
    }

    /** The run's configuration: dgq train's defaults for its model and seed, then the spec's options. */
    private static TrainConfig config(Path file, Map<String, Source> options) {
        Source model = options.get("model");
        Source seed = options.get("seed");
        TrainConfig start;
        try {
            start = TrainConfig.forModel(model == null ? "dgquantum" : model.value().asText(),
                    seed == null ? 42 : seed.value().asLong(42));
        } catch (ConfigException e) {
            throw error(file, model.path(), e.value() + ": expected " + e.expected());
        }
        ObjectNode tree = CANONICAL.valueToTree(start);
        Map<String, Source> byField = new LinkedHashMap<>();
        for (Map.Entry<String, Source> e : options.entrySet()) {
            if (e.getKey().equals("model")) {
                continue;
            }
            String field = FIELD_OF_KEY.get(e.getKey());
            JsonNode v = e.getValue().value();
            if (e.getKey().equals("test-centers") && v.isTextual()) {
                ArrayNode names = tree.arrayNode();
                for (String n : v.asText().split(",", -1)) {
                    names.add(n.strip());
                }
                v = names;
            }
            if (e.getKey().equals("init-from") && v.isTextual() && !Path.of(v.asText()).isAbsolute()) {
                // As a path in the spec reads: relative to the spec's directory, wherever the run starts.
                v = tree.textNode(file.toAbsolutePath().getParent().resolve(v.asText()).normalize().toString());
            }
            if (e.getKey().startsWith("no-")) {
                if (!v.isBoolean()) {
                    throw error(file, e.getValue().path(), text(v) + ": expected true or false");
                }
                v = tree.booleanNode(!v.asBoolean());
            }
            setPath(tree, field, v);
            byField.put(field, e.getValue());
        }
        try {
            return CANONICAL.treeToValue(tree, TrainConfig.class);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof ConfigException c) {
                Source s = byField.get(c.field());
                throw error(file, s != null ? s.path() : "base", (s != null ? text(s.value()) : c.value())
                        + ": expected " + c.expected());
            }
            String field = e instanceof JsonMappingException m && !m.getPath().isEmpty()
                    ? m.getPath().stream().map(JsonMappingException.Reference::getFieldName)
                            .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.joining("."))
                    : null;
            Source s = field == null ? null : byField.get(field);
            throw error(file, s != null ? s.path() : "base", (s != null ? text(s.value()) + ": " : "")
                    + "wrong type (" + e.getOriginalMessage().replaceAll("\\s*\\R\\s*", " ") + ")");
        }
    }

    /** First 10 hex digits of the SHA-256 of the configuration's canonical JSON (keys sorted). */
    static String hash(TrainConfig c) {
        try {
            byte[] json = CANONICAL.writeValueAsBytes(c);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 10);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String directoryName(TrainConfig c, Map<String, String> varying, String hash) {
        StringBuilder b = new StringBuilder(c.name());
        varying.forEach((k, v) -> {
            if (!k.equals("model")) {
                b.append('-').append(k).append(v);
            }
        });
        String prefix = b.toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.+-]+", "_");
        return (prefix.length() > 60 ? prefix.substring(0, 60) : prefix) + "-" + hash;
    }

    private static String describe(Map<String, Source> c) {
        List<String> parts = new ArrayList<>();
        c.forEach((k, s) -> parts.add(k + "=" + text(s.value())));
        return parts.isEmpty() ? "(base)" : "{" + String.join(", ", parts) + "}";
    }

    private static String text(JsonNode v) {
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(x -> items.add(x.asText()));
            return String.join(",", items);
        }
        return v.asText();
    }

    private static TrainerException error(Path file, String path, String problem) {
        return new TrainerException(file + ": " + path + ": " + problem);
    }

    /** Sets a field given by its dotted path in config.json (e.g. "circuit.layers"). */
    private static void setPath(ObjectNode tree, String path, JsonNode value) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            tree.set(path, value);
        } else {
            setPath((ObjectNode) tree.get(path.substring(0, dot)), path.substring(dot + 1), value);
        }
    }

    /** Spec keys (option names without dashes) to config fields; "model" is handled apart. */
    private static Map<String, String> fieldOfKey() {
        Map<String, String> m = new LinkedHashMap<>();
        TrainConfig.OPTION_OF_FIELD.forEach((field, option) -> {
            if (!option.equals("--model")) {
                m.put(option.substring(2), field);
            }
        });
        return Map.copyOf(m);
    }
}
