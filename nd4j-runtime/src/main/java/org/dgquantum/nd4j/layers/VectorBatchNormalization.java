package org.dgquantum.nd4j.layers;

import java.lang.reflect.Field;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's batch-normalization layer whose instances compute with {@link VectorBatchNormHelper} where DL4J would
 * use its oneDNN helper. Same parameters, same behaviour, same saved form apart from the class name.
 *
 * <pre>
 * b.addLayer("bn", VectorBatchNormalization.of(new BatchNormalization.Builder().nIn(c).nOut(c).build()), "conv");
 * </pre>
 * With {@link FastLayers} off the layer is exactly DL4J's (oneDNN helper or ND4J code).
 */
public class VectorBatchNormalization extends BatchNormalization {
    private static final Field HELPER = helperField();

    /** For Jackson (a saved model) and {@link #of}. */
    public VectorBatchNormalization() {
    }

    /** This class with every setting of {@code prototype} (built by DL4J's builder). */
    public static VectorBatchNormalization of(BatchNormalization prototype) {
        return LayerSettings.copy(BatchNormalization.class, prototype, new VectorBatchNormalization());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        Layer layer = super.instantiate(conf, listeners, layerIndex, layerParamsView, initializeParams,
                networkDataType);
        if (FastLayers.enabled()) {
            try {
                HELPER.set(layer, new VectorBatchNormHelper());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot set the batch-norm helper of DL4J's layer", e);
            }
        }
        return layer;
    }

    /** The helper field of DL4J's layer implementation (package-private there; 1.0.0-M2.1). */
    private static Field helperField() {
        try {
            Field f = org.deeplearning4j.nn.layers.normalization.BatchNormalization.class.getDeclaredField("helper");
            if (f.getType() != BatchNormalizationHelper.class) {
                throw new IllegalStateException("unexpected type of DL4J's BatchNormalization.helper: " + f.getType());
            }
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("DL4J's BatchNormalization layer has no helper field (not 1.0.0-M2.1?)", e);
        }
    }
}
