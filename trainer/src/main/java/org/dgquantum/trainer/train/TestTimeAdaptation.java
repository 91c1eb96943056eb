package org.dgquantum.trainer.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.dgquantum.nd4j.layers.VectorBatchNormHelper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Test-time adaptation (docs/architecture.md): only the batch-norm running statistics move, on unlabeled
 * target batches, as mu_t = (1 - eta) mu_{t-1} + eta mu_batch and sigma^2_t = (1 - eta) sigma^2_{t-1} + eta
 * sigma^2_batch; every weight stays as trained.
 *
 * <p>The batch statistics of a BN layer are those of its input during one training-mode forward pass of the
 * batch (each BN normalizing with its batch statistics, as in training; DL4J's forward pass does not update
 * running statistics by itself). Per channel for [B, C, H, W] inputs (over batch and space), per feature for
 * [B, F]. The variance is the biased (population) variance of the batch, as BN normalizes with. With
 * {@code useLogStd} (DL4J's default) the variance is stored as log10(std) and converted both ways.
 */
public final class TestTimeAdaptation {
    private TestTimeAdaptation() {
    }

    /** One BN layer's batch statistics for a batch. */
    public record BnStats(String layer, INDArray mean, INDArray variance) {
    }

    /** Batch statistics of every BN layer's input for {@code x}, without changing anything. */
    public static List<BnStats> batchStatistics(ComputationGraph g, INDArray x) {
        List<BnStats> kept = keptByHelpers(g, x);
        return kept != null ? kept : fromActivations(g, x);
    }

    /**
     * The statistics that the BN layers' vector helpers computed in a training-mode forward pass of {@code x}
     * (org.dgquantum.nd4j.layers, float32 NCHW), or null if a BN layer has no such helper or did not use it.
     * Cheaper than {@link #fromActivations}: no copy of every activation, no second pass over them.
     */
    static List<BnStats> keptByHelpers(ComputationGraph g, INDArray x) {
        Map<String, VectorBatchNormHelper> helpers = new LinkedHashMap<>();
        for (Layer l : g.getLayers()) {
            if (l.conf().getLayer() instanceof BatchNormalization) {
                if (!(l.getHelper() instanceof VectorBatchNormHelper h)) {
                    return null;
                }
                h.forgetBatchStatistics();
                helpers.put(l.conf().getLayer().getLayerName(), h);
            }
        }
        INDArray[] outputs = g.output(true, x);
        try {
            List<BnStats> out = new ArrayList<>();
            for (Map.Entry<String, VectorBatchNormHelper> e : helpers.entrySet()) {
                double[] mean = e.getValue().batchMean();
                if (mean == null) {
                    return null;
                }
                out.add(new BnStats(e.getKey(), Nd4j.createFromArray(mean),
                        Nd4j.createFromArray(e.getValue().batchVariance())));
            }
            return out;
        } finally {
            g.clearLayersStates();
            NativeArrays.free(outputs);
        }
    }

    /** The statistics computed in double from a copy of every BN layer's input (any data type, any helper). */
    static List<BnStats> fromActivations(ComputationGraph g, INDArray x) {
        Map<String, INDArray> acts = g.feedForward(new INDArray[] {x}, true, false);
        List<BnStats> out = new ArrayList<>();
        Map<String, List<String>> inputs = g.getConfiguration().getVertexInputs();
        try {
            for (Layer l : g.getLayers()) {
                if (!(l.conf().getLayer() instanceof BatchNormalization)) {
                    continue;
                }
                String name = l.conf().getLayer().getLayerName();
                INDArray in = acts.get(inputs.get(name).get(0));
                if (in == null) {
                    throw new IllegalStateException("no activation for the input of BN layer " + name);
                }
                INDArray d = in.castTo(DataType.DOUBLE);
                int[] dims = d.rank() == 4 ? new int[] {0, 2, 3} : new int[] {0};
                INDArray mean = d.mean(dims);
                INDArray var = d.var(false, dims);
                if (d != in) {
                    NativeArrays.free(d);
                }
                out.add(new BnStats(name, mean, var));
            }
        } finally {
            g.clearLayersStates();
            // The activations are detached copies of every layer's output (hundreds of MB per batch for
            // MobileNetV2): free them now, not when the heap's collector happens to run. x is the caller's.
            NativeArrays.freeAllBut(acts.values(), x);
        }
        return out;
    }

    /** Moves every BN layer's running mean and variance toward the statistics of batch {@code x} by {@code eta}. */
    public static void adapt(ComputationGraph g, INDArray x, double eta) {
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
        }
        for (BnStats s : batchStatistics(g, x)) {
            Layer l = g.getLayer(s.layer());
            INDArray mean = l.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).castTo(DataType.DOUBLE)
                    .reshape(s.mean().shape());
            INDArray var = runningVariance(l).reshape(s.variance().shape());
            setRunning(l, mean.mul(1 - eta).addi(s.mean().mul(eta)), var.mul(1 - eta).addi(s.variance().mul(eta)));
        }
    }

    /**
     * Precise batch norm: sets every BN layer's running statistics to the statistics of all of {@code batches}
     * together (the mean of the batch means; the mean of the batch variances plus the variance of the batch
     * means, weighted by batch size), each batch seen in a training-mode forward pass. DL4J's running averages
     * (decay 0.9, starting from mean 0 and variance 1) lag far behind after the few hundred steps of a short
     * run, which leaves inference-mode outputs nearly constant; the trainer calls this after every epoch.
     */
    public static void recalibrate(ComputationGraph g, List<INDArray> batches) {
        Recalibration r = new Recalibration(g);
        for (INDArray x : batches) {
            r.add(x);
        }
        r.apply();
    }

    /**
     * {@link #recalibrate} one batch at a time, so a caller can make each batch, add it and free it: only the
     * pooled sums are kept, not the batches.
     */
    public static final class Recalibration {
        private final ComputationGraph g;
        private final Map<String, INDArray[]> acc = new LinkedHashMap<>();
        private long n;

        public Recalibration(ComputationGraph g) {
            this.g = g;
        }

        /** Adds the statistics of batch {@code x} (a batch of fewer than 2 images is skipped). */
        public void add(INDArray x) {
            long b = x.size(0);
            if (b < 2) {
                return;
            }
            for (BnStats s : batchStatistics(g, x)) {
                INDArray[] a = acc.computeIfAbsent(s.layer(), k -> new INDArray[] {
                        Nd4j.zeros(DataType.DOUBLE, s.mean().shape()), Nd4j.zeros(DataType.DOUBLE, s.mean().shape()),
                        Nd4j.zeros(DataType.DOUBLE, s.mean().shape())});
                a[0].addi(s.mean().mul(b));
                a[1].addi(s.variance().mul(b));
                a[2].addi(s.mean().mul(s.mean()).muli(b));
            }
            n += b;
        }

        /** Sets the running statistics to the pooled ones (nothing if no batch was added). */
        public void apply() {
            if (n == 0) {
                return;
            }
            for (Map.Entry<String, INDArray[]> e : acc.entrySet()) {
                INDArray mean = e.getValue()[0].div(n);
                INDArray var = e.getValue()[1].div(n).addi(e.getValue()[2].div(n)).subi(mean.mul(mean));
                setRunning(g.getLayer(e.getKey()), mean, Transforms.max(var, 0.0, false));
            }
        }
    }

    /** Writes a BN layer's running mean and variance (converted to log10(std) where the layer stores that). */
    public static void setRunning(Layer l, INDArray newMean, INDArray newVar) {
        BatchNormalization conf = (BatchNormalization) l.conf().getLayer();
        INDArray mean = l.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        mean.assign(newMean.reshape(mean.shape()).castTo(mean.dataType()));
        if (conf.isUseLogStd()) {
            INDArray log10s = l.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
            // log10(std) = 0.5 log10(var)
            INDArray newLog = Transforms.log(newVar.castTo(DataType.DOUBLE), 10.0, true).muli(0.5);
            log10s.assign(newLog.reshape(log10s.shape()).castTo(log10s.dataType()));
        } else {
            INDArray var = l.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
            var.assign(newVar.reshape(var.shape()).castTo(var.dataType()));
        }
    }

    /** The running variance of a BN layer (converted from log10(std) where needed), as double. */
    public static INDArray runningVariance(Layer l) {
        BatchNormalization conf = (BatchNormalization) l.conf().getLayer();
        if (conf.isUseLogStd()) {
            INDArray log10s = l.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).castTo(DataType.DOUBLE);
            INDArray s = Transforms.pow(Nd4j.valueArrayOf(log10s.shape(), 10.0, DataType.DOUBLE), log10s, false);
            return s.muli(s);
        }
        return l.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).castTo(DataType.DOUBLE);
    }
}
