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
 * The quantum layer on device memory (DeviceOps, DeviceBuffer), on ND4J's CPU backend: a fake backend that
 * accepts "device" memory reads and writes the arrays' host memory at the addresses the layer hands it, and a
 * replaced "ND4J is on a GPU" check makes the layer take that path. What this cannot show (no GPU here): ND4J's CUDA location tags and
 * stream synchronisation at work, and CudaBackend's kernels on ND4J's device buffers (DevicePathGpuTest).
 */
class DevicePathTest {
    private static final Circuit C = Circuit.standard(3, 2);

    @Test
    void hostMemoryUnlessNd4jIsOnAGpuAndTheBackendAcceptsThatGpusMemory() {
        FakeDeviceBackend dev0 = new FakeDeviceBackend(0);
        assertEquals("ND4J runs on the CPU", DeviceOps.hostReason(false, 0, dev0, DataType.FLOAT));
        assertEquals("the quantum backend counting-java takes no memory of GPU 0",
                DeviceOps.hostReason(true, 0, new CountingBackend(), DataType.FLOAT));
        assertEquals("the quantum backend fake-device:1 takes no memory of GPU 0",
                DeviceOps.hostReason(true, 0, new FakeDeviceBackend(1), DataType.FLOAT));
        assertTrue(DeviceOps.hostReason(true, 0, dev0, DataType.HALF).startsWith("data type HALF"));
        assertNull(DeviceOps.hostReason(true, 0, dev0, DataType.FLOAT));
        assertNull(DeviceOps.hostReason(true, 1, new FakeDeviceBackend(1), DataType.DOUBLE));
        assertFalse(new JavaBackend(1).acceptsDevice(0), "the Java backend takes host memory only");
    }

    @Test
    void theWholeLayerSwitchTakesTrueOrFalseOnly() {
        String before = System.getProperty(QuantumLayerImpl.WHOLE_LAYER_ON_DEVICE);
        try {
            System.clearProperty(QuantumLayerImpl.WHOLE_LAYER_ON_DEVICE);
            assertTrue(QuantumLayerImpl.wholeLayerOnDeviceAllowed());
            System.setProperty(QuantumLayerImpl.WHOLE_LAYER_ON_DEVICE, "FALSE");
            assertFalse(QuantumLayerImpl.wholeLayerOnDeviceAllowed());
            System.setProperty(QuantumLayerImpl.WHOLE_LAYER_ON_DEVICE, "maybe");
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    QuantumLayerImpl::wholeLayerOnDeviceAllowed);
            assertEquals("-Ddgq.quantum.wholeLayerOnDevice=maybe: expected true or false", e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(QuantumLayerImpl.WHOLE_LAYER_ON_DEVICE);
            } else {
                System.setProperty(QuantumLayerImpl.WHOLE_LAYER_ON_DEVICE, before);
            }
        }
    }

    @Test
    void withNd4jOnTheCpuTheLayerKeepsHostMemoryEvenForADeviceBackend() {
        assertFalse(DeviceOps.nd4jOnGpu(), "these tests run on nd4j-native");
        FakeDeviceBackend backend = new FakeDeviceBackend(0);
        ComputationGraph g = net(DataType.FLOAT, backend, false);
        QuantumLayerImpl q = (QuantumLayerImpl) g.getLayer("q");
        assertEquals("host", q.memory());
        g.fit(QuantumLayerTest.data(DataType.FLOAT, 4, 6, 9));
        assertEquals(0, backend.calls.size());
        assertEquals(1, backend.forwards.get());
        assertEquals(1, backend.backwards.get());
    }

    @Test
    void ownDenseArraysArePassedByAddressAndParameterViewsAsCopies() {
        FakeDeviceBackend backend = new FakeDeviceBackend(0);
        ResidualQuantumCore<INDArray> core = new ResidualQuantumCore<>(new DeviceOps(DataType.FLOAT, 0), backend, C,
                0.5, Gradient.ADJOINT);
        Nd4j.getRandom().setSeed(5);
        INDArray h = Nd4j.rand(DataType.FLOAT, 4, 6).subi(0.5);
        INDArray wq = Nd4j.rand(DataType.FLOAT, 6, 3).subi(0.5);
        INDArray wr = Nd4j.rand(DataType.FLOAT, 3, 6).subi(0.5);
        INDArray flat = Nd4j.rand(DataType.FLOAT, 1, 30);
        INDArray w = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(7, 7 + C.weightCount()))
                .reshape('c', 1, C.weightCount()); // a view at an offset, like the layer's parameters
        assertFalse(DeviceOps.ownDenseRowMajor(w));

        ResidualQuantumCore.Forward<INDArray> f = core.forward(h, wq, wr, w);

        FakeDeviceBackend.Call call = backend.calls.get(0);
        assertEquals(4, call.batch());
        assertEquals(Precision.FLOAT32, call.precision());
        assertEquals(f.theta().data().platformAddress(), call.addresses()[0], "theta is passed in place");
        assertNotEquals(w.data().platformAddress(), call.addresses()[1], "a view is copied first");
        assertEquals(f.z().data().platformAddress(), call.addresses()[2], "z is written in place");
        assertArrayEquals(f.theta().data().asDouble(), call.inputs(), 0.0);
        assertArrayEquals(w.dup().data().asDouble(), call.weights(), 0.0);
        assertArrayEquals(new long[] {4, 3}, f.z().shape());
        float[] expected = new float[12];
        new JavaBackend(1).forward(C, 4, f.theta().data().asFloat(), w.dup().data().asFloat(), expected);
        assertArrayEquals(expected, f.z().data().asFloat(), 0f);

        INDArray eps = Nd4j.rand(DataType.FLOAT, 4, 6);
        ResidualQuantumCore.Backward<INDArray> g = core.backward(h, wq, wr, w, f, eps);
        FakeDeviceBackend.Call back = backend.calls.get(1);
        assertEquals("backward", back.kind());
        assertEquals(f.theta().data().platformAddress(), back.addresses()[0], "the kept theta is passed in place");
        assertEquals(g.dW().data().platformAddress(), back.addresses()[4], "dw is written in place");
        assertArrayEquals(new long[] {1, C.weightCount()}, g.dW().shape());
        // the upstream the backend got is g = alpha eps Wr^T; its VJP on the host gives the same dw
        INDArray up = eps.mmul(wr.transpose()).muli(0.5);
        assertArrayEquals(up.dup('c').data().asDouble(), back.upstream(), 1e-6);
        float[] dIn = new float[12];
        float[] dW = new float[C.weightCount()];
        new JavaBackend(1).backward(C, 4, f.theta().data().asFloat(), w.dup().data().asFloat(),
                Nd4j.createFromArray(back.upstream()).castTo(DataType.FLOAT).data().asFloat(), dIn, dW, Gradient.ADJOINT);
        assertArrayEquals(dW, g.dW().data().asFloat(), 0f);
        assertEquals(0, backend.forwards.get() + backend.backwards.get(), "no host-memory calls");
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
            assertEquals("device", q.memory());
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

            assertEquals(0, onDevice.forwards.get() + onDevice.backwards.get(), "no host-memory calls on the device path");
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
