package org.dgquantum.nd4j.layers;

import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's batch-norm helper contract ({@link BatchNormalizationHelper}, the one its oneDNN helper implements)
 * on {@link BatchNormKernels}: float32 NCHW activations of rank 4. Anything else returns null, and the layer
 * then runs its own ND4J code, as it does for the oneDNN helper. The layer keeps everything else: parameters,
 * the running statistics (from {@link #getMeanCache}/{@link #getVarCache}), inference with them.
 *
 * <p>Training forward: the batch's mean and population variance per channel, then
 * {@code y = gamma (x - mean) / sqrt(var + eps) + beta}. Backward, with {@code s = 1 / sqrt(var + eps)},
 * {@code M = n * h * w}, {@code Sdy = sum dy} and {@code Sdyx = sum dy (x - mean)}: {@code dbeta = Sdy},
 * {@code dgamma = s Sdyx} and {@code dx = gamma s (dy - Sdy / M - (x - mean) s^2 Sdyx / M)}, the gradient through
 * the batch statistics.
 */
public final class VectorBatchNormHelper implements BatchNormalizationHelper {
    private INDArray meanCache;
    private INDArray varCache;
    private float[] mean;
    private float[] var;
    private double[] batchMean;
    private double[] batchVariance;

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return true;
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Collections.emptyMap();
    }

    private static boolean supported(INDArray x, CNN2DFormat format) {
        return x.rank() == 4 && x.dataType() == DataType.FLOAT && format != CNN2DFormat.NHWC;
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta,
                              INDArray globalMean, INDArray globalVar, double decay, double eps, CNN2DFormat format,
                              LayerWorkspaceMgr workspaceMgr) {
        if (!supported(x, format)) {
            return null;
        }
        INDArray in = Segments.dense(x);
        int n = (int) in.size(0);
        int channels = (int) in.size(1);
        int hw = (int) (in.size(2) * in.size(3));
        MemorySegment xs = Segments.of(in);
        float[] m;
        float[] v;
        if (training) {
            double[] dm = new double[channels];
            double[] dv = new double[channels];
            Split.run(channels, in.length(), (from, to) ->
                    BatchNormKernels.statistics(xs, n, channels, hw, dm, dv, from, to));
            cache(dm, dv);
            m = mean;
            v = var;
        } else {
            m = globalMean.castTo(DataType.FLOAT).toFloatVector();
            v = globalVar.castTo(DataType.FLOAT).toFloatVector();
        }
        float[] g = gamma == null ? null : gamma.castTo(DataType.FLOAT).toFloatVector();
        float[] bt = beta == null ? null : beta.castTo(DataType.FLOAT).toFloatVector();
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            float s = (float) (1.0 / Math.sqrt((double) v[c] + eps));
            scale[c] = g == null ? s : g[c] * s;
            shift[c] = bt == null ? 0f : bt[c];
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, in.shape(), 'c');
        MemorySegment os = Segments.of(out);
        Split.run(channels, in.length(), (from, to) ->
                BatchNormKernels.affine(xs, os, n, channels, hw, m, scale, shift, from, to));
        return out;
    }

    /** Keeps the batch statistics for backprop, for the layer's running averages and for {@link #batchMean}. */
    private void cache(double[] m, double[] v) {
        batchMean = m;
        batchVariance = v;
        mean = new float[m.length];
        var = new float[v.length];
        for (int c = 0; c < m.length; c++) {
            mean[c] = (float) m[c];
            var[c] = (float) v[c];
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            meanCache = Nd4j.createFromArray(mean);
            varCache = Nd4j.createFromArray(var);
        }
    }

    /**
     * The per-channel mean of the input of the last training-mode forward pass, in double (before rounding to
     * the float the layer normalizes with), or null before the first one. For precise batch norm and test-time
     * adaptation, which pool the statistics of several batches.
     */
    public double[] batchMean() {
        return batchMean == null ? null : batchMean.clone();
    }

    /** Forgets the statistics of the last forward pass, so that {@link #batchMean} shows whether the next one kept any. */
    public void forgetBatchStatistics() {
        batchMean = null;
        batchVariance = null;
    }

    /** The population variance that goes with {@link #batchMean}. */
    public double[] batchVariance() {
        return batchVariance == null ? null : batchVariance.clone();
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView,
                                                     double eps, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!supported(input, format) || epsilon.dataType() != DataType.FLOAT || mean == null
                || mean.length != input.size(1)) {
            return null;
        }
        INDArray in = Segments.dense(input);
        INDArray dy = Segments.dense(epsilon);
        int n = (int) in.size(0);
        int channels = (int) in.size(1);
        int hw = (int) (in.size(2) * in.size(3));
        MemorySegment xs = Segments.of(in);
        MemorySegment dys = Segments.of(dy);
        double[] sumDy = new double[channels];
        double[] sumDyXc = new double[channels];
        Split.run(channels, in.length(), (from, to) ->
                BatchNormKernels.gradientSums(xs, dys, n, channels, hw, mean, sumDy, sumDyXc, from, to));
        float[] g = gamma == null ? null : gamma.castTo(DataType.FLOAT).toFloatVector();
        double count = (double) n * hw;
        float[] a = new float[channels];
        float[] bx = new float[channels];
        float[] k = new float[channels];
        float[] dGamma = new float[channels];
        float[] dBeta = new float[channels];
        for (int c = 0; c < channels; c++) {
            double s = 1.0 / Math.sqrt((double) var[c] + eps);
            double gc = g == null ? 1.0 : g[c];
            double ac = gc * s;
            double bc = -ac * s * s * sumDyXc[c] / count;
            a[c] = (float) ac;
            bx[c] = (float) bc;
            k[c] = (float) (-ac * sumDy[c] / count);
            dGamma[c] = (float) (sumDyXc[c] * s);
            dBeta[c] = (float) sumDy[c];
        }
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, in.shape(), 'c');
        MemorySegment dxs = Segments.of(dx);
        Split.run(channels, in.length(), (from, to) ->
                BatchNormKernels.inputGradient(xs, dys, dxs, n, channels, hw, mean, a, bx, k, from, to));
        Gradient grad = new DefaultGradient();
        if (dGammaView != null) {
            dGammaView.assign(Nd4j.createFromArray(dGamma).reshape(dGammaView.shape()));
            dBetaView.assign(Nd4j.createFromArray(dBeta).reshape(dBetaView.shape()));
        }
        grad.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        grad.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return new Pair<>(grad, dx);
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return meanCache;
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return varCache;
    }
}
