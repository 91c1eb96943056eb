package org.dgquantum.dl4j;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime of {@link FeatureNorm}. */
public class FeatureNormImpl extends IdentityShapeLayerImpl<FeatureNorm> {
    private static final long serialVersionUID = 1L;
    private transient double lastPenalty;

    public FeatureNormImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** beta * E||h||^2 of the last forward pass. */
    public double lastPenalty() {
        return lastPenalty;
    }

    public void setBeta(double beta) {
        layerConf().setBeta(beta);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        lastPenalty = FeatureNorm.penalty(input, layerConf().getBeta());
        return identity(training, mgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), epsilon.shape(),
                epsilon.ordering());
        out.assign(epsilon);
        double beta = layerConf().getBeta();
        if (beta != 0) {
            out.addi(FeatureNorm.gradient(input.castTo(epsilon.dataType()), beta));
        }
        return new Pair<>(new DefaultGradient(), out);
    }

    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        return lastPenalty;
    }
}
