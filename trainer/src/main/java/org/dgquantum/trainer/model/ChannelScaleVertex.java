package org.dgquantum.trainer.model;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Multiplies a feature map [B, C, H, W] (input 0) by per-sample channel weights [B, C] (input 1),
 * broadcast over height and width: the "excite" step of squeeze-and-excitation. DL4J's
 * ElementWiseVertex cannot express this (its type check rejects CNN inputs of different sizes).
 */
public class ChannelScaleVertex extends GraphVertex {
    private static final long serialVersionUID = 1L;

    public ChannelScaleVertex() {
    }

    @Override
    public ChannelScaleVertex clone() {
        return new ChannelScaleVertex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelScaleVertex;
    }

    @Override
    public int hashCode() {
        return ChannelScaleVertex.class.getName().hashCode();
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 2;
    }

    @Override
    public int maxVertexInputs() {
        return 2;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new ChannelScaleVertexImpl(graph, name, idx, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length != 2 || inputs[0].getType() != InputType.Type.CNN) {
            throw new InvalidInputTypeException("ChannelScaleVertex: expected a CNN feature map and a feed-forward "
                    + "scale vector, got " + java.util.Arrays.toString(inputs));
        }
        long channels = ((InputType.InputTypeConvolutional) inputs[0]).getChannels();
        long scale = inputs[1].arrayElementsPerExample();
        if (scale != channels) {
            throw new InvalidInputTypeException("ChannelScaleVertex: the scale vector has " + scale
                    + " elements, the feature map " + channels + " channels");
        }
        return inputs[0];
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        return new LayerMemoryReport.Builder(null, ChannelScaleVertex.class, inputTypes[0], inputTypes[0])
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }
}
