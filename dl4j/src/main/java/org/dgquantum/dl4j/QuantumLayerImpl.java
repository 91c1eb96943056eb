package org.dgquantum.dl4j;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.QuantumBackend;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Runtime of {@link QuantumLayer}. Forward: theta = pi tanh(h Wq), z = circuit(theta), out = h + alpha z Wr.
 * Backward (gradients summed over the batch, as everywhere in DL4J), with eps = dL/dout:
 * <pre>
 *   dWr = alpha z^T eps               g = dL/dz = alpha eps Wr^T
 *   (dtheta, dw) = backend VJP(g)     da = dtheta * pi (1 - tanh^2)
 *   dWq = h^T da                      dL/dh = eps + da Wq^T
 * </pre>
 * Network data type FLOAT simulates the circuit in float32, DOUBLE in float64 (so that DL4J's
 * gradient checks work). The angles and expectations of the last training forward pass are kept for the
 * backward pass; a new input discards them.
 *
 * <p>Two paths ({@link DeviceArrays} chooses): the host path (the default, and the only one with ND4J's
 * CPU backend) copies the small arrays into Java arrays, does the layer's arithmetic in plain Java and
 * calls the backend's host-array methods. The device path, used when ND4J runs on CUDA and the quantum
 * backend takes device pointers on the same GPU ({@link DeviceBackend}, e.g. {@code CudaBackend}), does the
 * arithmetic with ND4J ops and hands the device addresses of theta, z and the gradients to the backend: no
 * host copies, and the cached theta and z stay in device arrays.
 */
public class QuantumLayerImpl extends BaseLayer<QuantumLayer> {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(QuantumLayerImpl.class.getName());
    private transient QuantumBackend backend;
    private transient Circuit circuit;

    // Cache of the last training forward: theta and z, [batch][qubits] row-major; host or device path.
    private transient double[] cachedTheta;
    private transient double[] cachedZ;
    private transient INDArray cachedThetaDevice;
    private transient INDArray cachedZDevice;
    private transient long cachedBatch = -1;

    // The path chosen for choiceBackend (null device = host path); nd4jOnGpu replaces the check in tests.
    private transient BooleanSupplier nd4jOnGpu;
    private transient QuantumBackend choiceBackend;
    private transient DeviceArrays device;

    private transient long circuitNanos;
    private transient long layerNanos;
    private transient long forwardCircuits;
    private transient long backwardCircuits;

    public QuantumLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Uses this backend instead of the shared default ({@link QuantumBackends#shared()}); null resets. */
    public void setBackend(QuantumBackend backend) {
        this.backend = backend;
    }

    /** The backend the next pass will use. */
    public QuantumBackend backend() {
        return backend != null ? backend : QuantumBackends.shared();
    }

    /**
     * Replaces the "does ND4J run on a GPU" check (tests: a fake device backend on the CPU backend takes the
     * device path); null restores the real one.
     */
    void setNd4jOnGpu(BooleanSupplier check) {
        this.nd4jOnGpu = check;
        this.choiceBackend = null;
    }

    /** The device path for the current backend, or null for the host path. */
    DeviceArrays devicePath() {
        QuantumBackend b = backend();
        if (b != choiceBackend) {
            boolean onGpu = nd4jOnGpu != null ? nd4jOnGpu.getAsBoolean() : DeviceArrays.nd4jOnGpu();
            int nd4jDevice = onGpu ? DeviceArrays.nd4jDevice() : 0;
            String why = DeviceArrays.hostReason(onGpu, nd4jDevice, b, circuit(), dataType);
            device = why == null ? new DeviceArrays(DeviceBackend.of(b), dataType) : null;
            choiceBackend = b;
            if (onGpu) { // with ND4J on the CPU the host path is the only one: nothing to say
                LOG.log(System.Logger.Level.INFO, "quantum layer '" + layerConf().getLayerName() + "': "
                        + (device != null ? "device pointers to " + b.name() + " (no host copies)" : "host copies (" + why + ")"));
            }
        }
        return device;
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
     * device path this includes waiting for ND4J's queued GPU work before the call.
     */
    public long circuitNanos() {
        return circuitNanos;
    }

    /** Nanoseconds spent in this layer's forward and backward passes (backend calls included). */
    public long layerNanos() {
        return layerNanos;
    }

    /** Backend forward calls and backward calls since the last {@link #resetTimers()}. */
    public long[] backendCalls() {
        return new long[] {forwardCircuits, backwardCircuits};
    }

    public void resetTimers() {
        circuitNanos = 0;
        layerNanos = 0;
        forwardCircuits = 0;
        backwardCircuits = 0;
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
        cachedTheta = null;
        cachedZ = null;
        cachedThetaDevice = null;
        cachedZDevice = null;
        cachedBatch = -1;
    }

    private boolean isDouble() {
        return dataType == DataType.DOUBLE;
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
        int batch = (int) input.size(0);
        int d = (int) input.size(1);
        int n = circuit().qubits();
        DeviceArrays dev = batch > 0 ? devicePath() : null;
        if (dev != null) {
            INDArray ret = activateOnDevice(dev, training, workspaceMgr);
            layerNanos += System.nanoTime() - start;
            return ret;
        }
        double[] h = readRowMajor(input);
        double[][] thetaZ = forwardArrays(h, batch, d);
        if (training) {
            cachedTheta = thetaZ[0];
            cachedZ = thetaZ[1];
            cachedBatch = batch;
        }
        double[] z = thetaZ[1];
        double[] wr = readRowMajor(getParam(QuantumParamInitializer.WR)); // [n][d]
        double alpha = layerConf().getAlpha();
        double[] out = h.clone();
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < n; j++) {
                double zj = alpha * z[b * n + j];
                if (zj != 0) {
                    int o = b * d;
                    int r = j * d;
                    for (int i = 0; i < d; i++) {
                        out[o + i] += zj * wr[r + i];
                    }
                }
            }
        }
        INDArray ret = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {batch, d}, 'c');
        writeRowMajor(ret, out);
        layerNanos += System.nanoTime() - start;
        return ret;
    }

