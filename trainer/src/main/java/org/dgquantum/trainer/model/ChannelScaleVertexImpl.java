package org.dgquantum.trainer.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime of {@link ChannelScaleVertex}: out = x * s[:, :, None, None]. */
@SuppressWarnings("overrides")
public class ChannelScaleVertexImpl extends BaseGraphVertex {
    private static final long serialVersionUID = 1L;

    public ChannelScaleVertexImpl(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
        super(graph, name, vertexIndex, null, null, dataType);
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    private INDArray scale4d(INDArray x, INDArray s) {
        return s.castTo(x.dataType()).reshape(s.ordering(), new long[] {x.size(0), x.size(1), 1, 1});
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) {
            throw new IllegalStateException("ChannelScaleVertex " + vertexName + ": inputs not set");
        }
        INDArray x = inputs[0];
        INDArray s = inputs[1];
        if (s.length() != x.size(0) * x.size(1)) {
            throw new IllegalStateException("ChannelScaleVertex " + vertexName + ": scale of shape "
                    + java.util.Arrays.toString(s.shape()) + " does not fit the feature map "
                    + java.util.Arrays.toString(x.shape()));
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape(), x.ordering());
        out.assign(x);
        out.muli(scale4d(x, s));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) {
            throw new IllegalStateException("ChannelScaleVertex " + vertexName + ": errors not set");
        }
        INDArray x = inputs[0];
        INDArray s = inputs[1];
        INDArray eps = epsilon.castTo(x.dataType());
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, x.dataType(), x.shape(), x.ordering());
        dx.assign(eps);
        dx.muli(scale4d(x, s));
        INDArray ds = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, s.dataType(), s.shape(), s.ordering());
        ds.assign(eps.mul(x).sum(2, 3).reshape(s.shape()));
        return new Pair<>(null, new INDArray[] {dx, ds});
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) {
            throw new IllegalStateException("ChannelScaleVertex has no parameters");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        if (maskArrays == null || maskArrays.length == 0) {
            return null;
        }
        return new Pair<>(maskArrays[0], currentMaskState);
    }

    @Override
    public String toString() {
        return "ChannelScaleVertex(id=" + vertexIndex + ",name=\"" + vertexName + "\")";
    }
}
