package org.dgquantum.dl4j;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime base of the parameter-free {@link IdentityShapeLayer}s: identity forward pass, no
 * parameters, no regularization score unless a subclass adds one; subclasses define the backward pass.
 */
abstract class IdentityShapeLayerImpl<C extends IdentityShapeLayer> extends AbstractLayer<C> {
    private static final long serialVersionUID = 1L;

    protected IdentityShapeLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** The input unchanged (a copy in training, where DL4J may modify activations in place). */
    protected INDArray identity(boolean training, LayerWorkspaceMgr mgr) {
        return training ? mgr.dup(ArrayType.ACTIVATIONS, input, input.ordering())
                : mgr.leverageTo(ArrayType.ACTIVATIONS, input);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        return identity(training, mgr);
    }

    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        return 0;
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
    }

    @Override
    public INDArray params() {
        return null;
    }
}
