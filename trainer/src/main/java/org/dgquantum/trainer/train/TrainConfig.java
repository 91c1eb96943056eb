package org.dgquantum.trainer.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.dgquantum.engine.Backends;
import org.dgquantum.engine.CircuitSpec;
import org.dgquantum.engine.InvalidFieldException;
import org.dgquantum.data.DataSources;
import org.dgquantum.trainer.model.DgQuantumGraph;
import org.dgquantum.trainer.model.EncoderType;

/**
 * Everything that defines a training run; written to {@code config.json} of the run directory, from which
 * {@code --resume} and {@code predict} rebuild the run.
 *
 * @param name               model name in outputs, e.g. "dgquantum", "mobilenetv2"
 * @param encoder            encoder id (mobilenetv2, resnet18, efficientnet-b0, simplecnn)
 * @param width              encoder width multiplier
 * @param quantum            quantum layer on
 * @param adversarial        gradient-reversal domain head on
 * @param circuit            the quantum layer's circuit and gradient method (used when {@code quantum})
 * @param classicalControl   the quantum layer's circuit replaced by a classical map with the same parameters
 *                           ({@link org.dgquantum.dl4j.ClassicalControl}: the ablation study's control); left out of
 *                           config.json when false, so earlier runs and sweep hashes stay the same
 * @param alpha              quantum residual scale
 * @param domainWeight       scale of the gradient-reversal schedule: lambda(p) = domainWeight * (2 / (1 + exp(-10 p)) - 1)
 * @param beta               feature-norm penalty weight
 * @param eta                test-time adaptation rate of the BN running statistics
 * @param learningRate       Adam learning rate
 * @param epochs             training epochs
 * @param batchSize          mini-batch size
 * @param validationFraction fraction of the source split off for model selection
 * @param selectBy           "auc", "accuracy" or "loss" (the class cross-entropy, lower is better: a proper score,
 *                           which sees calibration): the validation metric that picks the best epoch
 * @param shift              imaging-shift simulation on every training batch
 * @param flips              random horizontal/vertical flips of training images ({@link FlipAugmentation})
 * @param data               data source spec (see {@link DataSources#HELP})
 * @param imageSize          image side in pixels
 * @param channels           input channels (gray replicated)
 * @param perClass           images per class per training center (0: source default)
 * @param perClassTest       images per class per unseen center (0: source default)
 * @param testCenters        centers held out as unseen (empty: the source's default split); checked against the
 *                           data's centers when it is loaded ({@link DataSources#chooseTestCenters}); left out of
 *                           config.json when empty, so earlier runs and sweep hashes stay the same
 * @param seed               seed of everything (data, split, shuffling, shift, initialization)
 * @param backend            quantum backend: "auto" (the best available, or the one forced by dgq.backend /
 *                           DGQ_BACKEND) or an id of {@link Backends#ids()} (java, native, cuda)
 * @param initFrom           a run directory whose best model's encoder parameters start a new run (transfer from
 *                           another dataset, {@link EncoderInit}), or null: random initialization; left out of
 *                           config.json when null, so earlier runs and sweep hashes stay the same
 */
