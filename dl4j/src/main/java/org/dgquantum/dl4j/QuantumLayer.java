package org.dgquantum.dl4j;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Gradient;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of the DG-Quantum residual quantum layer (a DL4J custom layer):
 * <pre>
 *   theta = pi * tanh(W_q h)          W_q: [qubits, d]
 *   z     = circuit(theta; w)         w: [circuitLayers][qubits][rotations], z in [-1, 1]^qubits
 *   h'    = h + alpha * W_r z         W_r: [d, qubits]
 * </pre>
 * d = nIn = nOut. The circuit (docs/architecture.md, "The circuit") is simulated by the engine's
 * {@link org.dgquantum.engine.QuantumBackend}; its backward pass is the engine's vector-Jacobian product
 * (adjoint by default, parameter shift selectable). Parameters: {@value QuantumParamInitializer#WQ}
 * (stored as W_q transposed, [d, qubits]), {@value QuantumParamInitializer#WR} (W_r transposed,
 * [qubits, d]) and {@value QuantumParamInitializer#CIRCUIT} (flat [1, L*n*k] in the engine's
 * layout).
 *
 * <p>W_q and W_r are Xavier-initialised whatever the network's weight-init setting (which is meant for
 * ReLU convolutions); the circuit angles uniformly in [-circuitInitScale, circuitInitScale]. No
 * activation function is applied. Serialised by DL4J's Jackson through the getters and setters below.
 */
public class QuantumLayer extends FeedForwardLayer {
    private static final long serialVersionUID = 1L;
    private int qubits = 8;
    private int circuitLayers = 3;
    private String encoding = "RY";
    @SuppressWarnings("serial") // always an immutable List.copyOf, which is serializable
    private List<String> rotations = List.of("RY", "RZ");
    private String entangler = "ring";
    private String gradient = Gradient.ADJOINT.id();
    private double alpha = 1.0;
    private double circuitInitScale = Math.PI;

    /** For Jackson. */
    public QuantumLayer() {
    }

