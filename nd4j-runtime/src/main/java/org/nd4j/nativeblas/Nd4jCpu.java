package org.nd4j.nativeblas;

/**
 * Compatibility shim that re-enables Deeplearning4j's oneDNN layer helpers in 1.0.0-M2.1. Not part of ND4J.
 *
 * <p>Why: DL4J decides whether to use its oneDNN ("MKLDNN") helpers for convolution, batch norm, pooling
 * and LRN in {@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()}, which looks up
 * the class {@code org.nd4j.nativeblas.Nd4jCpu$Environment} by name and calls its static
 * {@code getInstance()} and then {@code isUseMKLDNN()}. In 1.0.0-M2.1 that class was renamed to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and its method to
 * {@code isUseONEDNN()}, so the lookup fails, the check records a permanent failure and every helper is
 * dropped: convolutions then run through ND4J's generic im2col path, about 6x slower on a MobileNetV2 step.
 *
 * <p>This class restores the old name with the two methods the check calls, delegating to the renamed
 * binding. It changes no behaviour by itself: the helpers are still only created when the system property
 * {@code org.eclipse.deeplearning4j.helpers.disable} is {@code false} (see
 * {@link org.dgquantum.nd4j.OneDnnHelpers#enable()}), and {@code isUseMKLDNN()} answers what the
 * loaded native library says (false for a build without oneDNN, e.g. the generic {@code linux-x86_64} jar).
 *
 * <p>The renamed binding is reached by reflection, so that this class also compiles and loads with ND4J's
 * CUDA backend ({@code -Pnd4j-cuda}), where nd4j-native is absent; there it answers false (oneDNN is a CPU
 * library, and DL4J never asks on that backend anyway).
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** The old {@code Nd4jCpu$Environment}: only what {@code BaseMKLDNNHelper} calls by reflection. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Whether the loaded libnd4jcpu was built with oneDNN and has it switched on (false without nd4j-native). */
        public boolean isUseMKLDNN() {
            try {
                Class<?> env = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
                Object instance = env.getMethod("getInstance").invoke(null);
                return (Boolean) env.getMethod("isUseONEDNN").invoke(instance);
            } catch (ClassNotFoundException e) {
                return false;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("nd4j-native's Nd4jCpu$Environment changed: " + e, e);
            }
        }
    }
}
