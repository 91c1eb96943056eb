package org.dgquantum.dl4j;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters of {@link QuantumLayer}, in this order in the flat parameter vector:
 * <ul>
 *   <li>{@value #WQ}: W_q transposed, [d, qubits] ('f' order), Xavier-initialised; theta = pi tanh(h Wq)</li>
 *   <li>{@value #WR}: W_r transposed, [qubits, d] ('f' order), Xavier-initialised; h' = h + alpha z Wr</li>
 *   <li>{@value #CIRCUIT}: circuit angles [1, L*n*k], flat index (l*n + q)*k + r as in the engine,
 *       uniform in [-circuitInitScale, circuitInitScale]</li>
 * </ul>
 * All three are "weights" for regularization purposes (the layer has no bias).
 */
public final class QuantumParamInitializer implements ParamInitializer {
    public static final String WQ = "Wq";
    public static final String WR = "Wr";
    public static final String CIRCUIT = "circuit";

    private static final QuantumParamInitializer INSTANCE = new QuantumParamInitializer();

    public static QuantumParamInitializer getInstance() {
        return INSTANCE;
    }

    private QuantumParamInitializer() {
    }

    private static QuantumLayer conf(Layer l) {
        if (!(l instanceof QuantumLayer q)) {
            throw new IllegalArgumentException("not a QuantumLayer: " + l.getClass().getName());
        }
        return q;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        QuantumLayer q = conf(layer);
        return 2 * q.getNIn() * q.getCircuit().qubits() + q.circuit().weightCount();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return List.of(WQ, WR, CIRCUIT);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(WQ, WR, CIRCUIT);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return Collections.emptyList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WQ.equals(key) || WR.equals(key) || CIRCUIT.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return false;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        QuantumLayer q = conf(conf.getLayer());
        long expected = numParams(q);
        if (paramsView.length() != expected) {
            throw new IllegalStateException("QuantumLayer: expected a parameter view of length " + expected + ", got "
                    + paramsView.length());
        }
        Map<String, INDArray> views = views(q, paramsView);
        if (initializeParams) {
            long d = q.getNIn();
            long n = q.getCircuit().qubits();
            new WeightInitXavier().init(d, n, new long[] {d, n}, 'f', views.get(WQ));
            new WeightInitXavier().init(n, d, new long[] {n, d}, 'f', views.get(WR));
            INDArray w = views.get(CIRCUIT);
            if (w.length() > 0) {
                double s = q.getCircuitInitScale();
                if (s == 0) {
                    w.assign(0);
                } else {
                    new WeightInitDistribution(new UniformDistribution(-s, s)).init(1, 1, w.shape(), 'c', w);
                }
            }
        }
        Map<String, INDArray> out = Collections.synchronizedMap(new LinkedHashMap<>(views));
        for (String k : out.keySet()) {
            conf.addVariable(k);
        }
        return out;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(conf(conf.getLayer()), gradientView);
    }

    private static Map<String, INDArray> views(QuantumLayer q, INDArray flat) {
        long d = q.getNIn();
        long n = q.getCircuit().qubits();
        long p = q.circuit().weightCount();
        INDArray v = flat.reshape(new long[] {flat.length()});
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put(WQ, v.get(NDArrayIndex.interval(0, d * n)).reshape('f', new long[] {d, n}));
        m.put(WR, v.get(NDArrayIndex.interval(d * n, 2 * d * n)).reshape('f', new long[] {n, d}));
        m.put(CIRCUIT, v.get(NDArrayIndex.interval(2 * d * n, 2 * d * n + p)).reshape('c', new long[] {1, p}));
        return m;
    }
}
