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

    /**
     * The same centers split anew: {@code names} (checked by {@link DataSources#chooseTestCenters}) become the
     * unseen test centers and the others the training centers, each list in the default order (training centers
     * first). A center's images depend on its place in its list, so they differ from the default split's.
     */
    public SyntheticConfig withTestCenters(List<String> names) {
        List<CenterProfile> all = new java.util.ArrayList<>(trainCenters);
        all.addAll(testCenters);
        List<String> test = DataSources.chooseTestCenters(all.stream().map(CenterProfile::name).toList(), names);
        return new SyntheticConfig(imageSize, perClassPerCenter, perClassPerTestCenter, seed,
                all.stream().filter(c -> !test.contains(c.name())).toList(),
                all.stream().filter(c -> test.contains(c.name())).toList(), lesion);
    }

    public SyntheticConfig withLesion(LesionSpec spec) {
        return new SyntheticConfig(imageSize, perClassPerCenter, perClassPerTestCenter, seed, trainCenters,
                testCenters, spec);
    }
}
