package org.dgquantum.eval;

import java.util.Objects;

/**
 * One model's prediction for one test image: a row of {@code predictions.csv}.
 *
 * @param id          sample identifier (unique per model and seed)
 * @param domain      the domain (center) the sample comes from, e.g. {@code "center-4"}
 * @param label       ground truth, 0 (normal) or 1 (lesion-positive)
 * @param probability the model's probability of class 1, in [0, 1]
 * @param prediction  the hard prediction, 0 or 1 ({@link #of} sets it at threshold 0.5)
 * @param model       model name, e.g. {@code "dgquantum"}, {@code "dgquantum+tta"}, {@code "mobilenetv2"}
 * @param seed        the training seed of the model
 */
public record Prediction(String id, String domain, int label, double probability, int prediction, String model,
                         long seed) {

    /** The decision threshold used by {@link #of}: probability {@code >= 0.5} predicts class 1. */
    public static final double THRESHOLD = 0.5;

    public Prediction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(model, "model");
        if (id.isEmpty()) throw new IllegalArgumentException("empty id");
        if (domain.isEmpty()) throw new IllegalArgumentException("empty domain (sample " + id + ")");
        if (model.isEmpty()) throw new IllegalArgumentException("empty model name (sample " + id + ")");
        if (label != 0 && label != 1) {
            throw new IllegalArgumentException("label must be 0 or 1, got " + label + " (sample " + id + ")");
        }
        if (prediction != 0 && prediction != 1) {
            throw new IllegalArgumentException("prediction must be 0 or 1, got " + prediction + " (sample " + id + ")");
        }
        if (!(probability >= 0.0 && probability <= 1.0)) {
            throw new IllegalArgumentException("probability must be in [0, 1], got " + probability + " (sample " + id + ")");
        }
    }

    /** A prediction whose hard prediction is {@code probability >= 0.5 ? 1 : 0}. */
    public static Prediction of(String id, String domain, int label, double probability, String model, long seed) {
        return new Prediction(id, domain, label, probability, probability >= THRESHOLD ? 1 : 0, model, seed);
    }
}
