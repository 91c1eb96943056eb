package org.dgquantum.eval;

/**
 * A binary confusion matrix (class 1 = positive). Rates that divide by zero are {@code NaN}.
 */
public record ConfusionMatrix(long tp, long fp, long tn, long fn) {

    public ConfusionMatrix {
        if (tp < 0 || fp < 0 || tn < 0 || fn < 0) throw new IllegalArgumentException("negative count");
    }

    /** Counts from labels and hard predictions (both 0/1). */
    public static ConfusionMatrix of(int[] labels, int[] predictions) {
        if (labels.length != predictions.length) throw new IllegalArgumentException("length mismatch");
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == 1) {
                if (predictions[i] == 1) tp++; else fn++;
            } else {
                if (predictions[i] == 1) fp++; else tn++;
            }
        }
        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    public long total() {
        return tp + fp + tn + fn;
    }

    public long positives() {
        return tp + fn;
    }

    public long negatives() {
        return tn + fp;
    }

    public double accuracy() {
        return ratio(tp + tn, total());
    }

    public double sensitivity() {
        return ratio(tp, tp + fn);
    }

    public double specificity() {
        return ratio(tn, tn + fp);
    }

    /** TP / (TP + FP); {@code NaN} without positive predictions. */
    public double precision() {
        return ratio(tp, tp + fp);
    }

    public double balancedAccuracy() {
        return (sensitivity() + specificity()) / 2.0;
    }

    public double f1() {
        return ratio(2 * tp, 2 * tp + fp + fn);
    }

    /** The value of a threshold metric; the others need scores. */
    public double value(Metric m) {
        return switch (m) {
            case ACCURACY -> accuracy();
            case SENSITIVITY -> sensitivity();
            case SPECIFICITY -> specificity();
            case BALANCED_ACCURACY -> balancedAccuracy();
            case PRECISION -> precision();
            case F1 -> f1();
            case AUC, SENSITIVITY_AT_90_SPECIFICITY, ECE ->
                    throw new IllegalArgumentException(m + " needs scores, not a confusion matrix");
        };
    }

    private static double ratio(long num, long den) {
        return den == 0 ? Double.NaN : (double) num / den;
    }
}
