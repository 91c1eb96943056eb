package org.dgquantum.dl4j;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime of {@link GradientReversal}. */
public class GradientReversalImpl extends IdentityShapeLayerImpl<GradientReversal> {
    private static final long serialVersionUID = 1L;

    public GradientReversalImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Sets lambda for the following backward passes (stored in the layer's configuration). */
    public void setLambda(double lambda) {
        layerConf().setLambda(lambda);
    }

    public double getLambda() {
        return layerConf().getLambda();
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), epsilon.shape(),
                epsilon.ordering());
        out.assign(epsilon).muli(-layerConf().getLambda());
        return new Pair<>(new DefaultGradient(), out);
    }
}
