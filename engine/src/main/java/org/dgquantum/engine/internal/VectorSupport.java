package org.dgquantum.engine.internal;

/**
 * Whether this process uses the Vector API loops, decided once when the kernel is first used: the
 * incubator module jdk.incubator.vector must be resolved (JVM flag --add-modules
 * jdk.incubator.vector, which bin/dgq and the tests pass) and -Ddgq.vector=false must not be set.
 * Without it the engine runs its scalar loops: the same bits, several times slower.
 *
 * <p>Read once so that every gate of every call takes the same path: {@link LoopsF64#CHOSEN} and
 * {@link LoopsF32#CHOSEN} are built from it. Tests reach the scalar loops through
 * {@link LoopsF64#scalar()}, not by changing the property.
 */
public final class VectorSupport {
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final boolean ENABLED = AVAILABLE && !"false".equalsIgnoreCase(System.getProperty("dgq.vector"));

    private VectorSupport() {
    }

    /** True when the module is present and -Ddgq.vector=false was not set when the engine started. */
    public static boolean enabled() {
        return ENABLED;
    }

    /** True when the incubator module is resolved in this JVM. */
    public static boolean available() {
        return AVAILABLE;
    }
}
