package org.dgquantum.trainer.data;

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

    /** Small (1.2 to 3.5 pixels radius at 64x64), low-contrast lesions; mostly hyperintense. */
    public static LesionSpec defaults() {
        return new LesionSpec(0.04, 0.09, 0.12, 0.30, 0.75, 3, 3);
    }
}
