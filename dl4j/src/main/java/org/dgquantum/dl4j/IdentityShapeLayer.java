package org.dgquantum.dl4j;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.params.EmptyParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Base of the parameter-free layers whose output has the shape of their input. */
abstract class IdentityShapeLayer extends NoParamLayer {
    private static final long serialVersionUID = 1L;

    protected IdentityShapeLayer() {
    }

    protected IdentityShapeLayer(Builder<?> b) {
        super(b);
    }

    /** Wires a runtime layer the way DL4J's own instantiate methods do (no parameters). */
    protected static Layer wire(IdentityShapeLayerImpl<?> layer, NeuralNetConfiguration conf,
                                Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView,
                                boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(EmptyParamInitializer.getInstance().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (inputType == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " " + getLayerName() + ": no input type");
        }
        return inputType;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, inputType)
                .standardMemory(0, 0)
                .workingMemory(0, 0, 0, inputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }
}
