package org.dgquantum.trainer.train;

import org.dgquantum.eval.DeLong;

/**
 * The small validation metrics used for model selection besides the AUC ({@link org.dgquantum.eval.Metrics#auc},
 * the one AUC of the project); the full evaluation lives in the eval package.
 */
public final class Scores {
    private Scores() {
    }

    /** Fraction of rows where (p >= 0.5) equals the label. */
    public static double accuracy(double[] p, int[] labels) {
        int ok = 0;
        for (int i = 0; i < p.length; i++) {
            if ((p[i] >= 0.5 ? 1 : 0) == labels[i]) {
                ok++;
            }
        }
        return p.length == 0 ? Double.NaN : (double) ok / p.length;
    }

    /** Mean binary cross-entropy of p(class 1), clipped at 1e-7. */
    public static double logLoss(double[] p, int[] labels) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            double q = Math.min(1 - 1e-7, Math.max(1e-7, labels[i] == 1 ? p[i] : 1 - p[i]));
            s -= Math.log(q);
        }
        return p.length == 0 ? Double.NaN : s / p.length;
    }

    /** z of a two-sided 95% normal interval. */
    static final double Z95 = 1.959963984540054;

    /**
     * The 95% normal interval {@code auc +- 1.96 sqrt(var)} of a validation AUC, with DeLong's variance
     * ({@link DeLong#variance}), clipped to [0, 1]; {NaN, NaN} when the variance is undefined (fewer than two
     * images of a class).
     */
    public static double[] aucInterval(int[] labels, double[] p, double auc) {
        double half = Z95 * Math.sqrt(DeLong.variance(labels, p));
        if (Double.isNaN(half) || Double.isNaN(auc)) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {Math.max(0, auc - half), Math.min(1, auc + half)};
    }
}
