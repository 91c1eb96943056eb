package org.dgquantum.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Synthetic predictions for the evaluation tests. */
final class TestData {
    private TestData() {
    }

    /**
     * {@code perDomain} samples in each domain, balanced classes, probability = sigmoid(separation*(label-0.5)*2 + noise),
     * rounded to {@code decimals} (so that there are ties).
     */
    static List<Prediction> predictions(String model, List<String> domains, int perDomain, double separation, long seed,
                                        int decimals) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Prediction> out = new ArrayList<>();
        double scale = Math.pow(10, decimals);
        for (String d : domains) {
            for (int i = 0; i < perDomain; i++) {
                int label = i % 2;
                double z = separation * (2 * label - 1) + gaussian(rng);
                double p = Math.round(1 / (1 + Math.exp(-z)) * scale) / scale;
                out.add(Prediction.of(d + "-" + i, d, label, p, model, 42));
            }
        }
        return out;
    }

    static List<Prediction> predictions(String model, int n, long seed) {
        return predictions(model, List.of("center-a", "center-b"), n / 2, 1.0, seed, 3);
    }

    private static double gaussian(SplittableRandom rng) {
        double u = rng.nextDouble(), v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
