package org.dgquantum.eval;

/**
 * Bootstrap settings.
 *
 * @param resamples  bootstrap resamples per group (default 500, as in the paper); 0 gives point estimates without intervals
 * @param seed       seed of the resampling; the same seed gives the same intervals
 * @param confidence confidence level of the percentile interval (default 0.95)
 */
public record EvaluationOptions(int resamples, long seed, double confidence) {

    /** The paper's number of bootstrap resamples. */
    public static final int DEFAULT_RESAMPLES = 500;
    /** {@link #DEFAULT_RESAMPLES} as a compile-time string, for annotation defaults (picocli's {@code defaultValue}). */
    public static final String DEFAULT_RESAMPLES_TEXT = "" + DEFAULT_RESAMPLES;

    public EvaluationOptions {
        if (resamples < 0) throw new IllegalArgumentException("resamples must be >= 0, got " + resamples);
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
    }

    /** {@value #DEFAULT_RESAMPLES} resamples, seed 0, 95% intervals. */
    public static EvaluationOptions defaults() {
        return new EvaluationOptions(DEFAULT_RESAMPLES, 0L, 0.95);
    }

    public EvaluationOptions withResamples(int resamples) {
        return new EvaluationOptions(resamples, seed, confidence);
    }

    public EvaluationOptions withSeed(long seed) {
        return new EvaluationOptions(resamples, seed, confidence);
    }

    public EvaluationOptions withConfidence(double confidence) {
        return new EvaluationOptions(resamples, seed, confidence);
    }
}
