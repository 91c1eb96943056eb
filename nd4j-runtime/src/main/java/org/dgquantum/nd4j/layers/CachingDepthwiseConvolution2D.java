package org.dgquantum.nd4j.layers;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's depthwise convolution whose layers keep their forward output for the backward pass
 * ({@link CachingDepthwiseConvolution2DLayer}), as DL4J's ordinary convolution does under a cache mode other
 * than NONE. DL4J's own depthwise layer computes the convolution again in every backward pass.
 * <pre>
 * b.addLayer("dw", CachingDepthwiseConvolution2D.of(new DepthwiseConvolution2D.Builder(3, 3)...build()), "x");
 * </pre>
 * With {@link FastLayers} off the layer is exactly DL4J's.
 */
public class CachingDepthwiseConvolution2D extends DepthwiseConvolution2D {
    /** For Jackson (a saved model) and {@link #of}. */
    public CachingDepthwiseConvolution2D() {
    }

    /** This class with every setting of {@code prototype} (built by DL4J's builder). */
    public static CachingDepthwiseConvolution2D of(DepthwiseConvolution2D prototype) {
        return LayerSettings.copy(DepthwiseConvolution2D.class, prototype, new CachingDepthwiseConvolution2D());
    }

    /** DL4J's {@code DepthwiseConvolution2D.instantiate} (1.0.0-M2.1), with the caching layer class. */
    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        if (!FastLayers.enabled()) {
            return super.instantiate(conf, listeners, layerIndex, layerParamsView, initializeParams, networkDataType);
        }
        LayerValidation.assertNInNOutSet("DepthwiseConvolution2D", getLayerName(), layerIndex, getNIn(), getNOut());
        CachingDepthwiseConvolution2DLayer layer = new CachingDepthwiseConvolution2DLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
