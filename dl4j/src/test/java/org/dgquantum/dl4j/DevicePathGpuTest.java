package org.dgquantum.dl4j;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.Backends;
import org.dgquantum.engine.JavaBackend;
import org.dgquantum.engine.QuantumBackend;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The device path for real: ND4J on CUDA ({@code mvn -Pnd4j-cuda ...}) and CudaBackend on the same GPU,
 * against the host path with the Java backend. Skipped (with the reason) unless both are there; with
 * {@code -Ddgq.test.requireGpu=true} a missing GPU fails instead. Written and compiled, never run: no GPU
 * was available (docs/trainer.md, "GPU").
 */
class DevicePathGpuTest {

    @Test
    void devicePathOnTheGpuMatchesTheHostPath() throws Exception {
        String why = !DeviceOps.nd4jOnGpu() ? "ND4J runs on the CPU (build with -Pnd4j-cuda)" : null;
        QuantumBackend cuda = null;
        if (why == null) {
            try {
                cuda = Backends.open("cuda");
            } catch (BackendUnavailableException e) {
                why = "no CUDA quantum backend: " + e.getMessage();
            }
        }
        if (why != null && Boolean.getBoolean("dgq.test.requireGpu")) {
            throw new AssertionError("-Ddgq.test.requireGpu=true, but " + why);
        }
        assumeTrue(why == null, "SKIPPED: " + why);
        try (QuantumBackend gpu = cuda; JavaBackend java = new JavaBackend(1)) {
            for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                double tol = dt == DataType.FLOAT ? 1e-4 : 1e-10;
                ComputationGraph gd = net(dt, gpu);
                ComputationGraph gh = net(dt, java);
                assertEquals("device", ((QuantumLayerImpl) gd.getLayer("q")).memory(), "the device path must be taken");
                MultiDataSet xy = QuantumLayerTest.data(dt, 16, 12, 11);
                INDArray outD = gd.feedForward(xy.getFeatures(), false).get("q");
                INDArray outH = gh.feedForward(xy.getFeatures(), false).get("q");
                assertArrayEquals(outH.dup('c').data().asDouble(), outD.dup('c').data().asDouble(), tol, dt + ": activations");
                for (ComputationGraph g : new ComputationGraph[] {gd, gh}) {
                    g.setInputs(xy.getFeatures());
                    g.setLabels(xy.getLabels());
                    g.computeGradientAndScore();
                }
                assertEquals(gh.score(), gd.score(), tol, dt + ": score");
                assertArrayEquals(gh.gradient().gradient().dup().data().asDouble(),
                        gd.gradient().gradient().dup().data().asDouble(), tol, dt + ": gradients");
                gd.fit(xy); // a training step on the device path, with DL4J's workspaces
            }
        }
    }

    private static ComputationGraph net(DataType dt, QuantumBackend backend) {
        ComputationGraph g = new ComputationGraph(QuantumLayerTest.conf(dt, 12,
                new QuantumLayer.Builder().nIn(12).qubits(6).circuitLayers(3).build()));
        g.init();
        ((QuantumLayerImpl) g.getLayer("q")).setBackend(backend);
        return g;
    }
}
