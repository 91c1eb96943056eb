package org.dgquantum.sweeps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The paper's experiment as a built-in sweep spec ({@value #SPEC_RESOURCE}, printed by {@code dgq reproduce
 * --print-spec}): which runs, and which of their predictions are the paper's five models, the ablations and the
 * classical control. {@link ReproduceReport} turns the finished sweep into the report page.
 */
public final class Reproduction {
    /** The spec, a resource of this package. */
    public static final String SPEC_RESOURCE = "reproduce.yaml";
    /** The name errors give the built-in spec. */
    public static final Path SPEC_NAME = Path.of("(built-in " + SPEC_RESOURCE + ")");
    /** Suffix of a model's predictions with test-time adaptation (RunService.predict). */
    public static final String TTA = "+tta";

    /** The paper's DG-Quantum: the dgquantum run, predicted with test-time adaptation. */
    public static final String REFERENCE = "dgquantum" + TTA;

    /** One row of a table: the predictions' model name and how the report names it. */
    public record Row(String model, String label) {
    }

    /** The paper's Table 1 (its baselines without test-time adaptation, as the paper evaluates them). */
    public static final List<Row> TABLE1 = List.of(
            new Row(REFERENCE, "DG-Quantum"), new Row("resnet18", "ResNet18"), new Row("mobilenetv2", "MobileNetV2"),
            new Row("efficientnet-b0", "EfficientNet-B0"), new Row("simplecnn", "SimpleCNN"));

    /** DG-Quantum and what each ablation removes (all with test-time adaptation but the one without it). */
    public static final List<Row> ABLATIONS = List.of(
            new Row(REFERENCE, "DG-Quantum (all parts)"),
            new Row("dgquantum-no-shift" + TTA, "without imaging-shift simulation (and so without the domain head)"),
            new Row("dgquantum-no-adversarial" + TTA, "without the domain-adversarial head"),
            new Row("dgquantum-no-quantum" + TTA, "without the quantum layer"),
            new Row("dgquantum-classical" + TTA, "classical control (circuit replaced, same parameter count)"),
            new Row("dgquantum", "without test-time adaptation"));

    /** Compared with DG-Quantum in the statistics though no table shows them: baselines like for like. */
    public static final List<Row> LIKE_FOR_LIKE = List.of(
            new Row("mobilenetv2" + TTA, "MobileNetV2 with test-time adaptation"));

    /** The comparisons the verdict is made of: the reference against each, labelled by what it tests. */
    public static final List<Row> VERDICT = List.of(
            new Row("dgquantum-classical" + TTA, "the quantum circuit against a classical layer of the same size"),
            new Row("dgquantum-no-quantum" + TTA, "the quantum layer against no extra layer"),
            new Row("mobilenetv2", "DG-Quantum against its plain encoder, MobileNetV2 (the paper's claim)"),
            new Row("mobilenetv2" + TTA, "DG-Quantum against MobileNetV2, both with test-time adaptation (like for"
                    + " like)"));

    /** Smaller everything for a smoke run (--quick): tiny images, encoders and circuit, one epoch, few images. */
    static final Map<String, Object> QUICK = Map.of("image-size", 16, "width", 0.25, "train-per-class", 6,
            "test-per-class", 6, "batch", 8, "epochs", 1, "qubits", 4, "layers", 2);

    /** The seeds of --quick unless given. */
    public static final List<Long> QUICK_SEEDS = List.of(1L, 2L);

    /**
     * What dgq reproduce chooses.
     *
     * @param data        data source spec (null: the spec's, synthetic)
     * @param seeds       the seeds (null: the spec's, or {@link #QUICK_SEEDS} with quick)
     * @param testCenters held-out centers (empty: the source's default split)
     * @param quick       the smoke-run sizes of {@link #QUICK}
     * @param heldOut     leave-one-center-out: one run group per entry, holding out that center (empty: one group)
     * @param epochs      epochs of every run (null: dgq train's default, or 1 with quick)
     */
    public record Choice(String data, List<Long> seeds, List<String> testCenters, boolean quick, List<String> heldOut,
                         Integer epochs) {
        public Choice {
            seeds = seeds == null ? null : List.copyOf(seeds);
            testCenters = testCenters == null ? List.of() : List.copyOf(testCenters);
            heldOut = heldOut == null ? List.of() : List.copyOf(heldOut);
            if (!heldOut.isEmpty() && !testCenters.isEmpty()) {
                throw new IllegalArgumentException("held-out groups and test centers exclude each other");
            }
        }

        /** One group, the source's split or the given test centers, the default epochs. */
        public Choice(String data, List<Long> seeds, List<String> testCenters, boolean quick) {
            this(data, seeds, testCenters, quick, List.of(), null);
        }
    }

    private static final YAMLMapper JSON = new YAMLMapper();

    private Reproduction() {
    }

    /** The built-in spec as written. */
    public static String specText() {
        try (InputStream in = Reproduction.class.getResourceAsStream(SPEC_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SPEC_RESOURCE + ": missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The spec with the choice applied. */
    static JsonNode spec(Choice c) {
        ObjectNode root;
        try {
            root = (ObjectNode) new YAMLMapper().readTree(specText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode base = (ObjectNode) root.get("base");
        if (c.data() != null) {
            base.put("data", c.data());
        }
        if (!c.testCenters().isEmpty()) {
            ArrayNode t = base.putArray("test-centers");
            c.testCenters().forEach(t::add);
        }
        if (c.quick()) {
            QUICK.forEach((k, v) -> base.set(k, JSON.valueToTree(v)));
        }
        if (c.epochs() != null) {
            base.put("epochs", c.epochs());
        }
        List<Long> seeds = c.seeds() != null ? c.seeds() : c.quick() ? QUICK_SEEDS : null;
        ObjectNode axes = (ObjectNode) root.get("axes");
        if (seeds != null) {
            ArrayNode s = axes.putArray("seed");
            seeds.forEach(s::add);
        }
        if (!c.heldOut().isEmpty()) {
            // DomainBed's protocol: each center is the unseen one in turn, the others are trained on.
            ArrayNode groups = axes.putArray("test-centers");
            c.heldOut().forEach(center -> groups.addArray().add(center));
        }
        return root;
    }

    /**
     * Options in which a reproduction's runs of one model may differ and still be pooled into one row: the seed,
     * and the held-out center of leave-one-center-out (each center is then predicted by the model that did not
     * see it).
     */
    public static final java.util.Set<String> POOLED_FIELDS = java.util.Set.of("seed", "testCenters");

    /** Whether a sweep directory holds a reproduction (its sweep.json names the built-in spec). */
    public static boolean isReproduction(Path dir) {
        return SweepDir.isSweep(dir) && SweepDir.open(dir, "DIR").spec().equals(SPEC_NAME.toString());
    }

    /** The runs of the choice (validated, as {@link SweepPlan#read} does for a file). */
    public static SweepPlan plan(Choice c) {
        return SweepPlan.expand(SPEC_NAME, spec(c));
    }
}
