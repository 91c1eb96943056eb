package org.dgquantum.nd4j.vector;

import org.nd4j.linalg.factory.Nd4j;

/**
 * The switch for this package's kernels: on by default on ND4J's CPU backend; {@value #PROPERTY}{@code =false}
 * (or {@link #set}) restores DL4J's own path (the oneDNN helper for batch norm, ND4J's op for the ReLU6
 * derivative), e.g. to compare speed or results. Read when a layer is instantiated (batch norm) and on every
 * backward pass (ReLU6).
 */
public final class VectorLayers {
    /** System property: {@code true} (default) or {@code false}. */
    public static final String PROPERTY = "dgq.nd4j.vectorLayers";

    private static volatile Boolean forced;

    private VectorLayers() {
    }

    /** Whether the kernels are used: the switch is on and ND4J runs on the CPU (its arrays are host memory). */
    public static boolean enabled() {
        Boolean f = forced;
        boolean on = f != null ? f : parse(System.getProperty(PROPERTY));
        return on && Nd4j.getEnvironment().isCPU();
    }

    /** Forces the kernels on or off from now on (benchmarks and tests); null goes back to the property. */
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
        return enabled() ? "vector batch-norm and ReLU6 kernels on"
                : "vector batch-norm and ReLU6 kernels off (" + PROPERTY + "=false or ND4J not on the CPU)";
    }
}
