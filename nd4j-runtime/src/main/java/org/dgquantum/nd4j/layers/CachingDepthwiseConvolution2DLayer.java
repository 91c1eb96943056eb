package org.dgquantum.nd4j.layers;

import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.convolution.DepthwiseConvolution2DLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's depthwise convolution layer that, in a training forward pass with a cache mode other than NONE, keeps a
 * copy of its output in the feed-forward cache workspace and hands it to the backward pass, which otherwise
 * computes the convolution again (DL4J's {@code ConvolutionLayer} does the same for itself). Only with the
 * identity activation, where the output is the pre-activation the backward pass asks for; with any other
 * activation, or without an open cache workspace, it behaves exactly as DL4J's layer.
 */
public class CachingDepthwiseConvolution2DLayer extends DepthwiseConvolution2DLayer {
    private long convolutions;

    public CachingDepthwiseConvolution2DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Convolutions computed so far (forward passes, plus backward passes that found no cached output). */
    public long convolutions() {
        return convolutions;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        preOutput = null; // never hand a backward pass the output of another input
        INDArray out = super.activate(training, workspaceMgr);
        if (training && cacheMode != null && cacheMode != CacheMode.NONE
                && layerConf().getActivationFn() instanceof ActivationIdentity
                && workspaceMgr.hasConfiguration(ArrayType.FF_CACHE) && workspaceMgr.isWorkspaceOpen(ArrayType.FF_CACHE)) {
            MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.FF_CACHE);
            try {
                preOutput = out.unsafeDuplication();
            } finally {
                if (ws != null) {
                    ws.close();
                }
            }
        }
        return out;
    }

    @Override
    protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        if (forBackprop && preOutput != null) {
            return new Pair<>(preOutput, null);
        }
        convolutions++;
        return super.preOutput(training, forBackprop, workspaceMgr);
    }
}
