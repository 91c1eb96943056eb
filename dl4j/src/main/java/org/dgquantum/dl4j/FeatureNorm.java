package org.dgquantum.dl4j;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * Feature-norm penalty beta * E||h||^2 (E over the batch) as an identity layer on h: its forward
 * pass records the penalty, which DL4J adds once to the network score (through
 * {@code calcRegularizationScore}, like L2 terms), and its backward pass adds the penalty's gradient
 * 2 beta h to each sample's error (DL4J sums per-sample gradients; the updater divides by the batch
 * size, giving the gradient of the batch mean). The static helpers compute the same quantities for
 * code outside a graph.
 */
public class FeatureNorm extends IdentityShapeLayer {
    private static final long serialVersionUID = 1L;
    private double beta;

    /** For Jackson. */
    public FeatureNorm() {
    }

    public FeatureNorm(double beta) {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta: " + beta + " (expected a finite number >= 0)");
        }
        this.beta = beta;
    }

    /** beta * mean over rows of ||h_b||^2 for h of shape [B, d]. */
    public static double penalty(INDArray h, double beta) {
        if (beta == 0 || h.size(0) == 0) {
            return 0;
        }
        INDArray hd = h.castTo(DataType.DOUBLE);
        return beta * hd.mul(hd).sumNumber().doubleValue() / h.size(0);
    }

    /**
     * Per-sample gradient of the penalty as DL4J accumulates it, 2 beta h (the batch mean's gradient
     * is this divided by B, which DL4J's updater does).
     */
    public static INDArray gradient(INDArray h, double beta) {
        return h.mul(2 * beta);
    }

    public double getBeta() {
        return beta;
    }

    public void setBeta(double beta) {
        this.beta = beta;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return wire(new FeatureNormImpl(conf, networkDataType), conf, listeners, layerIndex, paramsView, initializeParams);
    }

    @Override
    public FeatureNorm clone() {
        return (FeatureNorm) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureNorm f && super.equals(o) && Double.compare(beta, f.beta) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Double.hashCode(beta);
    }
}