    /** theta = pi tanh(h Wq) and z = circuit(theta), row-major [batch][qubits]. */
    private double[][] forwardArrays(double[] h, int batch, int d) {
        Circuit c = circuit();
        int n = c.qubits();
        double[] wq = readRowMajor(getParam(QuantumParamInitializer.WQ)); // [d][n]
        double[] theta = new double[batch * n];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < d; i++) {
                double hi = h[b * d + i];
                if (hi != 0) {
                    for (int j = 0; j < n; j++) {
                        theta[b * n + j] += hi * wq[i * n + j];
                    }
                }
            }
        }
        for (int k = 0; k < theta.length; k++) {
            theta[k] = Math.PI * Math.tanh(theta[k]);
        }
        double[] w = readRowMajor(getParam(QuantumParamInitializer.CIRCUIT));
        double[] z;
        long t0 = System.nanoTime();
        if (isDouble()) {
            z = new double[batch * n];
            backend().forward(c, batch, theta, w, z);
        } else {
            float[] zf = new float[batch * n];
            backend().forward(c, batch, toFloat(theta), toFloat(w), zf);
            z = toDouble(zf);
        }
        circuitNanos += System.nanoTime() - t0;
        forwardCircuits++;
        return new double[][] {theta, z};
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        long start = System.nanoTime();
        checkInput();
        Circuit c = circuit();
        QuantumLayer conf = layerConf();
        double alpha = conf.getAlpha();
        int batch = (int) input.size(0);
        int d = (int) input.size(1);
        int n = c.qubits();
        DeviceArrays dev = batch > 0 ? devicePath() : null;
        if (dev != null) {
            Pair<Gradient, INDArray> ret = backpropOnDevice(dev, epsilon, workspaceMgr);
            layerNanos += System.nanoTime() - start;
            return ret;
        }
        double[] h = readRowMajor(input);
        double[] theta;
        double[] z;
        if (cachedTheta != null && cachedBatch == batch) {
            theta = cachedTheta;
            z = cachedZ;
        } else {
            double[][] thetaZ = forwardArrays(h, batch, d);
            theta = thetaZ[0];
            z = thetaZ[1];
        }
        double[] eps = readRowMajor(epsilon);                                    // [B][d]
        double[] wq = readRowMajor(getParam(QuantumParamInitializer.WQ));        // [d][n]
        double[] wr = readRowMajor(getParam(QuantumParamInitializer.WR));        // [n][d]
        double[] w = readRowMajor(getParam(QuantumParamInitializer.CIRCUIT));    // [P]

        // dWr = alpha z^T eps [n][d];  g = dL/dz = alpha eps Wr^T [B][n]
        double[] dWr = new double[n * d];
        double[] g = new double[batch * n];
        for (int b = 0; b < batch; b++) {
            int o = b * d;
            for (int j = 0; j < n; j++) {
                double zj = alpha * z[b * n + j];
                int r = j * d;
                double acc = 0;
                for (int i = 0; i < d; i++) {
                    double e = eps[o + i];
                    dWr[r + i] += zj * e;
                    acc += e * wr[r + i];
                }
                g[b * n + j] = alpha * acc;
            }
        }

        double[] dTheta;
        double[] dW;
        long t0 = System.nanoTime();
        if (isDouble()) {
            dTheta = new double[batch * n];
            dW = new double[c.weightCount()];
            backend().backward(c, batch, theta, w, g, dTheta, dW, conf.gradientMethod());
        } else {
            float[] dThetaF = new float[batch * n];
            float[] dWF = new float[c.weightCount()];
            backend().backward(c, batch, toFloat(theta), toFloat(w), toFloat(g), dThetaF, dWF, conf.gradientMethod());
            dTheta = toDouble(dThetaF);
            dW = toDouble(dWF);
        }
        circuitNanos += System.nanoTime() - t0;
        backwardCircuits++;

        // da = dtheta * pi (1 - tanh^2), tanh = theta / pi;  dWq = h^T da [d][n];  dL/dh = eps + da Wq^T
        double[] da = new double[batch * n];
        for (int k = 0; k < da.length; k++) {
            double t = theta[k] / Math.PI;
            da[k] = dTheta[k] * Math.PI * (1 - t * t);
        }
        double[] dWq = new double[d * n];
        double[] epsOut = eps.clone();
        for (int b = 0; b < batch; b++) {
            int o = b * d;
            for (int i = 0; i < d; i++) {
                double hi = h[o + i];
                double acc = 0;
                for (int j = 0; j < n; j++) {
                    double a = da[b * n + j];
                    dWq[i * n + j] += hi * a;
                    acc += a * wq[i * n + j];
                }
                epsOut[o + i] += acc;
            }
        }

        INDArray gWq = gradientViews.get(QuantumParamInitializer.WQ);
        INDArray gWr = gradientViews.get(QuantumParamInitializer.WR);
        INDArray gW = gradientViews.get(QuantumParamInitializer.CIRCUIT);
        writeRowMajor(gWq, dWq);
        writeRowMajor(gWr, dWr);
        writeRowMajor(gW, dW);
        INDArray next = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, new long[] {batch, d}, 'c');
        writeRowMajor(next, epsOut);

        Gradient ret = new DefaultGradient();
        ret.gradientForVariable().put(QuantumParamInitializer.WQ, gWq);
        ret.gradientForVariable().put(QuantumParamInitializer.WR, gWr);
        ret.gradientForVariable().put(QuantumParamInitializer.CIRCUIT, gW);
        invalidate();
        layerNanos += System.nanoTime() - start;
        return new Pair<>(ret, backpropDropOutIfPresent(next));
    }

    // ---- Device path: the same arithmetic as ND4J ops, so that nothing leaves the GPU. Theta and z are
    // allocated outside DL4J's workspaces, since they are kept from the forward to the backward pass.

    private INDArray activateOnDevice(DeviceArrays dev, boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, input.shape(), 'c');
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray[] thetaZ = forwardOnDevice(dev);
            if (training) {
                cachedThetaDevice = thetaZ[0];
                cachedZDevice = thetaZ[1];
                cachedBatch = input.size(0);
            }
            // out = h + alpha z Wr
            INDArray zWr = thetaZ[1].mmul(getParam(QuantumParamInitializer.WR), 'c').muli(layerConf().getAlpha());
            out.assign(input.castTo(dataType)).addi(zWr);
        }
        return out;
    }

    /** {theta = pi tanh(h Wq), z = circuit(theta)} as device arrays [batch][qubits]. */
    private INDArray[] forwardOnDevice(DeviceArrays dev) {
        INDArray h = input.castTo(dataType);
        INDArray theta = Transforms.tanh(h.mmul(getParam(QuantumParamInitializer.WQ), 'c'), false).muli(Math.PI);
        long t0 = System.nanoTime();
        INDArray z = dev.forward(circuit(), theta, getParam(QuantumParamInitializer.CIRCUIT));
        circuitNanos += System.nanoTime() - t0;
        forwardCircuits++;
        return new INDArray[] {theta, z};
    }

    private Pair<Gradient, INDArray> backpropOnDevice(DeviceArrays dev, INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        QuantumLayer conf = layerConf();
        double alpha = conf.getAlpha();
        INDArray gWq = gradientViews.get(QuantumParamInitializer.WQ);
        INDArray gWr = gradientViews.get(QuantumParamInitializer.WR);
        INDArray gW = gradientViews.get(QuantumParamInitializer.CIRCUIT);
        INDArray next = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'c');
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray theta;
            INDArray z;
            if (cachedThetaDevice != null && cachedBatch == input.size(0)) {
                theta = cachedThetaDevice;
                z = cachedZDevice;
            } else {
                INDArray[] thetaZ = forwardOnDevice(dev);
                theta = thetaZ[0];
                z = thetaZ[1];
            }
            INDArray h = input.castTo(dataType);
            INDArray eps = epsilon.castTo(dataType);
            INDArray wq = getParam(QuantumParamInitializer.WQ);
            INDArray wr = getParam(QuantumParamInitializer.WR);
            // dWr = alpha z^T eps;  g = dL/dz = alpha eps Wr^T
            gWr.assign(z.transpose().mmul(eps, 'c').muli(alpha));
            INDArray g = eps.mmul(wr.transpose(), 'c').muli(alpha);
            long t0 = System.nanoTime();
            INDArray[] grads = dev.backward(circuit(), theta, getParam(QuantumParamInitializer.CIRCUIT), g,
                    conf.gradientMethod());
            circuitNanos += System.nanoTime() - t0;
            backwardCircuits++;
            // da = dtheta * pi (1 - tanh^2), tanh = theta / pi;  dWq = h^T da;  dL/dh = eps + da Wq^T
            INDArray t = theta.div(Math.PI);
            INDArray da = t.muli(t).rsubi(1).muli(Math.PI).muli(grads[0]);
            gWq.assign(h.transpose().mmul(da, 'c'));
            gW.assign(grads[1]);
            next.assign(eps.add(da.mmul(wq.transpose(), 'c')));
        }
        Gradient ret = new DefaultGradient();
        ret.gradientForVariable().put(QuantumParamInitializer.WQ, gWq);
        ret.gradientForVariable().put(QuantumParamInitializer.WR, gWr);
        ret.gradientForVariable().put(QuantumParamInitializer.CIRCUIT, gW);
        invalidate();
        return new Pair<>(ret, backpropDropOutIfPresent(next));
    }

    // ---- Host copies. The layer's arrays are small ([batch][d] at most), so its arithmetic runs in plain
    // Java on these copies: a handful of ND4J ops on tiny arrays would cost more (op dispatch, thread
    // wake-ups) than the circuit itself. Reads and writes go through the arrays' own buffers (a view's
    // buffer starts at the view), with a dup/assign fallback for arrays with unusual strides.

    /** Row-major copy of a rank-2 array (any order, any floating type) as double[]. */
    static double[] readRowMajor(INDArray a) {
        int rows = (int) a.size(0);
        int cols = (int) a.size(1);
        int len = rows * cols;
        Nd4j.getAffinityManager().ensureLocation(a, AffinityManager.Location.HOST);
        if (!Shape.hasDefaultStridesForShape(a) || a.data().length() != len) {
            a = a.dup('c');
        }
        double[] buf = a.data().asDouble();
        if (a.ordering() == 'c' || rows == 1 || cols == 1) {
            return buf.length == len ? buf : Arrays.copyOf(buf, len);
        }
        double[] out = new double[len];
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                out[i * cols + j] = buf[j * rows + i];
            }
        }
        return out;
    }

    /** Writes a row-major [rows][cols] array into a rank-2 array of any order. */
    static void writeRowMajor(INDArray target, double[] v) {
        int rows = (int) target.size(0);
        int cols = (int) target.size(1);
        int len = rows * cols;
        if (v.length != len) {
            throw new IllegalStateException("writeRowMajor: " + v.length + " values for an array of shape "
                    + Arrays.toString(target.shape()));
        }
        if (Shape.hasDefaultStridesForShape(target) && target.data().length() == len) {
            Nd4j.getAffinityManager().ensureLocation(target, AffinityManager.Location.HOST);
            DataBuffer buf = target.data();
            if (target.ordering() == 'c' || rows == 1 || cols == 1) {
                for (int k = 0; k < len; k++) {
                    buf.put(k, v[k]);
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    for (int i = 0; i < rows; i++) {
                        buf.put((long) j * rows + i, v[i * cols + j]);
                    }
                }
            }
            Nd4j.getAffinityManager().tagLocation(target, AffinityManager.Location.HOST);
        } else {
            target.assign(Nd4j.createFromArray(v).reshape('c', new long[] {rows, cols}).castTo(target.dataType()));
        }
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
