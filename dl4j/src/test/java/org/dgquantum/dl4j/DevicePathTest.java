package org.dgquantum.dl4j;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.JavaBackend;
import org.dgquantum.engine.Precision;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quantum layer's device path (DeviceArrays), on ND4J's CPU backend: a fake device backend reads and
 * writes the arrays' host memory at the addresses the layer hands it, and a replaced "ND4J is on a GPU"
 * check makes the layer take that path. What this cannot show (no GPU here): ND4J's CUDA location tags and
 * stream synchronisation at work, and CudaBackend's kernels on ND4J's device buffers.
 */
class DevicePathTest {
    private static final Circuit C = Circuit.standard(3, 2);

    @Test
    void hostPathUnlessNd4jIsOnAGpuAndTheBackendTakesDevicePointersOnTheSameGpu() {
        FakeDeviceBackend dev0 = new FakeDeviceBackend(0);
        assertEquals("ND4J runs on the CPU", DeviceArrays.hostReason(false, 0, dev0, C, DataType.FLOAT));
        assertEquals("the quantum backend counting-java takes no device pointers",
                DeviceArrays.hostReason(true, 0, new CountingBackend(), C, DataType.FLOAT));
        assertEquals("the quantum backend is on GPU 1, ND4J on GPU 0",
                DeviceArrays.hostReason(true, 0, new FakeDeviceBackend(1), C, DataType.FLOAT));
        assertTrue(DeviceArrays.hostReason(true, 0, dev0, C, DataType.HALF).startsWith("data type HALF"));
        assertTrue(DeviceArrays.hostReason(true, 0, dev0, Circuit.standard(3, 0), DataType.FLOAT)
                .startsWith("a circuit without layers"));
        assertNull(DeviceArrays.hostReason(true, 0, dev0, C, DataType.FLOAT));
        assertNull(DeviceArrays.hostReason(true, 1, new FakeDeviceBackend(1), C, DataType.DOUBLE));
        assertNull(DeviceBackend.of(new JavaBackend(1)), "the Java backend has no device entry points");
        assertTrue(DeviceBackend.of(dev0) == dev0);
    }

    @Test
    void withNd4jOnTheCpuTheLayerKeepsTheHostPathEvenForADeviceBackend() {
        assertFalse(DeviceArrays.nd4jOnGpu(), "these tests run on nd4j-native");
        FakeDeviceBackend backend = new FakeDeviceBackend(0);
        ComputationGraph g = net(DataType.FLOAT, backend, false);
        QuantumLayerImpl q = (QuantumLayerImpl) g.getLayer("q");
        assertNull(q.devicePath());
        g.fit(QuantumLayerTest.data(DataType.FLOAT, 4, 6, 9));
        assertEquals(0, backend.calls.size());
        assertEquals(1, backend.forwards.get());
        assertEquals(1, backend.backwards.get());
    }

    @Test
    void ownDenseArraysArePassedByAddressAndParameterViewsAsCopies() {
        FakeDeviceBackend backend = new FakeDeviceBackend(0);
        DeviceArrays dev = new DeviceArrays(backend, DataType.FLOAT);
        Nd4j.getRandom().setSeed(5);
        INDArray theta = Nd4j.rand(DataType.FLOAT, 4, 3).subi(0.5).muli(3);
        INDArray flat = Nd4j.rand(DataType.FLOAT, 1, 30);
        INDArray w = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(7, 7 + C.weightCount()))
                .reshape('c', 1, C.weightCount()); // a view at an offset, like the layer's parameters
        assertTrue(DeviceArrays.ownDenseRowMajor(theta));
        assertFalse(DeviceArrays.ownDenseRowMajor(w));

        INDArray z = dev.forward(C, theta, w);

        FakeDeviceBackend.Call call = backend.calls.get(0);
        assertEquals(4, call.batch());
        assertEquals(Precision.FLOAT32, call.precision());
        assertEquals(theta.data().platformAddress(), call.addresses()[0], "theta is passed in place");
        assertNotEquals(w.data().platformAddress(), call.addresses()[1], "a view is copied first");
        assertEquals(z.data().platformAddress(), call.addresses()[2], "z is written in place");
        assertArrayEquals(theta.data().asDouble(), call.inputs(), 0.0);
        assertArrayEquals(w.dup().data().asDouble(), call.weights(), 0.0);
        assertArrayEquals(new long[] {4, 3}, z.shape());
        float[] expected = new float[12];
        new JavaBackend(1).forward(C, 4, theta.data().asFloat(), w.dup().data().asFloat(), expected);
        assertArrayEquals(expected, z.data().asFloat(), 0f);

