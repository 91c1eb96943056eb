package org.dgquantum.eval;

/**
 * The empirical ROC curve of a group and its pointwise bootstrap band.
 *
 * @param fpr     false-positive rates of the curve's points, from 0 to 1 (empty when a class is absent)
 * @param tpr     true-positive rates of the curve's points
 * @param gridFpr the FPR grid of the band (0, 0.01, ..., 1)
 * @param lower   lower percentile of the resampled curves' TPR at each grid FPR (vertical averaging)
 * @param upper   upper percentile, likewise
 */
public record RocCurve(double[] fpr, double[] tpr, double[] gridFpr, double[] lower, double[] upper) {

    /** Whether the curve exists (both classes present). */
    public boolean defined() {
        return fpr.length > 0;
    }

    /** Whether the band exists (curve defined and at least one resample). */
    public boolean hasBand() {
        return defined() && lower.length > 0 && !Double.isNaN(lower[0]);
    }

    /**
     * The band as one closed outline for a filled polygon: {x, y} along the upper bound left to right, then back
     * along the lower bound (only with {@link #hasBand()}).
     */
    public double[][] bandOutline() {
        int k = gridFpr.length;
        double[] bx = new double[2 * k];
        double[] by = new double[2 * k];
        for (int i = 0; i < k; i++) {
            bx[i] = gridFpr[i];
            by[i] = upper[i];
            bx[2 * k - 1 - i] = gridFpr[i];
            by[2 * k - 1 - i] = lower[i];
        }
        return new double[][] {bx, by};
    }
}
