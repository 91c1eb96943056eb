package org.dgquantum.trainer.train;

/** The small validation metrics used for model selection (the full evaluation lives in the eval package). */
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

    /** ROC AUC (Mann-Whitney, ties count one half); NaN when a class is missing. */
    public static double auc(double[] p, int[] labels) {
        long pos = 0;
        long neg = 0;
        for (int l : labels) {
            if (l == 1) {
                pos++;
            } else {
                neg++;
            }
        }
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
        double rankSumPos = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && p[order[j + 1]] == p[order[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1) {
                    rankSumPos += avgRank;
                }
            }
            i = j + 1;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
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
