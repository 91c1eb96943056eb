package org.dgquantum.trainer.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.Map;

/**
 * Parameter counts of a network, computed from its configuration (nothing is allocated).
 *
 * @param total          every array DL4J stores as a parameter, including batch-norm running mean and
 *                       variance
 * @param trainable      parameters updated by gradient descent (what PyTorch/torchvision report)
 * @param batchNormStats batch-norm running mean and variance entries (total - trainable)
 */
public record ParameterCounts(long total, long trainable, long batchNormStats) {

    public static ParameterCounts of(ComputationGraphConfiguration conf) {
        long total = 0;
        long stats = 0;
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex lv) {
                Layer l = lv.getLayerConf().getLayer();
                total += l.initializer().numParams(l);
                if (l instanceof BatchNormalization bn) {
                    stats += 2 * bn.getNOut();
                }
            } else {
                total += e.getValue().numParams(true);
            }
        }
        return new ParameterCounts(total, total - stats, stats);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%,d trainable (%,d with batch-norm statistics)", trainable, total);
    }
}
