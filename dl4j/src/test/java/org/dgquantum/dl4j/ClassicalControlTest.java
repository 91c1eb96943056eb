package org.dgquantum.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.CircuitSpec;
import org.dgquantum.engine.Gradient;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The classical control: its map and VJP, and the layer that uses it in place of the circuit. */
class ClassicalControlTest {

    private static double[] random(int n, long seed, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (2 * r.nextDouble() - 1) * scale;
        }
        return v;
    }

    /** sum_i g_i z_i for the loss whose gradient the VJP must give. */
    private static double loss(Circuit c, int batch, double[] x, double[] w, double[] g) {
        double[] z = new double[batch * c.qubits()];
        ClassicalControl.INSTANCE.forward(c, batch, x, w, z);
        double s = 0;
        for (int i = 0; i < z.length; i++) {
            s += g[i] * z[i];
        }
        return s;
    }

    /** d f / d v[i] by central differences (step 1e-6). */
    private static double centralDifference(double[] v, int i, java.util.function.ToDoubleFunction<double[]> f) {
        double h = 1e-6;
        double[] plus = v.clone();
        double[] minus = v.clone();
        plus[i] += h;
        minus[i] -= h;
        return (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * h);
    }

    @Test
    void theVjpMatchesCentralDifferencesForEveryRotationCount() {
        for (List<String> rotations : List.of(List.of("RY"), List.of("RY", "RZ"), List.of("RX", "RY", "RZ"),
                List.of("RX", "RY", "RZ", "RX", "RY"))) {
            Circuit c = Circuit.of(5, 3, "RY", rotations, "ring");
            int batch = 4;
            double[] x = random(batch * c.qubits(), 1, Math.PI);
            double[] w = random(c.weightCount(), 2, 1.2);
            double[] g = random(batch * c.qubits(), 3, 1);
            double[] dx = new double[x.length];
            double[] dw = new double[w.length];
            ClassicalControl.INSTANCE.backward(c, batch, x, w, g, dx, dw, Gradient.ADJOINT);
            for (int i = 0; i < x.length; i++) {
                assertEquals(centralDifference(x, i, v -> loss(c, batch, v, w, g)), dx[i], 1e-8,
                        rotations + " d/dx[" + i + "]");
            }
            for (int i = 0; i < w.length; i++) {
                assertEquals(centralDifference(w, i, v -> loss(c, batch, x, v, g)), dw[i], 1e-8,
                        rotations + " d/dw[" + i + "]");
            }
        }
    }

    @Test
    void theMapCouplesRingNeighboursAndStaysInMinusOneToOne() {
        Circuit c = Circuit.of(4, 1, "RY", List.of("RY", "RZ"), "ring");
        double[] x = {0, Math.PI / 2, Math.PI, 0.3};
        // w[0][q][0] = 1 (self), w[0][q][1] = 0.5 (ring neighbour q-1): z_q = tanh(cos x_q + 0.5 cos x_(q-1))
        double[] w = {1, 0.5, 1, 0.5, 1, 0.5, 1, 0.5};
        double[] z = new double[4];
        ClassicalControl.INSTANCE.forward(c, 1, x, w, z);
        for (int q = 0; q < 4; q++) {
            assertEquals(Math.tanh(Math.cos(x[q]) + 0.5 * Math.cos(x[(q + 3) % 4])), z[q], 1e-15, "z[" + q + "]");
        }
        double[] big = random(c.weightCount(), 9, 50);
        ClassicalControl.INSTANCE.forward(c, 1, x, big, z);
        for (double v : z) {
            assertTrue(v >= -1 && v <= 1, "z outside [-1, 1]: " + v);
        }
    }

    @Test
    void float32BuffersGiveTheFloat64ResultToFloatPrecision() {
        Circuit c = Circuit.of(6, 2, "RY", List.of("RY", "RZ", "RX"), "ring");
        double[] x = random(3 * 6, 4, Math.PI);
        double[] w = random(c.weightCount(), 5, 1);
        double[] z = new double[x.length];
        ClassicalControl.INSTANCE.forward(c, 3, x, w, z);
        float[] xf = new float[x.length];
        float[] wf = new float[w.length];
        for (int i = 0; i < x.length; i++) xf[i] = (float) x[i];
        for (int i = 0; i < w.length; i++) wf[i] = (float) w[i];
        float[] zf = new float[z.length];
        ClassicalControl.INSTANCE.forward(c, 3, xf, wf, zf);
        for (int i = 0; i < z.length; i++) {
            assertEquals(z[i], zf[i], 1e-5, "z[" + i + "]");
        }
    }

    @Test
    void theLayerKeepsTheQuantumLayersParametersAndShapesAndUsesTheControl() {
        CircuitSpec spec = CircuitSpec.DEFAULT;
        QuantumLayer quantum = new QuantumLayer.Builder().nIn(16).circuit(spec).build();
        QuantumLayer control = new QuantumLayer.Builder().nIn(16).circuit(spec).classicalControl(true).build();
        assertEquals(QuantumParamInitializer.getInstance().numParams(quantum),
                QuantumParamInitializer.getInstance().numParams(control));
        assertEquals(ClassicalControl.initScale(spec.rotations().size()), control.getCircuitInitScale(), 0);
        assertEquals(Math.PI, quantum.getCircuitInitScale(), 0);

        ComputationGraphConfiguration conf = QuantumLayerTest.conf(DataType.FLOAT, 16, control);
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        QuantumLayer l = (QuantumLayer) ((LayerVertex) back.getVertices().get("q")).getLayerConf().getLayer();
        assertTrue(l.isClassicalControl(), "the flag must survive DL4J's JSON");
        assertNotEquals(QuantumLayerTest.conf(DataType.FLOAT, 16, quantum), back);

        ComputationGraph g = new ComputationGraph(back);
        g.init();
        QuantumLayerImpl impl = (QuantumLayerImpl) g.getLayer("q");
        CountingBackend ignored = new CountingBackend();
        impl.setBackend(ignored); // the trainer hands every layer its run's backend: the control keeps its own map
        assertSame(ClassicalControl.INSTANCE, impl.backend());
        g.fit(QuantumLayerTest.data(DataType.FLOAT, 8, 16, 3));
        assertEquals(0, ignored.forwards.get() + ignored.backwards.get(), "the circuit backend must not be called");
        assertEquals(2, g.outputSingle(Nd4j.rand(DataType.FLOAT, 3, 16)).size(1));
    }
}
