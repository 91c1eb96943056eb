package org.dgquantum.trainer.train;

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
}
