package org.dgquantum.dl4j;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.QuantumBackend;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * Runtime of {@link QuantumLayer}: the DL4J adapter over {@link ResidualQuantumCore}, which holds the layer's
 * math and its VJP. This class chooses the memory the core works in, moves DL4J's arrays in and out, and
 * times the passes. Network data type FLOAT simulates the circuit in float32, DOUBLE in float64 (so that
 * DL4J's gradient checks work).
 *
 * <p>Memory: ND4J's device arrays ({@link DeviceOps}) when ND4J runs on a GPU whose memory the backend
 * {@linkplain QuantumBackend#acceptsDevice accepts} (the CUDA backend of that GPU): no host copies, the kept theta
 * and z stay on the device. With ND4J on the CPU, the backend's own device memory ({@link BackendDeviceOps}) where
 * the backend {@linkplain QuantumBackend#openLayerOps runs the whole layer} (the CUDA backend with cuBLAS): the
 * projections, pi tanh, circuit and residual all on its GPU, unless {@value #WHOLE_LAYER_ON_DEVICE}=false.
 * Host buffers ({@link HostOps}) otherwise, and for empty batches. The choice and its reason are logged once.
 *
 * <p>The backend: the one given with {@link #setBackend} (the trainer passes the run's), else the library
 * user's lazy default {@link QuantumBackends#shared()}.
 */
public class QuantumLayerImpl extends BaseLayer<QuantumLayer> {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(QuantumLayerImpl.class.getName());
    /** System property: false keeps the layer on the host where the backend could run the whole layer on its device. */
    public static final String WHOLE_LAYER_ON_DEVICE = "dgq.quantum.wholeLayerOnDevice";
    private transient QuantumBackend backend;
    private transient Circuit circuit;

    // The cores for coreBackend: host memory always, device memory where it applies (else null).
    private transient QuantumBackend coreBackend;
    private transient ResidualQuantumCore<?> hostCore;
    private transient ResidualQuantumCore<?> deviceCore;
    // Replaces "does ND4J run on a GPU" in tests (a fake device backend on the CPU backend takes the device path).
    private transient BooleanSupplier nd4jOnGpu;

    private transient long layerNanos;

    public QuantumLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Uses this backend (e.g. the training run's); null goes back to {@link QuantumBackends#shared()}. */
    public void setBackend(QuantumBackend backend) {
        this.backend = backend;
    }

    /** The backend the next pass will use ({@link ClassicalControl} whatever was set, for the classical control). */
    public QuantumBackend backend() {
        if (layerConf().isClassicalControl()) {
            return ClassicalControl.INSTANCE;
        }
        return backend != null ? backend : QuantumBackends.shared();
    }

    /** Replaces the "does ND4J run on a GPU" check; null restores the real one. */
    void setNd4jOnGpu(BooleanSupplier check) {
        this.nd4jOnGpu = check;
        this.coreBackend = null;
    }

    /** The core a pass of this batch size uses (batches of 0 rows stay on the host: ND4J has no empty device arrays). */
    ResidualQuantumCore<?> core(long batch) {
        QuantumBackend b = backend();
        if (b != coreBackend) {
            QuantumLayer conf = layerConf();
            boolean onGpu = nd4jOnGpu != null ? nd4jOnGpu.getAsBoolean() : DeviceOps.nd4jOnGpu();
            int nd4jDevice = onGpu ? DeviceOps.nd4jDevice() : 0;
            closeBackendDevice();
            hostCore = new ResidualQuantumCore<>(new HostOps(DeviceOps.precision(dataType)), b, circuit(),
                    conf.getAlpha(), conf.gradientMethod());
            deviceCore = null;
            coreBackend = b;
            if (onGpu) {
                String why = DeviceOps.hostReason(onGpu, nd4jDevice, b, dataType);
                deviceCore = why != null ? null : new ResidualQuantumCore<>(new DeviceOps(dataType, nd4jDevice), b,
                        circuit(), conf.getAlpha(), conf.gradientMethod());
                LOG.log(System.Logger.Level.INFO, "quantum layer '" + conf.getLayerName() + "': "
                        + (why == null ? "device memory to " + b.name() + " (no host copies)" : "host copies (" + why + ")"));
            } else {
                deviceCore = wholeLayerOnBackendDevice(b);
            }
        }
        return deviceCore != null && batch > 0 ? deviceCore : hostCore;
    }

    /** The core on the backend's own device memory (ND4J on the CPU), or null with the reason logged. */
    private ResidualQuantumCore<?> wholeLayerOnBackendDevice(QuantumBackend b) {
        String name = "quantum layer '" + layerConf().getLayerName() + "': ";
        // Only a backend on some GPU makes a refusal worth saying; the host backends never run the whole layer.
        System.Logger.Level level = IntStream.range(0, 16).anyMatch(b::acceptsDevice)
                ? System.Logger.Level.INFO : System.Logger.Level.DEBUG;
        if (!wholeLayerOnDeviceAllowed()) {
            LOG.log(level, name + "host memory (" + WHOLE_LAYER_ON_DEVICE + "=false)");
            return null;
        }
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            LOG.log(level, name + "host memory (data type " + dataType + ": the device takes float32 or float64)");
            return null;
        }
        try {
            BackendDeviceOps ops = new BackendDeviceOps(b.openLayerOps(DeviceOps.precision(dataType)));
            LOG.log(System.Logger.Level.INFO, name + "the whole layer on " + ops.name());
            return new ResidualQuantumCore<>(ops, b, circuit(), layerConf().getAlpha(), layerConf().gradientMethod());
        } catch (BackendUnavailableException e) {
            LOG.log(level, name + "host memory (" + e.getMessage() + ")");
            return null;
        }
    }

    /** The {@value #WHOLE_LAYER_ON_DEVICE} switch: true (the default) or false; anything else is refused, naming it. */
    static boolean wholeLayerOnDeviceAllowed() {
        String v = System.getProperty(WHOLE_LAYER_ON_DEVICE, "true").trim();
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("-D" + WHOLE_LAYER_ON_DEVICE + "=" + v + ": expected true or false");
        }
        return v.equalsIgnoreCase("true");
    }

    /** Frees the device memory of the whole-layer path, if this layer holds any. */
    private void closeBackendDevice() {
        if (deviceCore != null && deviceCore.ops() instanceof BackendDeviceOps ops) {
            ops.close();
        }
        deviceCore = null;
    }

    /**
     * Where the layer's matrices live: "device" (ND4J's arrays on its GPU), "backend device" (the whole layer in the
     * quantum backend's device memory) or "host". The log line of the choice says why.
     */
    public String memory() {
        return core(1).ops().memory();
    }

    /** The simulated circuit. */
    public Circuit circuit() {
        if (circuit == null) {
            circuit = layerConf().circuit();
        }
        return circuit;
    }

    /**
     * Nanoseconds spent in backend calls (forward and backward) since the last {@link #resetTimers()}; on the
     * device this includes waiting for ND4J's queued GPU work before the call.
     */
    public long circuitNanos() {
        return hostCore == null ? 0 : hostCore.circuitNanos() + (deviceCore == null ? 0 : deviceCore.circuitNanos());
    }

    /** Nanoseconds spent in this layer's forward and backward passes (backend calls included). */
    public long layerNanos() {
        return layerNanos;
    }

    /** Backend forward calls and backward calls since the last {@link #resetTimers()}. */
    public long[] backendCalls() {
        long[] n = {0, 0};
        for (ResidualQuantumCore<?> c : new ResidualQuantumCore<?>[] {hostCore, deviceCore}) {
            if (c != null) {
                n[0] += c.calls()[0];
                n[1] += c.calls()[1];
            }
        }
        return n;
    }

    public void resetTimers() {
        layerNanos = 0;
        for (ResidualQuantumCore<?> c : new ResidualQuantumCore<?>[] {hostCore, deviceCore}) {
            if (c != null) {
                c.resetTimers();
            }
        }
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return false;
    }

    @Override
    public boolean hasLayerNorm() {
        return false;
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        invalidate();
        super.setInput(input, workspaceMgr);
    }

    @Override
    public void clear() {
        invalidate();
        super.clear();
    }

    private void invalidate() {
        for (ResidualQuantumCore<?> c : new ResidualQuantumCore<?>[] {hostCore, deviceCore}) {
            if (c != null) {
                c.forget();
            }
        }
    }

    private void checkInput() {
        if (input.rank() != 2 || input.size(1) != layerConf().getNIn()) {
            throw new DL4JInvalidInputException("QuantumLayer " + layerId() + ": expected input [batch, "
                    + layerConf().getNIn() + "], got " + Arrays.toString(input.shape()));
        }
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        long start = System.nanoTime();
        applyDropOutIfNecessary(training, workspaceMgr);
        checkInput();
        INDArray ret = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, input.shape(), 'c');
        // The core's arrays live outside DL4J's workspaces: theta and z are kept from the forward to the backward pass.
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            activate(core(input.size(0)), training, ret);
        }
        layerNanos += System.nanoTime() - start;
        return ret;
    }

    private <M> void activate(ResidualQuantumCore<M> core, boolean training, INDArray ret) {
        ResidualQuantumCore.Ops<M> ops = core.ops();
        ResidualQuantumCore.Forward<M> f = core.forward(ops.read(input), param(ops, QuantumParamInitializer.WQ),
                param(ops, QuantumParamInitializer.WR), param(ops, QuantumParamInitializer.CIRCUIT));
        if (training) {
            core.keep(f);
        }
        ops.write(f.out(), ret);
        core.finishPass();
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        long start = System.nanoTime();
        checkInput();
        INDArray next = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c');
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            backprop(core(input.size(0)), epsilon, next);
        }
        Gradient ret = new DefaultGradient();
        for (String p : new String[] {QuantumParamInitializer.WQ, QuantumParamInitializer.WR, QuantumParamInitializer.CIRCUIT}) {
            ret.gradientForVariable().put(p, gradientViews.get(p));
        }
        invalidate();
        layerNanos += System.nanoTime() - start;
        return new Pair<>(ret, backpropDropOutIfPresent(next));
    }

    private <M> void backprop(ResidualQuantumCore<M> core, INDArray epsilon, INDArray next) {
        ResidualQuantumCore.Ops<M> ops = core.ops();
        M h = ops.read(input);
        M wq = param(ops, QuantumParamInitializer.WQ);
        M wr = param(ops, QuantumParamInitializer.WR);
        M w = param(ops, QuantumParamInitializer.CIRCUIT);
        ResidualQuantumCore.Forward<M> f = core.kept((int) input.size(0));
        if (f == null) {
            f = core.forward(h, wq, wr, w);
        }
        ResidualQuantumCore.Backward<M> g = core.backward(h, wq, wr, w, f, ops.read(epsilon));
        ops.write(g.dWq(), gradientViews.get(QuantumParamInitializer.WQ));
        ops.write(g.dWr(), gradientViews.get(QuantumParamInitializer.WR));
        ops.write(g.dW(), gradientViews.get(QuantumParamInitializer.CIRCUIT));
        ops.write(g.dH(), next);
        core.forget();
        core.finishPass();
    }

    private <M> M param(ResidualQuantumCore.Ops<M> ops, String name) {
        return ops.read(getParam(name));
    }
}
