package org.dgquantum.nd4j;

import org.deeplearning4j.config.DL4JSystemProperties;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Switches on Deeplearning4j's oneDNN layer helpers (convolution, depthwise convolution, batch norm,
 * pooling), which 1.0.0-M2.1 leaves off. Two things are needed:
 * <ol>
 *   <li>the system property {@value #PROPERTY} = {@code false} (DL4J's default is {@code true}, i.e. helpers
 *       disabled); it is read whenever a layer is instantiated, so {@link #enable()} must run before a
 *       network is built or restored;</li>
 *   <li>the class {@code org.nd4j.nativeblas.Nd4jCpu$Environment}, which DL4J's helper check looks up by a
 *       name that no longer exists in 1.0.0-M2.1; this module ships a shim under that name
 *       ({@link org.nd4j.nativeblas.Nd4jCpu}) that delegates to the renamed binding.</li>
 * </ol>
 * With the {@code linux-x86_64-onednn-avx2/avx512} native jar this makes a MobileNetV2 training step at
 * 64x64, batch 32 about 6x faster on a 2-core CPU, with the same losses (see docs/trainer.md and
 * {@code OneDnnHelpersTest}). An explicit {@code -Dorg.eclipse.deeplearning4j.helpers.disable=true} is
 * respected (the plain ND4J path, e.g. to compare).
 *
 * <p>oneDNN is a CPU library: on another ND4J backend (CUDA, {@code -Pnd4j-cuda}) {@link #enable()} leaves
 * DL4J's default (helpers off) and logs one line. Allowing helpers there would make every convolution and
 * batch-norm layer look for DL4J's cuDNN helper classes, which 1.0.0-M2.1 does not publish (no
 * deeplearning4j-cuda-11.6 artifact), and log a warning per layer.
 */
public final class OneDnnHelpers {
    /** DL4J's switch: {@code true} (the default) disables every platform helper. */
    public static final String PROPERTY = DL4JSystemProperties.DISABLE_HELPER_PROPERTY;

    private static final System.Logger LOG = System.getLogger(OneDnnHelpers.class.getName());
    private static boolean notCpuLogged;

    private OneDnnHelpers() {
    }

    /**
     * Allows helpers unless the user set {@value #PROPERTY} explicitly; returns whether layers built from now
     * on get oneDNN helpers. A no-op (false) when ND4J's backend is not the CPU one.
     */
    public static boolean enable() {
        return enable(Nd4j.getEnvironment().isCPU());
    }

    static synchronized boolean enable(boolean cpuBackend) {
        if (!cpuBackend) {
            if (!notCpuLogged) {
                notCpuLogged = true;
                LOG.log(System.Logger.Level.INFO, "oneDNN layer helpers: not used (ND4J backend "
                        + backendName() + " is not the CPU one)");
            }
            return false;
        }
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "false");
        }
        return available();
    }

    /** ND4J's backend as its executioner names it ("CPU", "CUDA"). */
    static String backendName() {
        return Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend", "unknown");
    }

    /** Forces the helpers on or off for networks built from now on (benchmarks and tests). */
    public static synchronized void set(boolean on) {
        System.setProperty(PROPERTY, Boolean.toString(!on));
    }

    /** Whether layers instantiated now get oneDNN helpers (property allows them and the native build has oneDNN). */
    public static boolean available() {
        return !Boolean.parseBoolean(System.getProperty(PROPERTY, DL4JSystemProperties.HELPER_DISABLE_DEFAULT_VALUE))
                && BaseMKLDNNHelper.mklDnnEnabled();
    }

    /** Number of layers of {@code g} that run through a platform helper. */
    public static int activeHelpers(ComputationGraph g) {
        int n = 0;
        for (Layer l : g.getLayers()) {
            if (l.getHelper() != null) {
                n++;
            }
        }
        return n;
    }

    /** One line for logs: on/off and why. */
    public static String describe() {
        if (!Nd4j.getEnvironment().isCPU()) {
            return "oneDNN layer helpers not used (ND4J backend " + backendName() + ")";
        }
        boolean allowed = !Boolean.parseBoolean(System.getProperty(PROPERTY,
                DL4JSystemProperties.HELPER_DISABLE_DEFAULT_VALUE));
        if (!allowed) {
            return "oneDNN layer helpers off (" + PROPERTY + "=true)";
        }
        return BaseMKLDNNHelper.mklDnnEnabled() ? "oneDNN layer helpers on"
                : "oneDNN layer helpers unavailable (the ND4J native library has no oneDNN)";
    }
}
