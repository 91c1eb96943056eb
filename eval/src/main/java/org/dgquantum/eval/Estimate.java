package org.dgquantum.eval;

import java.util.Locale;

/**
 * A point estimate with its bootstrap confidence interval.
 *
 * @param value     the estimate on all samples; {@code NaN} when the metric is undefined for the group
 * @param lower     lower CI bound ({@code NaN} when undefined)
 * @param upper     upper CI bound ({@code NaN} when undefined)
 * @param resamples bootstrap resamples on which the metric was defined (those that make the interval)
 * @param note      why the metric is undefined, or {@code null}
 */
public record Estimate(double value, double lower, double upper, int resamples, String note) {

    static Estimate undefined(String note) {
        return new Estimate(Double.NaN, Double.NaN, Double.NaN, 0, note);
    }

    /** Whether the metric has a value for the group. */
    public boolean defined() {
        return !Double.isNaN(value);
    }

    /** Whether {@code x} lies in [lower, upper]. */
    public boolean contains(double x) {
        return x >= lower && x <= upper;
    }

    /** {@code upper - lower}. */
    public double width() {
        return upper - lower;
    }

    /** {@code 0.83 [0.78, 0.88]}, or {@code n/a} when undefined. */
    public String format() {
        if (!defined()) return "n/a";
        if (Double.isNaN(lower)) return String.format(Locale.ROOT, "%.2f", value);
        return String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", value, lower, upper);
    }

    @Override
    public String toString() {
        return format();
    }
}
