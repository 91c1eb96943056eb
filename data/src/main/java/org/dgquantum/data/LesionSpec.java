package org.dgquantum.data;

/**
 * How synthetic lesions look. Sizes are fractions of the image side, contrasts are intensity offsets
 * (before acquisition effects).
 *
 * @param minRadius         smallest lesion radius (fraction of the image side)
 * @param maxRadius         largest lesion radius
 * @param minContrast       weakest intensity change
 * @param maxContrast       strongest intensity change
 * @param hyperProbability  probability that a lesion is brighter (else darker) than the tissue
 * @param maxDistractors    up to this many small lesion-like spots (vessels, partial volume) in every image of
 *                          both classes, smaller and fainter than the smallest, weakest lesion
 * @param maxLesions        a positive image has 1..maxLesions lesions
 */
public record LesionSpec(double minRadius, double maxRadius, double minContrast, double maxContrast,
        double hyperProbability, int maxDistractors, int maxLesions) {

    public LesionSpec {
        if (!(minRadius > 0 && maxRadius >= minRadius && maxRadius < 0.5)) {
            throw new IllegalArgumentException("lesion radius range must satisfy 0 < min <= max < 0.5");
        }
        if (!(minContrast > 0 && maxContrast >= minContrast && maxContrast <= 1)) {
            throw new IllegalArgumentException("lesion contrast range must satisfy 0 < min <= max <= 1");
        }
        if (hyperProbability < 0 || hyperProbability > 1 || maxDistractors < 0 || maxLesions < 1) {
            throw new IllegalArgumentException("bad lesion hyperProbability, maxDistractors or maxLesions");
        }
    }

    /**
     * Small (4.5 to 7.7 pixels radius at 64x64), moderate-contrast lesions; mostly hyperintense. Fainter and
     * smaller ones (contrast 0.12-0.30, radius 4-9 %) were not learnable by MobileNetV2 from a few hundred
     * images in the demo's budget (docs/trainer.md).
     */
    public static LesionSpec defaults() {
        return new LesionSpec(0.07, 0.12, 0.30, 0.50, 0.75, 3, 3);
    }
}
