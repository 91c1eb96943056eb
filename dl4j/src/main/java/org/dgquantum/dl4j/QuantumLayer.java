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
import org.dgquantum.engine.CircuitSpec;
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
    @SuppressWarnings("serial") // a record of ints, strings and an unmodifiable ArrayList: all serializable
    private CircuitSpec circuit = CircuitSpec.DEFAULT;
    private double alpha = 1.0;
    private double circuitInitScale = Math.PI;
    private boolean classicalControl;

    /** For Jackson. */
    public QuantumLayer() {
    }

    private QuantumLayer(Builder b) {
        super(b);
        this.circuit = b.circuit.validated(); // names the bad field
        this.alpha = b.alpha;
        this.classicalControl = b.classicalControl;
        this.circuitInitScale = b.circuitInitScale != null ? b.circuitInitScale
                : classicalControl ? ClassicalControl.initScale(circuit.rotations().size()) : Math.PI;
        if (b.getNOut() == 0) {
            this.nOut = b.getNIn();
        }
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha: " + alpha + " (expected a finite number)");
        }
        initializeConstraints(b);
    }

    /** The circuit this layer simulates. */
    public Circuit circuit() {
        return circuit.circuit();
    }

    /** The configured gradient method. */
    public Gradient gradientMethod() {
        return circuit.gradientMethod();
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
                .workingMemory(0, 2L * circuit.qubits(), 0, 2L * circuit.qubits() + out.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    // ---- Jackson-visible properties ----

    /** The circuit and its gradient method (one JSON object in the layer's configuration). */
    public CircuitSpec getCircuit() { return circuit; }
    public void setCircuit(CircuitSpec circuit) { this.circuit = circuit; }
    public double getAlpha() { return alpha; }
    public void setAlpha(double alpha) { this.alpha = alpha; }
    public double getCircuitInitScale() { return circuitInitScale; }
    public void setCircuitInitScale(double circuitInitScale) { this.circuitInitScale = circuitInitScale; }
    /** True: the circuit is replaced by {@link ClassicalControl} (the ablation study's classical control). */
    public boolean isClassicalControl() { return classicalControl; }
    public void setClassicalControl(boolean classicalControl) { this.classicalControl = classicalControl; }

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
        return Objects.equals(circuit, q.circuit) && Double.compare(alpha, q.alpha) == 0
                && Double.compare(circuitInitScale, q.circuitInitScale) == 0 && classicalControl == q.classicalControl;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), circuit, alpha, circuitInitScale, classicalControl);
    }

    @Override
    public String toString() {
        return "QuantumLayer(name=" + layerName + ", d=" + nIn + ", " + circuit() + ", gradient=" + circuit.gradient()
                + ", alpha=" + alpha + (classicalControl ? ", classical control" : "") + ")";
    }

    /**
     * Builder: {@code new QuantumLayer.Builder().nIn(256).circuit(CircuitSpec.DEFAULT.withQubits(6)).alpha(0.5).build()};
     * {@link #qubits}, {@link #circuitLayers} and {@link #gradient} are shorthands that edit the spec.
     */
    @SuppressWarnings("unchecked")
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        private CircuitSpec circuit = CircuitSpec.DEFAULT;
        private double alpha = 1.0;
        private Double circuitInitScale; // null: pi, or ClassicalControl.initScale for the classical control
        private boolean classicalControl;

        /** The layer applies no activation function; identity is recorded so the JSON says so. */
        @SuppressWarnings("this-escape")
        public Builder() {
            activation(Activation.IDENTITY);
        }

        /** The circuit and its gradient method (default {@link CircuitSpec#DEFAULT}). */
        public Builder circuit(CircuitSpec spec) { this.circuit = spec; return this; }
        public Builder qubits(int qubits) { this.circuit = circuit.withQubits(qubits); return this; }
        public Builder circuitLayers(int layers) { this.circuit = circuit.withLayers(layers); return this; }
        public Builder gradient(Gradient method) { this.circuit = circuit.withGradient(method.id()); return this; }
        /** Scale of the quantum residual branch: h' = h + alpha * W_r z. */
        public Builder alpha(double alpha) { this.alpha = alpha; return this; }
        /**
         * Circuit weights start uniform in [-scale, scale] (default pi; with the classical control
         * {@link ClassicalControl#initScale}).
         */
        public Builder circuitInitScale(double scale) { this.circuitInitScale = scale; return this; }
        /**
         * Replaces the circuit by {@link ClassicalControl}: the same parameters, shapes and projections, a
         * classical map in place of the simulation (the ablation study's control; default false).
         */
        public Builder classicalControl(boolean on) { this.classicalControl = on; return this; }

        /** Takes qubits, layers, encoding, rotations and entangler from a circuit (the gradient method stays). */
        public Builder circuit(Circuit c) {
            this.circuit = CircuitSpec.of(c, circuit.gradientMethod());
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public QuantumLayer build() {
            return new QuantumLayer(this);
        }
    }
}
