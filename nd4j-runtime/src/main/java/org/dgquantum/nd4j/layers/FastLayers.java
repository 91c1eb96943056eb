package org.dgquantum.nd4j.layers;

import org.nd4j.linalg.factory.Nd4j;

/**
 * The switch for this package's layers: on by default on ND4J's CPU backend; {@value #PROPERTY}{@code =false}
 * (or {@link #set}) restores DL4J's own path (the oneDNN helper for batch norm, ND4J's op for the ReLU6
 * derivative, the depthwise convolution computed again in backprop), e.g. to compare speed or results. Read when
 * a layer is instantiated (batch norm, depthwise convolution) and on every backward pass (ReLU6).
 */
public final class FastLayers {
    /** System property: {@code true} (default) or {@code false}. */
    public static final String PROPERTY = "dgq.nd4j.fastLayers";

    private static volatile Boolean forced;

    private FastLayers() {
    }

    /** Whether the faster paths are used: the switch is on and ND4J runs on the CPU (its arrays are host memory). */
    public static boolean enabled() {
        Boolean f = forced;
        boolean on = f != null ? f : parse(System.getProperty(PROPERTY));
        return on && Nd4j.getEnvironment().isCPU();
    }

    /** Forces the faster paths on or off from now on (benchmarks and tests); null goes back to the property. */
    public static void set(Boolean on) {
        forced = on;
    }

    static boolean parse(String value) {
        if (value == null || value.equals("true")) {
            return true;
        }
        if (value.equals("false")) {
            return false;
        }
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + value + ": expected true or false");
    }

    /** One line for logs. */
    public static String describe() {
        return enabled() ? "fast batch-norm, ReLU6 and depthwise layers on"
                : "fast batch-norm, ReLU6 and depthwise layers off (" + PROPERTY + "=false or ND4J not on the CPU)";
    }
}
