package org.dgquantum.trainer.model;

import org.dgquantum.dl4j.FeatureNormImpl;
import org.dgquantum.dl4j.GradientReversalImpl;
import org.dgquantum.dl4j.FeatureNorm;
import org.dgquantum.dl4j.GradientReversal;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dgquantum.engine.CircuitSpec;
import org.dgquantum.engine.QuantumBackend;
import org.dgquantum.dl4j.ClassicalControl;
import org.dgquantum.dl4j.QuantumLayer;
import org.dgquantum.dl4j.QuantumLayerImpl;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Assembles the DG-Quantum network (docs/architecture.md) as one DL4J ComputationGraph:
 * <pre>
 *   input [B, C, S, S] -> encoder -> h [B, 256] -> h_norm (feature-norm penalty beta E||h||^2)
 *       h_norm -> quantum (h' = h + alpha W_r z) -> class (softmax, MCXENT, {@code classes} outputs)
 *       h_norm -> grl (gradient reversal, lambda) -> domain_hidden (ReLU) -> domain (softmax, MCXENT, {@code domains})
 * </pre>
 * Outputs, in order: {@value #CLASS_OUTPUT}, then {@value #DOMAIN_OUTPUT} when adversarial. So
 * {@code graph.fit(new MultiDataSet(new INDArray[] {x}, new INDArray[] {yClass, yDomain}))} trains
 * CE_class + CE_domain + beta E||h||^2, the encoder receiving -lambda times the domain gradient; the
 * baselines are the same graph with {@code quantum = false, adversarial = false}.
 */
public final class DgQuantumGraph {
    public static final String INPUT = Encoders.INPUT;
    public static final String FEATURE = Encoders.FEATURE;
    public static final String FEATURE_NORM = "h_norm";
    public static final String QUANTUM = "quantum";
    public static final String CLASS_OUTPUT = "class";
    public static final String GRL = "grl";
    public static final String DOMAIN_HIDDEN = "domain_hidden";
    public static final String DOMAIN_OUTPUT = "domain";

    private DgQuantumGraph() {
    }

    /**
     * Every option of the network.
     *
     * @param model         encoder architecture
     * @param width         encoder width multiplier
     * @param inputSize     square input size in pixels
     * @param channels      1 (grayscale) or 3
     * @param featureDim    size of h (256)
     * @param quantum       include the quantum layer (false: h goes straight to the class head)
     * @param circuit       the quantum layer's circuit and gradient method ({@link CircuitSpec#DEFAULT})
     * @param classicalControl the quantum layer's circuit replaced by {@link ClassicalControl} (same parameter count)
     * @param alpha         scale of the quantum residual
     * @param adversarial   include the gradient-reversal domain head
     * @param domains       domain classes (3 virtual domains)
     * @param domainHidden  hidden units of the domain head (0: linear head)
     * @param classes       diagnostic classes (2)
     * @param beta          feature-norm penalty weight
     * @param learningRate  Adam learning rate
     * @param seed          parameter initialisation seed
     * @param dataType      FLOAT (training) or DOUBLE (gradient checks)
     */
    public record Options(EncoderType model, double width, int inputSize, int channels, int featureDim,
                          boolean quantum, CircuitSpec circuit, boolean classicalControl, double alpha, boolean adversarial, int domains, int domainHidden,
                          int classes, double beta, double learningRate, long seed, DataType dataType) {
        public Options {
            circuit = circuit.validated();
            if (classicalControl && !quantum) {
                throw new IllegalArgumentException("classicalControl: true (expected the quantum layer on: the control"
                        + " replaces its circuit)");
            }
            new EncoderSpec(model, width, inputSize, channels, featureDim); // validates
            if (domains < 2 && adversarial) {
                throw new IllegalArgumentException("domains: " + domains + " (expected >= 2 for the domain head)");
            }
            if (classes < 2) {
                throw new IllegalArgumentException("classes: " + classes + " (expected >= 2)");
            }
            if (domainHidden < 0) {
                throw new IllegalArgumentException("domainHidden: " + domainHidden + " (expected >= 0)");
            }
            if (!(beta >= 0) || Double.isInfinite(beta)) {
                throw new IllegalArgumentException("beta: " + beta + " (expected a finite number >= 0)");
            }
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learningRate: " + learningRate + " (expected > 0)");
            }
            if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
                throw new IllegalArgumentException("dataType: " + dataType + " (expected FLOAT or DOUBLE)");
            }
        }

        /** DG-Quantum defaults: MobileNetV2 x0.5 at 64x64 grayscale, {@link CircuitSpec#DEFAULT}. */
        public static Builder builder() {
            return new Builder();
        }

        public Builder toBuilder() {
            return new Builder(this);
        }

        public EncoderSpec encoder() {
            return new EncoderSpec(model, width, inputSize, channels, featureDim);
        }
    }

    /** Fluent builder of {@link Options}. */
    public static final class Builder {
        private EncoderType model = EncoderType.MOBILENETV2;
        private double width = 0.5;
        private int inputSize = 64;
        private int channels = 1;
        private int featureDim = 256;
        private boolean quantum = true;
        private CircuitSpec circuit = CircuitSpec.DEFAULT;
        private boolean classicalControl;
        private double alpha = 1.0;
        private boolean adversarial = true;
        private int domains = 3;
        private int domainHidden = 64;
        private int classes = 2;
        private double beta = 1e-4;
        private double learningRate = 1e-3;
        private long seed = 42;
        private DataType dataType = DataType.FLOAT;

        Builder() {
        }

        Builder(Options o) {
            model = o.model(); width = o.width(); inputSize = o.inputSize(); channels = o.channels();
            featureDim = o.featureDim(); quantum = o.quantum(); circuit = o.circuit(); classicalControl = o.classicalControl(); alpha = o.alpha();
            adversarial = o.adversarial(); domains = o.domains(); domainHidden = o.domainHidden(); classes = o.classes();
            beta = o.beta(); learningRate = o.learningRate(); seed = o.seed(); dataType = o.dataType();
        }

        public Builder model(EncoderType v) { model = v; return this; }
        public Builder model(String v) { model = EncoderType.parse(v, "model"); return this; }
        public Builder width(double v) { width = v; return this; }
        public Builder inputSize(int v) { inputSize = v; return this; }
        public Builder channels(int v) { channels = v; return this; }
        public Builder featureDim(int v) { featureDim = v; return this; }
        public Builder quantum(boolean v) { quantum = v; return this; }
        public Builder circuit(CircuitSpec v) { circuit = v; return this; }
        public Builder classicalControl(boolean v) { classicalControl = v; return this; }
        /** Shorthands that edit the circuit spec. */
        public Builder qubits(int v) { circuit = circuit.withQubits(v); return this; }
        public Builder circuitLayers(int v) { circuit = circuit.withLayers(v); return this; }
        public Builder gradient(String v) { circuit = circuit.withGradient(v); return this; }
        public Builder alpha(double v) { alpha = v; return this; }
        public Builder adversarial(boolean v) { adversarial = v; return this; }
        public Builder domains(int v) { domains = v; return this; }
        public Builder domainHidden(int v) { domainHidden = v; return this; }
        public Builder classes(int v) { classes = v; return this; }
        public Builder beta(double v) { beta = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder dataType(DataType v) { dataType = v; return this; }

        /** A plain classifier (the baselines): no quantum layer, no domain head. */
        public Builder baseline() { quantum = false; adversarial = false; return this; }

        public Options build() {
            return new Options(model, width, inputSize, channels, featureDim, quantum, circuit, classicalControl, alpha, adversarial, domains, domainHidden, classes, beta,
                    learningRate, seed, dataType);
        }
    }

    /** The network's configuration (validated; building it allocates nothing). */
    public static ComputationGraphConfiguration configuration(Options o) {
        GraphBuilder b = Encoders.base(o.seed(), o.dataType(), o.learningRate()).graphBuilder().addInputs(INPUT);
        String h = Encoders.add(b, o.encoder(), INPUT);
        b.addLayer(FEATURE_NORM, new FeatureNorm(o.beta()), h);
        String head = FEATURE_NORM;
        if (o.quantum()) {
            b.addLayer(QUANTUM, new QuantumLayer.Builder().nIn(o.featureDim()).nOut(o.featureDim())
                    .circuit(o.circuit()).classicalControl(o.classicalControl()).alpha(o.alpha()).build(), FEATURE_NORM);
            head = QUANTUM;
        }
        b.addLayer(CLASS_OUTPUT, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(o.featureDim())
                .nOut(o.classes()).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), head);
        List<String> outputs = new ArrayList<>(List.of(CLASS_OUTPUT));
        if (o.adversarial()) {
            b.addLayer(GRL, new GradientReversal(0.0), FEATURE_NORM);
            String d = GRL;
            int dIn = o.featureDim();
            if (o.domainHidden() > 0) {
                d = Blocks.dense(b, DOMAIN_HIDDEN, GRL, o.featureDim(), o.domainHidden(), Activation.RELU);
                dIn = o.domainHidden();
            }
            b.addLayer(DOMAIN_OUTPUT, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(dIn)
                    .nOut(o.domains()).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), d);
            outputs.add(DOMAIN_OUTPUT);
        }
        return b.setOutputs(outputs.toArray(String[]::new)).setInputTypes(Encoders.inputType(o.encoder())).build();
    }

    /** Builds and initialises the network (parameters drawn from the seed). */
    public static ComputationGraph build(Options o) {
        ComputationGraph g = new ComputationGraph(configuration(o));
        g.init();
        return g;
    }

    /** Parameter counts of the whole network. */
    public static ParameterCounts parameterCounts(Options o) {
        return ParameterCounts.of(configuration(o));
    }

    /** DANN's lambda(p) = 2 / (1 + exp(-10 p)) - 1 of training progress p in [0, 1]. */
    public static double lambdaSchedule(double progress) {
        return GradientReversal.lambdaSchedule(progress);
    }

    /** Sets the gradient-reversal lambda (no-op for a graph without domain head). */
    public static void setLambda(ComputationGraph g, double lambda) {
        if (g.getConfiguration().getVertices().containsKey(GRL)) {
            ((GradientReversalImpl) g.getLayer(GRL)).setLambda(lambda);
        }
    }

    /** The current gradient-reversal lambda, or NaN without a domain head. */
    public static double lambda(ComputationGraph g) {
        return g.getConfiguration().getVertices().containsKey(GRL) ? ((GradientReversalImpl) g.getLayer(GRL)).getLambda()
                : Double.NaN;
    }

    /** The quantum layer, or null for a graph without one. */
    public static QuantumLayerImpl quantumLayer(ComputationGraph g) {
        Layer l = g.getConfiguration().getVertices().containsKey(QUANTUM) ? g.getLayer(QUANTUM) : null;
        return (QuantumLayerImpl) l;
    }

    /** Hands the quantum layer (if any) this backend; null: the library user's lazy default (dl4j QuantumBackends). */
    public static void setBackend(ComputationGraph g, QuantumBackend backend) {
        QuantumLayerImpl q = quantumLayer(g);
        if (q != null) {
            q.setBackend(backend);
        }
    }

    /** beta E||h||^2 of the last forward pass (0 when beta is 0). */
    public static double lastFeaturePenalty(ComputationGraph g) {
        return ((FeatureNormImpl) g.getLayer(FEATURE_NORM)).lastPenalty();
    }

    /** A seeded random batch with one-hot class (and domain, if the graph has a domain head) labels. */
    public static MultiDataSet randomBatch(DgQuantumGraph.Options o, int batch, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[batch * o.channels() * o.inputSize() * o.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        INDArray f = Nd4j.create(x, new long[] {batch, o.channels(), o.inputSize(), o.inputSize()}, 'c');
        List<INDArray> labels = new ArrayList<>();
        labels.add(oneHot(batch, o.classes(), r));
        if (o.adversarial()) {
            labels.add(oneHot(batch, o.domains(), r));
        }
        return new MultiDataSet(new INDArray[] {f}, labels.toArray(INDArray[]::new));
    }

    private static INDArray oneHot(int n, int k, SplittableRandom r) {
        float[] y = new float[n * k];
        for (int i = 0; i < n; i++) {
            y[i * k + r.nextInt(k)] = 1f;
        }
        return Nd4j.create(y, new long[] {n, k}, 'c');
    }
}
