package org.dgquantum.eval;

/**
 * The reported metrics, in report order; {@link #key()} is the name used in {@code metrics.json}. Recall is not
 * a separate key: it is {@link #SENSITIVITY}.
 */
public enum Metric {
    /** (TP + TN) / n at the decision threshold. */
    ACCURACY("accuracy", "Accuracy"),
    /** Area under the ROC curve (Mann-Whitney U / (n1 n0), ties count one half); undefined with one class. */
    AUC("auc", "AUC"),
    /** TP / (TP + FN), the true-positive rate (recall); undefined without positives. */
    SENSITIVITY("sensitivity", "Sensitivity"),
    /** TN / (TN + FP), the true-negative rate; undefined without negatives. */
    SPECIFICITY("specificity", "Specificity"),
    /** TP / (TP + FP), the positive predictive value; undefined without positive predictions. */
    PRECISION("precision", "Precision"),
    /** (sensitivity + specificity) / 2; undefined unless both classes are present. */
    BALANCED_ACCURACY("balanced_accuracy", "Balanced acc."),
    /** 2 TP / (2 TP + FP + FN); undefined when there are neither positives nor positive predictions. */
    F1("f1", "F1"),
    /**
     * The largest sensitivity over the ROC curve's thresholds whose specificity is at least
     * {@link Metrics#MIN_SPECIFICITY}; undefined with one class.
     */
    SENSITIVITY_AT_90_SPECIFICITY("sensitivity_at_90_specificity", "Sens. @90% spec."),
    /**
     * Expected calibration error of the probability of class 1 over {@link Metrics#ECE_BINS} equal-width bins
     * (lower is better); undefined without samples.
     */
    ECE("ece", "ECE");

    private final String key;
    private final String label;

    Metric(String key, String label) {
        this.key = key;
        this.label = label;
    }

    /** The JSON key, e.g. {@code balanced_accuracy}. */
    public String key() {
        return key;
    }

    /** A short human-readable label for tables and plots. */
    public String label() {
        return label;
    }
}
