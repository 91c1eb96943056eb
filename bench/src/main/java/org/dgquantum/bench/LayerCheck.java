package org.dgquantum.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dgquantum.dl4j.QuantumLayer;
import org.dgquantum.dl4j.QuantumLayerImpl;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.Backends;
import org.dgquantum.engine.JavaBackend;
import org.dgquantum.engine.QuantumBackend;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * For a GPU owner (bindings/gpu-check.sh runs it after {@link GpuCheck}): the whole quantum layer on the GPU
 * (ND4J on the CPU; projections through cuBLAS, pi tanh and the circuit through the project's kernels) against
 * the same layer on the Java backend, float32, then the layer's time per batch (forward + backward) on the whole-
 * layer path, on the host path with the circuit on the GPU, and on the Java backend: one Markdown table.
 * Exit status 1, and no table, if the check fails; 2 if the CUDA backend is unavailable.
 */
public final class LayerCheck {
    /** float32 against float32: outputs absolute, gradients relative to the largest one. */
    static final double TOLERANCE = 1e-4;

    private LayerCheck() {
    }

    public static void main(String[] args) throws Exception {
        QuantumBackend cuda;
        try {
            cuda = Backends.open("cuda");
        } catch (BackendUnavailableException e) {
            System.err.println("layer-check: CUDA backend unavailable: " + e.getMessage());
            System.exit(2);
            return;
        }
        try (cuda) {
            System.exit(run(cuda, 256, 8, new int[] {32, 256, 4096}) ? 0 : 1);
        }
    }

    /** The check, then the table; false (after printing why) if the check fails. */
    static boolean run(QuantumBackend device, int d, int n, int[] batches) {
        try (JavaBackend java = new JavaBackend()) {
            List<String> failures = check(device, java, d, n, 64);
            if (!failures.isEmpty()) {
                System.err.println("layer-check: FAILED: the whole layer on " + device.name() + " against the Java layer:");
                failures.forEach(f -> System.err.println("  " + f));
                return false;
            }
            System.err.println("layer-check: the whole layer on " + device.name() + " matches the Java layer (float32, d = "
                    + d + ", n = " + n + ", tolerance " + TOLERANCE + ")");
            System.out.print(table(device, java, d, n, batches));
            return true;
        }
    }

    /** Outputs and gradients of one batch, the layer on the device against the layer on the reference backend. */
    static List<String> check(QuantumBackend device, QuantumBackend reference, int d, int n, int batch) {
        List<String> failures = new ArrayList<>();
        ComputationGraph onDevice = net(d, n, device, true);
        ComputationGraph onHost = net(d, n, reference, false);
        String memory = quantum(onDevice).memory();
        if (!memory.equals("backend device")) {
            failures.add("the layer did not take the whole-layer path on " + device.name() + " (memory: " + memory
                    + "; its log line says why)");
            return failures;
        }
        INDArray x = input(batch, d, 1);
        INDArray y = labels(batch);
        double out = maxDifference(onDevice.outputSingle(x), onHost.outputSingle(x));
        if (!(out <= TOLERANCE)) {
            failures.add("outputs differ by " + out);
        }
        for (ComputationGraph g : new ComputationGraph[] {onDevice, onHost}) {
            g.setInputs(x);
            g.setLabels(y);
            g.computeGradientAndScore();
        }
        INDArray want = onHost.gradient().gradient();
        double grad = maxDifference(onDevice.gradient().gradient(), want) / Math.max(1, want.amaxNumber().doubleValue());
        if (!(grad <= TOLERANCE)) {
            failures.add("gradients differ by " + grad + " (relative to the largest)");
        }
        return failures;
    }

    /** Milliseconds per batch in the quantum layer (forward + backward), median of a few after warm-up. */
    static String table(QuantumBackend device, QuantumBackend java, int d, int n, int[] batches) {
        StringBuilder t = new StringBuilder();
        t.append("Whole quantum layer, float32, d = ").append(d).append(", n = ").append(n)
                .append(", L = 3, RY RZ, ring, adjoint; ms per batch in the layer (forward + backward), median\n\n")
                .append("| B | whole layer on ").append(device.name()).append(" | host path, circuit on the GPU | java |")
                .append(" whole layer vs host path |\n|---|---|---|---|---|\n");
        for (int b : batches) {
            double whole = millisPerBatch(net(d, n, device, true), b, d);
            double host = millisPerBatch(net(d, n, device, false), b, d);
            double cpu = millisPerBatch(net(d, n, java, false), b, d);
            t.append(String.format(Locale.ROOT, "| %d | %.3f | %.3f | %.3f | %.1fx |%n", b, whole, host, cpu, host / whole));
        }
        return t.toString();
    }

    private static double millisPerBatch(ComputationGraph g, int batch, int d) {
        g.setInputs(input(batch, d, 2));
        g.setLabels(labels(batch));
        QuantumLayerImpl q = quantum(g);
        List<Double> ms = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 3 || (i < 23 && System.nanoTime() - start < 3_000_000_000L); i++) {
            q.resetTimers();
            g.computeGradientAndScore();
            if (i >= 3) {
                ms.add(q.layerNanos() / 1e6);
            }
        }
        double[] a = ms.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length == 0 ? Double.NaN : a[a.length / 2];
    }

    /** input -> quantum layer -> softmax output, float32; wholeLayer = false keeps the layer's matrices on the host. */
    static ComputationGraph net(int d, int n, QuantumBackend backend, boolean wholeLayer) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new Sgd(1e-2)).graphBuilder()
                .addInputs("h")
                .addLayer("q", new QuantumLayer.Builder().nIn(d).qubits(n).build(), "h")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(d).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "q")
                .setOutputs("out").setInputTypes(InputType.feedForward(d)).build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        String before = System.getProperty(QuantumLayerImpl.WHOLE_LAYER_ON_DEVICE);
        System.setProperty(QuantumLayerImpl.WHOLE_LAYER_ON_DEVICE, Boolean.toString(wholeLayer));
        try {
            quantum(g).setBackend(backend);
            quantum(g).memory(); // the path is chosen here, while the property holds
        } finally {
            if (before == null) {
                System.clearProperty(QuantumLayerImpl.WHOLE_LAYER_ON_DEVICE);
            } else {
                System.setProperty(QuantumLayerImpl.WHOLE_LAYER_ON_DEVICE, before);
            }
        }
        return g;
    }

    private static QuantumLayerImpl quantum(ComputationGraph g) {
        return (QuantumLayerImpl) g.getLayer("q");
    }

    private static INDArray input(int batch, int d, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, batch, d).subi(0.5);
    }

    private static INDArray labels(int batch) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 2);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % 2, 1);
        }
        return y;
    }

    private static double maxDifference(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
