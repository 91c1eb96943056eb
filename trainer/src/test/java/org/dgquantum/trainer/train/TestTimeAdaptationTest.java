package org.dgquantum.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.dgquantum.trainer.model.DgQuantumGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TestTimeAdaptationTest {

    static INDArray images(int n, int size, long seed, double offset) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * size * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (offset + 0.3 * r.nextDouble());
        }
        return Nd4j.create(x, new long[] {n, 1, size, size}, 'c');
    }

    static boolean isBnStat(Layer l, String param) {
        return l.conf().getLayer() instanceof BatchNormalization
                && (param.equals(BatchNormalizationParamInitializer.GLOBAL_MEAN)
                || param.equals(BatchNormalizationParamInitializer.GLOBAL_VAR)
                || param.equals(BatchNormalizationParamInitializer.GLOBAL_LOG_STD));
    }

    @Test
    void onlyBnStatisticsMoveAndByExactlyEta() {
        ComputationGraph g = DgQuantumGraph.build(TrainerTest.tiny(1).toGraphOptions());
        // Move the running statistics away from their initial (0, 1) so that the update is not trivial.
        g.fit(new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {images(8, 32, 1, 0.2)}, new INDArray[] {
                Nd4j.eye(2).repeat(0, 4).reshape(8, 2), Nd4j.eye(3).getRows(0, 1, 2, 0, 1, 2, 0, 1)}));
        Map<String, float[]> before = new HashMap<>();
        for (Layer l : g.getLayers()) {
            for (Map.Entry<String, INDArray> p : l.paramTable().entrySet()) {
                before.put(l.conf().getLayer().getLayerName() + "/" + p.getKey(), Nd4j.toFlattened(p.getValue()).toFloatVector());
            }
        }
        Map<String, INDArray> varBefore = new HashMap<>();
        for (Layer l : g.getLayers()) {
            if (l.conf().getLayer() instanceof BatchNormalization) {
                varBefore.put(l.conf().getLayer().getLayerName(), TestTimeAdaptation.runningVariance(l).dup());
            }
        }
        INDArray target = images(6, 32, 2, 0.5);
        List<TestTimeAdaptation.BnStats> batch = TestTimeAdaptation.batchStatistics(g, target);
        assertTrue(batch.size() >= 3, "BN layers: " + batch.size());
        double eta = 0.3;
        TestTimeAdaptation.adapt(g, target, eta);

        int bnChecked = 0;
        for (Layer l : g.getLayers()) {
            String ln = l.conf().getLayer().getLayerName();
            for (Map.Entry<String, INDArray> p : l.paramTable().entrySet()) {
                float[] old = before.get(ln + "/" + p.getKey());
                if (!isBnStat(l, p.getKey())) {
                    assertArrayEquals(old, Nd4j.toFlattened(p.getValue()).toFloatVector(), ln + "/" + p.getKey() + " changed");
                }
            }
            if (l.conf().getLayer() instanceof BatchNormalization) {
                TestTimeAdaptation.BnStats s = batch.stream().filter(b -> b.layer().equals(ln)).findFirst()
                        .orElseThrow();
                double[] m0 = Nd4j.create(before.get(ln + "/" + BatchNormalizationParamInitializer.GLOBAL_MEAN))
                        .castTo(DataType.DOUBLE).toDoubleVector();
                double[] m1 = l.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).castTo(DataType.DOUBLE)
                        .toDoubleVector();
                double[] mb = s.mean().toDoubleVector();
                double[] v0 = varBefore.get(ln).toDoubleVector();
                double[] v1 = TestTimeAdaptation.runningVariance(l).toDoubleVector();
                double[] vb = s.variance().toDoubleVector();
                for (int i = 0; i < m0.length; i++) {
                    assertEquals((1 - eta) * m0[i] + eta * mb[i], m1[i], 1e-5 * (1 + Math.abs(m1[i])), ln + " mean");
                    assertEquals((1 - eta) * v0[i] + eta * vb[i], v1[i], 1e-4 * (1 + Math.abs(v1[i])), ln + " var");
                }
                // The batch really differs from the running statistics, so the check above has teeth.
                assertTrue(Math.abs(mb[0] - m0[0]) > 1e-3 || Math.abs(vb[0] - v0[0]) > 1e-3, ln);
                bnChecked++;
            }
        }
        assertEquals(batch.size(), bnChecked);
    }

    @Test
    void etaZeroChangesNothingAndPredictRestoresTheTrainedStatistics() {
        ComputationGraph g = DgQuantumGraph.build(TrainerTest.tiny(1).toGraphOptions());
        float[] p0 = g.params().dup().toFloatVector();
        TestTimeAdaptation.adapt(g, images(4, 32, 3, 0.4), 0.0);
        assertArrayEquals(p0, g.params().toFloatVector());
        TestTimeAdaptation.adapt(g, images(4, 32, 3, 0.4), 0.5);
        assertTrue(!java.util.Arrays.equals(p0, g.params().toFloatVector()));
    }

    @Test
    void recalibrateSetsThePooledStatisticsOfAllBatches() {
        ComputationGraph g = DgQuantumGraph.build(TrainerTest.tiny(1).toGraphOptions());
        INDArray x1 = images(4, 32, 5, 0.1);
        INDArray x2 = images(6, 32, 6, 0.5);
        List<TestTimeAdaptation.BnStats> s1 = TestTimeAdaptation.batchStatistics(g, x1);
        List<TestTimeAdaptation.BnStats> s2 = TestTimeAdaptation.batchStatistics(g, x2);
        TestTimeAdaptation.recalibrate(g, List.of(x1, x2));
        for (int k = 0; k < s1.size(); k++) {
            Layer l = g.getLayer(s1.get(k).layer());
            double[] m = l.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).castTo(DataType.DOUBLE)
                    .toDoubleVector();
            double[] v = TestTimeAdaptation.runningVariance(l).toDoubleVector();
            double[] m1 = s1.get(k).mean().toDoubleVector();
            double[] m2 = s2.get(k).mean().toDoubleVector();
            double[] v1 = s1.get(k).variance().toDoubleVector();
            double[] v2 = s2.get(k).variance().toDoubleVector();
            for (int i = 0; i < m.length; i++) {
                double mean = (4 * m1[i] + 6 * m2[i]) / 10;
                double var = (4 * v1[i] + 6 * v2[i]) / 10 + (4 * m1[i] * m1[i] + 6 * m2[i] * m2[i]) / 10 - mean * mean;
                assertEquals(mean, m[i], 1e-5 * (1 + Math.abs(mean)), l.conf().getLayer().getLayerName() + " mean");
                assertEquals(var, v[i], 1e-4 * (1 + var), l.conf().getLayer().getLayerName() + " var");
            }
        }
    }

    @Test
    void theStatisticsKeptByTheBatchNormHelpersAreThoseOfTheActivations() {
        ComputationGraph g = DgQuantumGraph.build(TrainerTest.tiny(1).toGraphOptions());
        INDArray x = images(6, 32, 7, 0.3);
        List<TestTimeAdaptation.BnStats> kept = TestTimeAdaptation.keptByHelpers(g, x);
        assertNotNull(kept, "the vector batch-norm helpers were not used");
        List<TestTimeAdaptation.BnStats> exact = TestTimeAdaptation.fromActivations(g, x);
        assertEquals(exact.size(), kept.size());
        for (int k = 0; k < kept.size(); k++) {
            assertEquals(exact.get(k).layer(), kept.get(k).layer());
            double[] m = kept.get(k).mean().toDoubleVector();
            double[] me = exact.get(k).mean().toDoubleVector();
            double[] v = kept.get(k).variance().toDoubleVector();
            double[] ve = exact.get(k).variance().toDoubleVector();
            assertEquals(me.length, m.length);
            for (int i = 0; i < m.length; i++) {
                // Float partial sums against a double copy: float rounding, nothing more.
                assertEquals(me[i], m[i], 1e-6 * (1 + Math.abs(me[i])), kept.get(k).layer() + " mean");
                assertEquals(ve[i], v[i], 1e-5 * ve[i] + 1e-9, kept.get(k).layer() + " var");
            }
        }
    }
}
