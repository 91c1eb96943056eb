package org.dgquantum.trainer.model;

import org.dgquantum.dl4j.GradientReversalImpl;
import org.deeplearning4j.nn.graph.ComputationGraph;

final class DgQuantumGraphTestSupport {
    private DgQuantumGraphTestSupport() {
    }

    static void setGrl(ComputationGraph g, String name, double lambda) {
        ((GradientReversalImpl) g.getLayer(name)).setLambda(lambda);
    }
}