        INDArray up = Nd4j.rand(DataType.FLOAT, 4, 3);
        INDArray[] grads = dev.backward(C, theta, w, up, Gradient.ADJOINT);
        FakeDeviceBackend.Call back = backend.calls.get(1);
        assertEquals("backward", back.kind());
        assertEquals(up.data().platformAddress(), back.addresses()[2]);
        assertEquals(grads[0].data().platformAddress(), back.addresses()[3]);
        assertEquals(grads[1].data().platformAddress(), back.addresses()[4]);
        assertArrayEquals(new long[] {4, 3}, grads[0].shape());
        assertArrayEquals(new long[] {1, C.weightCount()}, grads[1].shape());
        float[] dIn = new float[12];
        float[] dW = new float[C.weightCount()];
        new JavaBackend(1).backward(C, 4, theta.data().asFloat(), w.dup().data().asFloat(), up.data().asFloat(), dIn,
                dW, Gradient.ADJOINT);
        assertArrayEquals(dIn, grads[0].data().asFloat(), 0f);
        assertArrayEquals(dW, grads[1].data().asFloat(), 0f);
    }

    @Test
    void theDevicePathComputesWhatTheHostPathComputes() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            double tol = dt == DataType.FLOAT ? 2e-5 : 1e-12;
            FakeDeviceBackend onDevice = new FakeDeviceBackend(0);
            FakeDeviceBackend onHost = new FakeDeviceBackend(0);
            ComputationGraph gd = net(dt, onDevice, true);
            ComputationGraph gh = net(dt, onHost, false);
            assertEquals(gh.params(), gd.params());
            QuantumLayerImpl q = (QuantumLayerImpl) gd.getLayer("q");
            assertNotNull(q.devicePath());
            MultiDataSet xy = QuantumLayerTest.data(dt, 5, 6, 9);

            INDArray outD = gd.feedForward(xy.getFeatures(), false).get("q");
            INDArray outH = gh.feedForward(xy.getFeatures(), false).get("q");
            assertArrayEquals(outH.data().asDouble(), outD.dup('c').data().asDouble(), tol, dt + ": activations");
            // theta handed to the backend = pi tanh(h Wq), [batch][qubits] row-major, in the network's precision
            FakeDeviceBackend.Call call = onDevice.calls.get(0);
            assertEquals(dt == DataType.FLOAT ? Precision.FLOAT32 : Precision.FLOAT64, call.precision());
            assertEquals(5, call.batch());
            INDArray theta = Transforms.tanh(xy.getFeatures(0).mmul(q.getParam(QuantumParamInitializer.WQ))).muli(Math.PI);
            assertArrayEquals(theta.dup('c').data().asDouble(), call.inputs(), tol);

            gd.setInputs(xy.getFeatures());
            gd.setLabels(xy.getLabels());
            gd.computeGradientAndScore();
            gh.setInputs(xy.getFeatures());
            gh.setLabels(xy.getLabels());
            gh.computeGradientAndScore();
            assertEquals(gh.score(), gd.score(), tol, dt + ": score");
            assertArrayEquals(gh.gradient().gradient().dup().data().asDouble(),
                    gd.gradient().gradient().dup().data().asDouble(), tol, dt + ": gradients");

            assertEquals(0, onDevice.forwards.get() + onDevice.backwards.get(), "no host-array calls on the device path");
            assertEquals(0, onHost.calls.size(), "no device calls on the host path");
            // one forward for feedForward, one for the training pass; the backward pass reuses its theta and z
            assertEquals(2, onDevice.deviceCalls("forward"));
            assertEquals(1, onDevice.deviceCalls("backward"));
        }
    }

    @Test
    void dl4jGradientCheckPassesOnTheDevicePath() {
        DataType savedDefault = Nd4j.dataType();
        DataType savedFloating = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            for (Gradient method : Gradient.values()) {
                FakeDeviceBackend backend = new FakeDeviceBackend(0);
                ComputationGraph g = QuantumLayerGradientCheckTest.net(method, 0.05, 0.8, backend);
                ((QuantumLayerImpl) g.getLayer("q")).setNd4jOnGpu(() -> true);
                assertTrue(QuantumLayerGradientCheckTest.check(g, QuantumLayerGradientCheckTest.data(4)),
                        method + ": gradient check failed (see log)");
                assertEquals(0, backend.forwards.get() + backend.backwards.get(), "no host-array calls");
                assertTrue(backend.deviceCalls("forward") >= 2 * g.numParams());
                assertTrue(backend.deviceCalls("backward") >= 1);
                assertEquals(method, backend.lastMethod);
            }
        } finally {
            Nd4j.setDefaultDataTypes(savedDefault, savedFloating);
        }
    }

    private static ComputationGraph net(DataType dt, FakeDeviceBackend backend, boolean devicePath) {
        ComputationGraph g = new ComputationGraph(QuantumLayerTest.conf(dt, 6,
                new QuantumLayer.Builder().nIn(6).qubits(3).circuitLayers(2).alpha(0.9).build()));
        g.init();
        QuantumLayerImpl q = (QuantumLayerImpl) g.getLayer("q");
        q.setBackend(backend);
        if (devicePath) {
            q.setNd4jOnGpu(() -> true);
        }
        return g;
    }
}
