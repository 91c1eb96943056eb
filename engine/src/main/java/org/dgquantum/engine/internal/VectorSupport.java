package org.dgquantum.engine.internal;

/**
 * Whether the Vector API loops may be used: the incubator module jdk.incubator.vector must be
 * resolved (JVM flag --add-modules jdk.incubator.vector, which bin/dgq and the tests pass) and
 * -Ddgq.vector=false must not be set. Without it the engine runs its scalar loops: same results
 * up to rounding, several times slower.
 */
public final class VectorSupport {
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private VectorSupport() {
    }

    /** True when the module is present and not disabled by -Ddgq.vector=false. */
    public static boolean enabled() {
        return AVAILABLE && !"false".equalsIgnoreCase(System.getProperty("dgq.vector"));
    }

    /** True when the incubator module is resolved in this JVM. */
    public static boolean available() {
        return AVAILABLE;
    }
}
