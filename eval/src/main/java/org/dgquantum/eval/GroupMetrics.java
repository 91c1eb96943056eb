package org.dgquantum.eval;

import java.util.List;
import java.util.Map;

/**
 * The metrics of one model on one group of samples (one domain, or all domains: {@link #ALL}).
 *
 * @param model           model name
 * @param domain          domain name, or {@link #ALL} for the model's overall result
 * @param samples         number of samples
 * @param positives       samples with label 1
 * @param negatives       samples with label 0
 * @param confusion       confusion matrix of the hard predictions
 * @param metrics         every {@link Metric} with its estimate and interval (undefined ones have a note)
 * @param distributions   per {@link Metric}, its value on each bootstrap resample where it is defined, in resample
 *                        order (empty when the metric is undefined on the group or there are no resamples)
 * @param roc             ROC curve and band
 * @param notes           remarks on the group (one class only, few samples of a class)
 */
public record GroupMetrics(String model, String domain, int samples, int positives, int negatives,
                           ConfusionMatrix confusion, Map<Metric, Estimate> metrics, Map<Metric, double[]> distributions,
                           RocCurve roc, List<String> notes) {

    /** The {@link #domain()} of a model's result over all its samples. */
    public static final String ALL = "all";

    /** The estimate of {@code metric}. */
    public Estimate get(Metric metric) {
        return metrics.get(metric);
    }

    /** The bootstrap values of {@code metric} (see {@link #distributions()}); empty if it has none. */
    public double[] distribution(Metric metric) {
        return distributions.getOrDefault(metric, new double[0]);
    }

    /** The bootstrap AUCs: {@code distribution(Metric.AUC)}. */
    public double[] aucDistribution() {
        return distribution(Metric.AUC);
    }
}
