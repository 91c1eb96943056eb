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
}
