package org.dgquantum.dl4j;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dgquantum.bindings.EmulatedGpu;
import org.dgquantum.engine.JavaBackend;
import org.dgquantum.engine.QuantumBackend;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * Run in a JVM prepared by {@link EmulatedGpu} (WholeLayerOnDeviceTest): the same network with the quantum layer
 * on the emulated CUDA backend (the whole layer in its device memory) and on the Java backend (host memory),
 * compared. Prints "OK what" or "FAIL what: detail" per check.
 */
public final class WholeLayerOnDeviceMain {
    private WholeLayerOnDeviceMain() {
    }

    public static void main(String[] args) throws Exception {
        try (QuantumBackend gpu = EmulatedGpu.open(); JavaBackend java = new JavaBackend(1)) {
            for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                double tol = dt == DataType.FLOAT ? 2e-4 : 1e-9;
                ComputationGraph onGpu = net(dt, gpu);
                ComputationGraph onHost = net(dt, java);
                QuantumLayerImpl q = (QuantumLayerImpl) onGpu.getLayer("q");
                System.out.println("MEMORY " + dt + " " + q.memory() + " / " + ((QuantumLayerImpl) onHost.getLayer("q")).memory());
                MultiDataSet data = QuantumLayerTest.data(dt, 16, 12, 5);
                compare("output " + dt, onGpu.outputSingle(data.getFeatures(0)), onHost.outputSingle(data.getFeatures(0)), tol);
                for (ComputationGraph g : new ComputationGraph[] {onGpu, onHost}) {
                    g.setInputs(data.getFeatures());
                    g.setLabels(data.getLabels());
                    g.computeGradientAndScore();
                }
                compare("gradient " + dt, onGpu.gradient().gradient(), onHost.gradient().gradient(), tol);
                for (int step = 0; step < 3; step++) {
                    onGpu.fit(QuantumLayerTest.data(dt, 16 - 4 * step, 12, 10 + step)); // batch sizes change too
                    onHost.fit(QuantumLayerTest.data(dt, 16 - 4 * step, 12, 10 + step));
                }
                // Adam divides by the root of the squared gradients: where a gradient is near 0, float32 rounding moves
                // a step by up to the learning rate, hence the looser bound after training.
                compare("parameters after 3 steps " + dt, onGpu.params(), onHost.params(), 10 * tol);
                long[] calls = q.backendCalls();
                System.out.println((calls[0] >= 4 && calls[1] >= 4 ? "OK" : "FAIL") + " backend calls " + dt + ": "
                        + calls[0] + " forward, " + calls[1] + " backward");
            }
            System.setProperty(QuantumLayerImpl.WHOLE_LAYER_ON_DEVICE, "false");
            System.out.println("SWITCHED OFF " + ((QuantumLayerImpl) net(DataType.FLOAT, gpu).getLayer("q")).memory());
            System.clearProperty(QuantumLayerImpl.WHOLE_LAYER_ON_DEVICE);
        }
        // The real cuBLAS binding: without libcublas.so.12 the layer says why and stays on the host.
        try (QuantumBackend gpu = EmulatedGpu.openWithJCublas()) {
            ComputationGraph g = net(DataType.FLOAT, gpu);
            QuantumLayerImpl q = (QuantumLayerImpl) g.getLayer("q");
            System.out.println("WITH JCUBLAS " + q.memory());
            MultiDataSet data = QuantumLayerTest.data(DataType.FLOAT, 4, 12, 5);
            g.fit(data);
            System.out.println("WITH JCUBLAS trained, score " + g.score());
        }
    }

    private static ComputationGraph net(DataType dt, QuantumBackend backend) {
        ComputationGraph g = new ComputationGraph(QuantumLayerTest.conf(dt, 12,
                new QuantumLayer.Builder().nIn(12).qubits(4).circuitLayers(2).alpha(0.8).build()));
        g.init();
        ((QuantumLayerImpl) g.getLayer("q")).setBackend(backend);
        return g;
    }

    private static void compare(String what, INDArray got, INDArray want, double tol) {
        double worst = got.castTo(DataType.DOUBLE).sub(want.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        boolean finite = !Double.isNaN(worst);
        System.out.println((finite && worst <= tol ? "OK " : "FAIL ") + what + ": max difference " + worst + " (tolerance " + tol + ")");
    }
}
