package org.dgquantum.eval;

/**
 * Bootstrap settings.
 *
 * @param resamples  bootstrap resamples per group (default 1000); 0 gives point estimates without intervals
 * @param seed       seed of the resampling; the same seed gives the same intervals
 * @param confidence confidence level of the percentile interval (default 0.95)
 */
public record EvaluationOptions(int resamples, long seed, double confidence) {

    public static final int DEFAULT_RESAMPLES = 1000;

    public EvaluationOptions {
        if (resamples < 0) throw new IllegalArgumentException("resamples must be >= 0, got " + resamples);
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
    }

    /** 1000 resamples, seed 0, 95% intervals. */
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
