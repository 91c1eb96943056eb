package org.dgquantum.data;

/** Acquisition noise models of the synthetic centers. */
public enum NoiseType {
    /** Additive white Gaussian noise, x + s n (what the shift simulation also adds). */
    GAUSSIAN,
    /** Rician magnitude noise of MR images: sqrt((x + s n1)^2 + (s n2)^2); biases dark regions upwards. */
    RICIAN,
    /** Multiplicative speckle, x (1 + s n), as in ultrasound. */
    SPECKLE,
    /** Signal-dependent (Poisson-like) noise, x + s sqrt(x) n. */
    POISSON
}
