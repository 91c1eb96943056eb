package org.dgquantum.trainer.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dgquantum.data.Dataset;
import org.dgquantum.data.Sample;
import org.dgquantum.eval.Prediction;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Inference: class-1 probabilities of a dataset, with or without test-time adaptation. */
public final class Predictor {
    private Predictor() {
    }

    /** p(lesion) for every sample, in dataset order (inference mode, no adaptation). */
    public static double[] probabilities(ComputationGraph g, Dataset d, int channels, int batchSize) {
        double[] p = new double[d.size()];
        for (int[] ix : d.batchIndices(batchSize, false, 0, false)) {
            INDArray x = d.features(ix, channels);
            double[] q = classProbabilities(g, x);
            NativeArrays.free(x);
            for (int b = 0; b < ix.length; b++) {
                p[ix[b]] = q[b];
            }
        }
        return p;
    }

    /** p(class 1) of one batch [B, C, H, W]. */
    public static double[] classProbabilities(ComputationGraph g, INDArray x) {
        INDArray out = g.output(false, x)[0];
        double[] p = out.getColumn(1).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector();
        NativeArrays.free(out); // off-heap; freed now rather than at some later GC
        return p;
    }

    /**
     * Predictions for every sample. With {@code tta}, each domain (center) of {@code d} is adapted separately:
     * starting from the trained BN statistics, every batch of that domain first updates the statistics
     * ({@link TestTimeAdaptation#adapt}, rate {@code eta}) and is then predicted; the trained statistics are
     * restored afterwards, so {@code g} is unchanged when this returns.
     */
    public static List<Prediction> predict(ComputationGraph g, Dataset d, int channels, int batchSize, boolean tta,
                                           double eta, String model, long seed) {
        double[] p = new double[d.size()];
        if (!tta) {
            p = probabilities(g, d, channels, batchSize);
        } else {
            Map<Integer, List<Integer>> byDomain = new LinkedHashMap<>();
            for (int i = 0; i < d.size(); i++) {
                byDomain.computeIfAbsent(d.get(i).domain(), k -> new ArrayList<>()).add(i);
            }
            INDArray trained = g.params().dup();
            try {
                for (List<Integer> rows : byDomain.values()) {
                    g.setParams(trained);
                    for (int from = 0; from < rows.size(); from += batchSize) {
                        int to = Math.min(rows.size(), from + batchSize);
                        int[] ix = rows.subList(from, to).stream().mapToInt(Integer::intValue).toArray();
                        INDArray x = d.features(ix, channels);
                        if (ix.length >= 2) {
                            TestTimeAdaptation.adapt(g, x, eta);
                        }
                        double[] q = classProbabilities(g, x);
                        NativeArrays.free(x);
                        for (int b = 0; b < ix.length; b++) {
                            p[ix[b]] = q[b];
                        }
                    }
                }
            } finally {
                g.setParams(trained);
            }
        }
        List<Prediction> out = new ArrayList<>(d.size());
        for (int i = 0; i < d.size(); i++) {
            Sample s = d.get(i);
            out.add(Prediction.of(s.id(), s.domainName(), s.label(), clamp01(p[i]), model, seed));
        }
        return out;
    }

    private static double clamp01(double v) {
        return Double.isNaN(v) ? 0.5 : Math.max(0, Math.min(1, v));
    }
}
