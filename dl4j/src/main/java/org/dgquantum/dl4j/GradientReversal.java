package org.dgquantum.dl4j;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * Gradient reversal (Ganin and Lempitsky 2015): identity forward, {@code -lambda * gradient} backward.
 * Set lambda every iteration with {@link #lambdaSchedule(double)} of the training progress, through
 * {@link GradientReversalImpl#setLambda(double)} (the trainer's {@code DgQuantumGraph.setLambda} does it for a whole graph).
 */
public class GradientReversal extends IdentityShapeLayer {
    private static final long serialVersionUID = 1L;
    private double lambda;

    /** For Jackson. */
    public GradientReversal() {
    }

    public GradientReversal(double lambda) {
        this.lambda = lambda;
    }

    private GradientReversal(Builder b) {
        super(b);
        this.lambda = b.lambda;
    }

    /**
     * DANN's schedule: lambda(p) = 2 / (1 + exp(-10 p)) - 1, rising from 0 at p = 0 to about 1 at p = 1.
     *
     * @param progress training progress p in [0, 1] (iterations done / total iterations); clamped
     */
    public static double lambdaSchedule(double progress) {
        double p = Math.min(1.0, Math.max(0.0, progress));
        return 2.0 / (1.0 + Math.exp(-10.0 * p)) - 1.0;
    }

    public double getLambda() {
        return lambda;
    }

    public void setLambda(double lambda) {
        this.lambda = lambda;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return wire(new GradientReversalImpl(conf, networkDataType), conf, listeners, layerIndex, paramsView, initializeParams);
    }

    @Override
    public GradientReversal clone() {
        return (GradientReversal) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GradientReversal g && super.equals(o) && Double.compare(lambda, g.lambda) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Double.hashCode(lambda);
    }

    @SuppressWarnings("unchecked")
    public static class Builder extends org.deeplearning4j.nn.conf.layers.Layer.Builder<Builder> {
        private double lambda;

        public Builder lambda(double lambda) {
            this.lambda = lambda;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public GradientReversal build() {
            return new GradientReversal(this);
        }
    }
}
