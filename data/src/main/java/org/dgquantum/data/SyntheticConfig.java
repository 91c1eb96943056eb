package org.dgquantum.data;

import java.util.List;
import java.util.Objects;

/**
 * Parameters of the synthetic multi-center generator.
 *
 * @param imageSize              image side in pixels (default 64)
 * @param perClassPerCenter      images of each class per training center
 * @param perClassPerTestCenter  images of each class per unseen test center
 * @param seed                   everything is a deterministic function of this seed
 * @param trainCenters           the source (training) centers
 * @param testCenters            the unseen test centers
 * @param lesion                 lesion appearance
 */
public record SyntheticConfig(int imageSize, int perClassPerCenter, int perClassPerTestCenter, long seed,
        List<CenterProfile> trainCenters, List<CenterProfile> testCenters, LesionSpec lesion) {

    public SyntheticConfig {
        trainCenters = List.copyOf(trainCenters);
        testCenters = List.copyOf(testCenters);
        Objects.requireNonNull(lesion, "lesion");
        if (imageSize < 16 || imageSize > 1024) {
            throw new IllegalArgumentException("image size must be in [16, 1024], got " + imageSize);
        }
        if (perClassPerCenter < 1 || perClassPerTestCenter < 0) {
            throw new IllegalArgumentException("need >= 1 image per class per training center");
        }
        if (trainCenters.isEmpty()) {
            throw new IllegalArgumentException("need at least one training center");
        }
    }

    /**
     * 64x64, 192 images per class per training center, 96 per unseen center, 3 training and 2 test centers.
     * With fewer training images MobileNetV2 memorises them instead of learning lesions (docs/trainer.md).
     */
    public static SyntheticConfig defaults(long seed) {
        return new SyntheticConfig(64, 192, 96, seed,
                List.of(CenterProfile.highField(), CenterProfile.mainstream(), CenterProfile.older()),
                List.of(CenterProfile.ricianRing(), CenterProfile.speckleGhost()), LesionSpec.defaults());
    }

    public SyntheticConfig withImageSize(int size) {
        return new SyntheticConfig(size, perClassPerCenter, perClassPerTestCenter, seed, trainCenters,
                testCenters, lesion);
    }

    public SyntheticConfig withCounts(int perClassTrain, int perClassTest) {
        return new SyntheticConfig(imageSize, perClassTrain, perClassTest, seed, trainCenters, testCenters,
                lesion);
    }

    public SyntheticConfig withSeed(long newSeed) {
        return new SyntheticConfig(imageSize, perClassPerCenter, perClassPerTestCenter, newSeed, trainCenters,
                testCenters, lesion);
    }

    public SyntheticConfig withLesion(LesionSpec spec) {
        return new SyntheticConfig(imageSize, perClassPerCenter, perClassPerTestCenter, seed, trainCenters,
                testCenters, spec);
    }
}
