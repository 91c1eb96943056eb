package org.dgquantum.data;

import java.util.Objects;

/**
 * The acquisition chain of one synthetic imaging center, applied to the clean anatomy in this order:
 * contrast/brightness (x -> (x - 0.5) contrast + 0.5 + brightness), gamma (x -> x^gamma), multiplicative bias
 * field (1 + biasStrength * smooth field in [-1, 1]), resolution loss (area downsampling by resolutionFactor
 * then bilinear upsampling), Gaussian blur (blurSigma pixels), ghosting (a copy shifted by half the image
 * along y, weight ghosting), noise (noiseType, level noiseLevel), ring artifact (concentric rings of amplitude
 * ringArtifact), clamp to [0, 1]. Every scan jitters gamma, noise level and blur by up to +-jitter (relative).
 */
public record CenterProfile(String name, double resolutionFactor, double blurSigma, double gamma,
        double contrast, double brightness, double biasStrength, NoiseType noiseType, double noiseLevel,
        double ringArtifact, double ghosting, double jitter) {

    public CenterProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(noiseType, "noiseType");
        if (resolutionFactor < 1 || blurSigma < 0 || gamma <= 0 || contrast <= 0 || biasStrength < 0
                || biasStrength >= 1 || noiseLevel < 0 || ringArtifact < 0 || ghosting < 0 || jitter < 0
                || jitter >= 1) {
            throw new IllegalArgumentException("invalid center profile " + name);
        }
    }

    /** Training center: modern scanner, sharp, low Gaussian noise. */
    public static CenterProfile highField() {
        return new CenterProfile("A-highfield", 1.0, 0.3, 1.0, 1.0, 0.0, 0.05, NoiseType.GAUSSIAN, 0.015, 0, 0,
                0.1);
    }

    /** Training center: mainstream scanner, mild blur, brighter curve, moderate bias and noise. */
    public static CenterProfile mainstream() {
        return new CenterProfile("B-mainstream", 1.0, 0.8, 0.85, 0.9, 0.03, 0.15, NoiseType.GAUSSIAN, 0.03, 0,
                0, 0.1);
    }

    /** Training center: older scanner, lower resolution, darker curve, stronger bias and noise. */
    public static CenterProfile older() {
        return new CenterProfile("C-older", 1.5, 0.6, 1.2, 0.8, -0.05, 0.25, NoiseType.GAUSSIAN, 0.045, 0, 0,
                0.1);
    }

    /** Unseen test center: Rician noise and a ring artifact (neither is in the shift simulation). */
    public static CenterProfile ricianRing() {
        return new CenterProfile("D-rician-ring", 1.25, 0.5, 0.75, 1.1, 0.0, 0.2, NoiseType.RICIAN, 0.05, 0.035,
                0, 0.1);
    }

    /** Unseen test center: very low resolution, speckle noise, ghosting and a strong bias field. */
    public static CenterProfile speckleGhost() {
        return new CenterProfile("E-speckle-ghost", 2.0, 0.4, 1.35, 0.75, 0.02, 0.35, NoiseType.SPECKLE, 0.12, 0,
                0.12, 0.1);
    }
}
