package org.dgquantum.trainer.shift;

import java.util.List;
import java.util.Objects;

/**
 * A virtual imaging domain: per-image parameters are drawn uniformly from these ranges.
 *
 * @param name       e.g. "high-end"
 * @param brightness additive offset
 * @param contrast   gain around mid-gray 0.5
 * @param sharpening unsharp-mask amount s: x + s (x - blur3x3(x)); negative values blur (s = -1: fully blurred)
 * @param noise      standard deviation of additive Gaussian noise
 */
public record VirtualDomain(String name, Range brightness, Range contrast, Range sharpening, Range noise) {

    public VirtualDomain {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(brightness, "brightness");
        Objects.requireNonNull(contrast, "contrast");
        Objects.requireNonNull(sharpening, "sharpening");
        Objects.requireNonNull(noise, "noise");
        if (contrast.lo() <= 0 || noise.lo() < 0 || sharpening.lo() < -1) {
            throw new IllegalArgumentException("domain " + name + ": contrast must be > 0, noise >= 0, sharpening >= -1");
        }
    }

    /** High-end scanners: near-identity intensities, crisp, almost noise-free. */
    public static VirtualDomain highEnd() {
        return new VirtualDomain("high-end", new Range(-0.02, 0.02), new Range(0.95, 1.10), new Range(0.2, 0.6),
                new Range(0.0, 0.01));
    }

    /** Mainstream scanners: moderate shifts and noise. */
    public static VirtualDomain mainstream() {
        return new VirtualDomain("mainstream", new Range(-0.06, 0.06), new Range(0.85, 1.0), new Range(-0.1, 0.2),
                new Range(0.01, 0.03));
    }

    /** Legacy scanners: dull contrast, blur, visible noise. */
    public static VirtualDomain legacy() {
        return new VirtualDomain("legacy", new Range(-0.12, 0.08), new Range(0.65, 0.9), new Range(-0.7, -0.2),
                new Range(0.03, 0.07));
    }

    /** The three default domains in label order: 0 high-end, 1 mainstream, 2 legacy. */
    public static List<VirtualDomain> defaults() {
        return List.of(highEnd(), mainstream(), legacy());
    }
}