    private QuantumLayer(Builder b) {
        super(b);
        this.qubits = b.qubits;
        this.circuitLayers = b.circuitLayers;
        this.encoding = b.encoding;
        this.rotations = List.copyOf(b.rotations);
        this.entangler = b.entangler;
        this.gradient = b.gradient;
        this.alpha = b.alpha;
        this.circuitInitScale = b.circuitInitScale;
        if (b.getNOut() == 0) {
            this.nOut = b.getNIn();
        }
        if (circuitLayers < 1) {
            throw new IllegalArgumentException("circuitLayers: " + circuitLayers + " (expected >= 1)");
        }
        circuit(); // validates the circuit fields, naming the bad one
        gradientMethod();
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha: " + alpha + " (expected a finite number)");
        }
        initializeConstraints(b);
    }

    /** The circuit this layer simulates. */
    public Circuit circuit() {
        return Circuit.of(qubits, circuitLayers, encoding, rotations, entangler);
    }

    /** The configured gradient method. */
    public Gradient gradientMethod() {
        return Gradient.parse(gradient, "gradient");
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
            DataType networkDataType) {
        LayerValidation.assertNInNOutSet("QuantumLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        if (getNIn() != getNOut()) {
            throw new IllegalStateException("QuantumLayer " + getLayerName() + ": nIn (" + getNIn() + ") must equal nOut ("
                    + getNOut() + "): the output is the residual h + alpha * W_r z");
        }
        QuantumLayerImpl layer = new QuantumLayerImpl(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        Map<String, INDArray> params = initializer().init(conf, paramsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return QuantumParamInitializer.getInstance();
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        super.setNIn(inputType, override);
        if (nOut <= 0 || override) {
            nOut = nIn;
        }
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        long params = initializer().numParams(this);
        long updaterState = getIUpdater() == null ? 0 : getIUpdater().stateSize(params);
        return new LayerMemoryReport.Builder(layerName, QuantumLayer.class, inputType, out)
                .standardMemory(params, updaterState)
                .workingMemory(0, 2L * qubits, 0, 2L * qubits + out.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    // ---- Jackson-visible properties ----

    public int getQubits() { return qubits; }
    public void setQubits(int qubits) { this.qubits = qubits; }
    public int getCircuitLayers() { return circuitLayers; }
    public void setCircuitLayers(int circuitLayers) { this.circuitLayers = circuitLayers; }
    public String getEncoding() { return encoding; }
    public void setEncoding(String encoding) { this.encoding = encoding; }
    public List<String> getRotations() { return rotations; }
    public void setRotations(List<String> rotations) { this.rotations = List.copyOf(rotations); }
    public String getEntangler() { return entangler; }
    public void setEntangler(String entangler) { this.entangler = entangler; }
    public String getGradient() { return gradient; }
    public void setGradient(String gradient) { this.gradient = gradient; }
    public double getAlpha() { return alpha; }
    public void setAlpha(double alpha) { this.alpha = alpha; }
    public double getCircuitInitScale() { return circuitInitScale; }
    public void setCircuitInitScale(double circuitInitScale) { this.circuitInitScale = circuitInitScale; }

    @Override
    public QuantumLayer clone() {
        return (QuantumLayer) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof QuantumLayer q) || !super.equals(o)) {
            return false;
        }
        return qubits == q.qubits && circuitLayers == q.circuitLayers && Objects.equals(encoding, q.encoding)
                && Objects.equals(rotations, q.rotations) && Objects.equals(entangler, q.entangler)
                && Objects.equals(gradient, q.gradient) && Double.compare(alpha, q.alpha) == 0
                && Double.compare(circuitInitScale, q.circuitInitScale) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), qubits, circuitLayers, encoding, rotations, entangler, gradient, alpha,
                circuitInitScale);
    }

    @Override
    public String toString() {
        return "QuantumLayer(name=" + layerName + ", d=" + nIn + ", " + circuit() + ", gradient=" + gradient
                + ", alpha=" + alpha + ")";
    }

    /** Builder: {@code new QuantumLayer.Builder().nIn(256).qubits(8).circuitLayers(3).alpha(0.5).build()}. */
    @SuppressWarnings("unchecked")
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        private int qubits = 8;
        private int circuitLayers = 3;
        private String encoding = "RY";
        private List<String> rotations = List.of("RY", "RZ");
        private String entangler = "ring";
        private String gradient = Gradient.ADJOINT.id();
        private double alpha = 1.0;
        private double circuitInitScale = Math.PI;

        /** The layer applies no activation function; identity is recorded so the JSON says so. */
        @SuppressWarnings("this-escape")
        public Builder() {
            activation(Activation.IDENTITY);
        }

        public Builder qubits(int qubits) { this.qubits = qubits; return this; }
        public Builder circuitLayers(int layers) { this.circuitLayers = layers; return this; }
        public Builder encoding(String gate) { this.encoding = gate; return this; }
        public Builder rotations(List<String> gates) { this.rotations = new ArrayList<>(gates); return this; }
        public Builder rotations(String... gates) { return rotations(List.of(gates)); }
        public Builder entangler(String entangler) { this.entangler = entangler; return this; }
        public Builder gradient(Gradient method) { this.gradient = method.id(); return this; }
        public Builder gradient(String method) { this.gradient = Gradient.parse(method, "gradient").id(); return this; }
        /** Scale of the quantum residual branch: h' = h + alpha * W_r z. */
        public Builder alpha(double alpha) { this.alpha = alpha; return this; }
        /** Circuit weights start uniform in [-scale, scale] (default pi). */
        public Builder circuitInitScale(double scale) { this.circuitInitScale = scale; return this; }

        /** Takes qubits, layers, encoding, rotations and entangler from a circuit. */
        public Builder circuit(Circuit c) {
            this.qubits = c.qubits();
            this.circuitLayers = c.layers();
            this.encoding = c.encoding().name();
            this.rotations = c.rotations().stream().map(Enum::name).toList();
            this.entangler = c.entangler().id();
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public QuantumLayer build() {
            return new QuantumLayer(this);
        }
    }
}
