package org.dgquantum.trainer.shift;

import java.util.SplittableRandom;

/** A closed interval [lo, hi] sampled uniformly. */
public record Range(double lo, double hi) {
    public Range {
        if (!(lo <= hi) || Double.isNaN(lo) || Double.isInfinite(lo) || Double.isInfinite(hi)) {
            throw new IllegalArgumentException("invalid range [" + lo + ", " + hi + "]");
        }
    }

    public double sample(SplittableRandom rng) {
        return lo == hi ? lo : lo + (hi - lo) * rng.nextDouble();
    }

    public boolean contains(double v) {
        return v >= lo && v <= hi;
    }
}
