package org.dgquantum.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ND4J loads on Java 25 with exactly one native backend, the oneDNN build chosen by dgq.nd4j.classifier. */
class Nd4jSmokeTest {

    @Test
    void matrixMultiplyRunsOnTheNativeCpuBackend() {
        INDArray a = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3});
        INDArray b = Nd4j.create(new float[] {1, 0, 0, 1, 1, 1}, new long[] {3, 2});
        INDArray c = a.mmul(b);
        assertEquals(DataType.FLOAT, c.dataType());
        assertArrayEquals(new float[] {4, 5, 10, 11}, c.reshape(4).toFloatVector(), 1e-6f);
        assertEquals("CPU", Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
    }

    @Test
    void oneDnnBackendIsLoaded() {
        // Nd4j must be initialised first: it loads the backend's properties that NativeOpsHolder reads.
        assertEquals("CPU", Nd4j.getBackend().getEnvironment().isCPU() ? "CPU" : "other");
        String buildInfo = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        // libnd4j's build info lists HAVE_ONEDNN only in the oneDNN builds (the generic jar lacks it).
        assertTrue(buildInfo.contains("HAVE_ONEDNN"), "native backend is not the oneDNN build:\n" + buildInfo);
    }

    @Test
    void exactlyOneNativeBackendJarIsOnTheClasspath() throws java.io.IOException {
        // Every nd4j-native jar (Java classes and each native classifier) carries this resource.
        java.util.List<String> nativeJars = java.util.Collections.list(getClass().getClassLoader()
                        .getResources("META-INF/maven/org.nd4j/nd4j-native/pom.properties")).stream()
                .map(java.net.URL::toString)
                .filter(u -> u.matches(".*/nd4j-native-[^/]*-linux-x86_64[^/]*\\.jar!.*"))
                .toList();
        assertEquals(1, nativeJars.size(), "expected exactly one nd4j-native native jar: " + nativeJars);
        assertTrue(nativeJars.get(0).contains("onednn"), "not the oneDNN native jar: " + nativeJars);
    }
}
