package org.dgquantum.dl4j;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgquantum.engine.JavaBackend;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * What docs/library.md says about threads: one backend may serve several threads, each with its own copy of the
 * network, and a copy (like a loaded network) starts on the lazy default backend until it is given one.
 */
class SharedBackendThreadsTest {
    private static final int THREADS = 3;

    @Test
    void aClonedNetworkStartsOnTheSharedDefault() {
        try (CountingBackend backend = new CountingBackend()) {
            ComputationGraph g = new ComputationGraph(ModelSerializerRoundTripTest.graphConf(DataType.FLOAT, false));
            g.init();
            ((QuantumLayerImpl) g.getLayer("quantum")).setBackend(backend);
            assertSame(backend, ((QuantumLayerImpl) g.getLayer("quantum")).backend());
            assertSame(QuantumBackends.shared(), ((QuantumLayerImpl) g.clone().getLayer("quantum")).backend());

            MultiLayerNetwork net = new MultiLayerNetwork(ModelSerializerRoundTripTest.mlnConf(DataType.FLOAT, false));
            net.init();
            ((QuantumLayerImpl) net.getLayer(2)).setBackend(backend);
            assertSame(QuantumBackends.shared(), ((QuantumLayerImpl) net.clone().getLayer(2)).backend());
        }
    }

    @Test
    void oneBackendServesThreadsThatEachTrainTheirOwnClone() throws Exception {
        // Large enough a batch that the Java backend also spreads each call over its worker pool.
        int batch = 600;
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, batch, 4).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, batch, 2);
        INDArray domain = Nd4j.zeros(DataType.DOUBLE, batch, 3);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % 2, 1);
            domain.putScalar(i, i % 3, 1);
        }
        MultiDataSet data = new MultiDataSet(new INDArray[] {x}, new INDArray[] {y, domain});

        try (JavaBackend shared = new JavaBackend(2)) {
            ComputationGraph original = new ComputationGraph(ModelSerializerRoundTripTest.graphConf(DataType.DOUBLE, false));
            original.init();
            List<ComputationGraph> copies = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                ComputationGraph copy = original.clone();
                ((QuantumLayerImpl) copy.getLayer("quantum")).setBackend(shared);
                copies.add(copy);
            }
            ((QuantumLayerImpl) original.getLayer("quantum")).setBackend(shared);
            for (int step = 0; step < 2; step++) {
                original.fit(data);
            }
            INDArray expected = original.output(x)[0];

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<INDArray>> results = new ArrayList<>();
                for (ComputationGraph copy : copies) {
                    results.add(pool.submit(() -> {
                        for (int step = 0; step < 2; step++) {
                            copy.fit(data);
                        }
                        return copy.output(x)[0];
                    }));
                }
                for (int t = 0; t < THREADS; t++) {
                    INDArray out = results.get(t).get();
                    assertArrayEquals(original.params().toDoubleVector(), copies.get(t).params().toDoubleVector(), 0.0,
                            "thread " + t + ": parameters after the same steps");
                    assertArrayEquals(expected.toDoubleMatrix(), out.toDoubleMatrix(), "thread " + t + ": outputs");
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