public record TrainConfig(String name, String encoder, double width, boolean quantum, boolean adversarial,
                          CircuitSpec circuit,
                          @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean classicalControl, double alpha,
                          double domainWeight, double beta, double eta, double learningRate, int epochs, int batchSize,
                          double validationFraction, String selectBy, boolean shift, boolean flips, String data, int imageSize,
                          int channels, int perClass, int perClassTest,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> testCenters, long seed,
                          String backend, @JsonInclude(JsonInclude.Include.NON_NULL) String initFrom) {

    /** Validates every field before anything is written or loaded: the first invalid one is a {@link ConfigException}. */
    public TrainConfig {
        check(name != null && !name.isBlank(), "name", name, "a model name");
        parsed("encoder", encoder, "one of " + ids(EncoderType.values(), EncoderType::id), v -> EncoderType.parse(v, "encoder"));
        check(width > 0 && width <= 4, "width", width, "a number in (0, 4]");
        check(circuit != null, "circuit", null, "the circuit's qubits, layers, encoding, rotations, entangler, gradient");
        try {
            circuit = circuit.validated();
        } catch (InvalidFieldException e) {
            // "rotations[1]" -> "circuit.rotations": the field a user can set.
            throw new ConfigException("circuit." + e.field().replaceAll("\\[\\d+]$", ""), e.value(), e.expected());
        }
        check(quantum || !classicalControl, "classicalControl", classicalControl,
                "the quantum layer on (the control replaces its circuit)");
        check(Double.isFinite(alpha), "alpha", alpha, "a finite number");
        check(domainWeight >= 0 && Double.isFinite(domainWeight), "domainWeight", domainWeight, "a finite number >= 0");
        check(beta >= 0 && Double.isFinite(beta), "beta", beta, "a finite number >= 0");
        check(eta >= 0 && eta <= 1, "eta", eta, "a number in [0, 1]");
        check(learningRate > 0 && Double.isFinite(learningRate), "learningRate", learningRate, "a finite number > 0");
        check(epochs >= 1, "epochs", epochs, ">= 1");
        check(batchSize >= 2, "batchSize", batchSize, ">= 2 (batch norm needs two images)");
        check(validationFraction > 0 && validationFraction < 1, "validationFraction", validationFraction,
                "a number in (0, 1)");
        check(SELECT_BY.contains(selectBy), "selectBy", selectBy, String.join(", ", SELECT_BY));
        check(shift || !adversarial, "shift", shift, "the imaging-shift simulation on with the domain head"
                + " (dgquantum), which learns its virtual domains");
        check(data != null && !data.isBlank(), "data", data, DataSources.HELP);
        check(imageSize >= MIN_IMAGE_SIZE && imageSize <= MAX_IMAGE_SIZE, "imageSize", imageSize,
                MIN_IMAGE_SIZE + ".." + MAX_IMAGE_SIZE + " pixels");
        check(channels == 1 || channels == 3, "channels", channels, "1 (grayscale) or 3 (RGB)");
        check(perClass >= 0, "perClass", perClass, ">= 0 (0: the source's default)");
        check(perClassTest >= 0, "perClassTest", perClassTest, ">= 0 (0: the source's default)");
        testCenters = testCenters == null ? List.of() : List.copyOf(testCenters); // null: a config.json without them
        // Names only here; whether they are centers of the data is known once it is loaded.
        check(testCenters.stream().noneMatch(t -> t.isBlank() || t.contains(",")), "testCenters",
                String.join(",", testCenters), "one or more center names separated by commas");
        check(backend != null && (backend.equals(AUTO_BACKEND) || Backends.ids().contains(backend)), "backend", backend,
                AUTO_BACKEND + " or one of " + String.join(", ", Backends.ids()));
        // Only the form here: whether it is a usable run is checked when a run starts (EncoderInit), so that
        // predict still reads a run whose source has moved since.
        check(initFrom == null || !initFrom.isBlank(), "initFrom", initFrom, "a run directory");
        graphOptions(encoder, width, imageSize, channels, quantum, circuit, classicalControl, alpha, adversarial, beta,
                learningRate, seed); // the network's own checks agree
    }

    /**
     * The command-line option of each field that has one: how errors name a field to a user, and the keys of a
     * sweep spec (without the dashes).
     */
    public static final Map<String, String> OPTION_OF_FIELD = Map.ofEntries(
            Map.entry("name", "--name"), Map.entry("encoder", "--model"), Map.entry("quantum", "--no-quantum"),
            Map.entry("adversarial", "--no-adversarial"), Map.entry("width", "--width"),
            Map.entry("circuit.qubits", "--qubits"), Map.entry("circuit.layers", "--layers"),
            Map.entry("circuit.encoding", "--encoding"), Map.entry("circuit.rotations", "--rotations"),
            Map.entry("circuit.entangler", "--entangler"), Map.entry("circuit.gradient", "--gradient"),
            Map.entry("classicalControl", "--classical-control"),
            Map.entry("alpha", "--alpha"),
            Map.entry("domainWeight", "--domain-weight"), Map.entry("beta", "--beta"), Map.entry("eta", "--eta"),
            Map.entry("learningRate", "--lr"), Map.entry("epochs", "--epochs"), Map.entry("batchSize", "--batch"),
            Map.entry("validationFraction", "--validation"), Map.entry("selectBy", "--select-by"),
            Map.entry("shift", "--no-shift"), Map.entry("flips", "--no-flip"), Map.entry("data", "--data"),
            Map.entry("imageSize", "--image-size"), Map.entry("perClass", "--train-per-class"),
            Map.entry("perClassTest", "--test-per-class"), Map.entry("testCenters", "--test-centers"),
            Map.entry("seed", "--seed"),
            Map.entry("backend", "--backend"), Map.entry("initFrom", "--init-from"));

    /** The values of {@link #selectBy()}. */
    public static final List<String> SELECT_BY = List.of("auc", "accuracy", "loss");

    /** The backend choice that takes the best available one at each start. */
    public static final String AUTO_BACKEND = "auto";

    /** Smallest image side the encoders accept. */
    public static final int MIN_IMAGE_SIZE = 8;
    /** Largest image side: beyond it one batch of activations no longer fits a laptop's memory. */
    public static final int MAX_IMAGE_SIZE = 1024;

    private static void check(boolean ok, String field, Object value, String expected) {
        if (!ok) {
            throw new ConfigException(field, value, expected);
        }
    }

    private static void parsed(String field, String value, String expected, Consumer<String> parser) {
        try {
            parser.accept(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException(field, value, expected);
        }
    }

    private static <T> String ids(T[] values, Function<T, String> id) {
        return Arrays.stream(values).map(id).collect(Collectors.joining(", "));
    }

    /** Default {@link #domainWeight()}: see docs/trainer.md (at 1, DANN diverges on the short default runs). */
    public static final double DEFAULT_DOMAIN_WEIGHT = 0.02;

    /** DG-Quantum defaults (MobileNetV2 x0.5, 64x64, {@link CircuitSpec#DEFAULT}), synthetic data. */
    public static TrainConfig dgQuantum(long seed) {
        return new TrainConfig("dgquantum", "mobilenetv2", 0.5, true, true, CircuitSpec.DEFAULT, false, 1.0, DEFAULT_DOMAIN_WEIGHT, 1e-4, 0.1, 1e-3, 5, 32, 0.2, "auc", true, true, "synthetic", 64, 1, 0, 0, List.of(), seed, AUTO_BACKEND, null);
    }

    /**
     * A model by name: "dgquantum" (MobileNetV2 + quantum layer + domain head) or an encoder id (a plain
     * baseline with neither; the imaging shift stays on as augmentation).
     */
    public static TrainConfig forModel(String model, long seed) {
        String m = model.strip().toLowerCase(Locale.ROOT);
        if (m.equals("dgquantum") || m.equals("dg-quantum")) {
            return dgQuantum(seed);
        }
        EncoderType t;
        try {
            t = EncoderType.parse(model, "model");
        } catch (IllegalArgumentException e) {
            throw new ConfigException("encoder", model, "dgquantum or a baseline: "
                    + ids(EncoderType.values(), EncoderType::id));
        }
        return dgQuantum(seed).with(b -> b.name(t.id()).encoder(t.id()).quantum(false).adversarial(false));
    }

    /** The network options. */
    public DgQuantumGraph.Options toGraphOptions() {
        return graphOptions(encoder, width, imageSize, channels, quantum, circuit, classicalControl, alpha, adversarial,
                beta, learningRate, seed);
    }

    private static DgQuantumGraph.Options graphOptions(String encoder, double width, int imageSize, int channels,
            boolean quantum, CircuitSpec circuit, boolean classicalControl, double alpha, boolean adversarial, double beta,
            double learningRate, long seed) {
        return DgQuantumGraph.Options.builder().model(encoder).width(width).inputSize(imageSize).channels(channels)
                .quantum(quantum).circuit(circuit).classicalControl(classicalControl).alpha(alpha).adversarial(adversarial)
                .domains(3).beta(beta).learningRate(learningRate).seed(seed).build();
    }

    /** The data-source options. */
    public DataSources.Options dataOptions() {
        return DataSources.Options.defaults(seed).withImageSize(imageSize).withCounts(perClass, perClassTest)
                .withTestCenters(testCenters);
    }

    /** A copy changed by {@code edit}. */
    public TrainConfig with(java.util.function.UnaryOperator<Builder> edit) {
        return edit.apply(new Builder(this)).build();
    }

    /** Mutable copy of a config. */
    public static final class Builder {
        private String name; private String encoder; private double width; private boolean quantum;
        private boolean adversarial; private CircuitSpec circuit; private boolean classicalControl; private double alpha; private double domainWeight; private double beta; private double eta;
        private double learningRate; private int epochs; private int batchSize; private double validationFraction;
        private String selectBy; private boolean shift; private boolean flips; private String data; private int imageSize; private int channels;
        private int perClass; private int perClassTest; private List<String> testCenters; private long seed;
        private String backend; private String initFrom;

        Builder(TrainConfig c) {
            name = c.name; encoder = c.encoder; width = c.width; quantum = c.quantum; adversarial = c.adversarial;
            circuit = c.circuit; classicalControl = c.classicalControl; alpha = c.alpha; domainWeight = c.domainWeight; beta = c.beta; eta = c.eta; learningRate = c.learningRate;
            epochs = c.epochs; batchSize = c.batchSize; validationFraction = c.validationFraction;
            selectBy = c.selectBy; shift = c.shift; flips = c.flips; data = c.data; imageSize = c.imageSize; channels = c.channels;
            perClass = c.perClass; perClassTest = c.perClassTest; testCenters = c.testCenters; seed = c.seed; backend = c.backend;
            initFrom = c.initFrom;
        }

        public Builder name(String v) { name = v; return this; }
        public Builder encoder(String v) { encoder = v; return this; }
        public Builder width(double v) { width = v; return this; }
        public Builder quantum(boolean v) { quantum = v; return this; }
        public Builder adversarial(boolean v) { adversarial = v; return this; }
        public Builder circuit(CircuitSpec v) { circuit = v; return this; }
        public Builder classicalControl(boolean v) { classicalControl = v; return this; }
        /** Shorthands that edit the circuit spec. */
        public Builder qubits(int v) { circuit = circuit.withQubits(v); return this; }
        public Builder circuitLayers(int v) { circuit = circuit.withLayers(v); return this; }
        public Builder alpha(double v) { alpha = v; return this; }
        public Builder domainWeight(double v) { domainWeight = v; return this; }
        public Builder beta(double v) { beta = v; return this; }
        public Builder eta(double v) { eta = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder validationFraction(double v) { validationFraction = v; return this; }
        public Builder selectBy(String v) { selectBy = v; return this; }
        public Builder shift(boolean v) { shift = v; return this; }
        public Builder flips(boolean v) { flips = v; return this; }
        public Builder data(String v) { data = v; return this; }
        public Builder imageSize(int v) { imageSize = v; return this; }
        public Builder channels(int v) { channels = v; return this; }
        public Builder perClass(int v) { perClass = v; return this; }
        public Builder perClassTest(int v) { perClassTest = v; return this; }
        public Builder testCenters(List<String> v) { testCenters = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder backend(String v) { backend = v; return this; }
        public Builder initFrom(String v) { initFrom = v; return this; }

        public TrainConfig build() {
            return new TrainConfig(name, encoder, width, quantum, adversarial, circuit, classicalControl, alpha, domainWeight, beta, eta, learningRate, epochs, batchSize, validationFraction,
                    selectBy, shift, flips, data, imageSize, channels, perClass, perClassTest, testCenters, seed, backend, initFrom);
        }
    }
}
