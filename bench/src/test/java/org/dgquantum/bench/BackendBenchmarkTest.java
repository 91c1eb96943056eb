package org.dgquantum.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The benchmark's state and methods work once, and JMH's annotation processor ran (no timing). */
class BackendBenchmarkTest {

    @Test
    void annotationProcessorGeneratedTheBenchmarkList() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
            assertNotNull(in, "META-INF/BenchmarkList missing: jmh-generator-annprocess did not run");
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String m : new String[] {"forward", "adjoint", "parameterShift"}) {
                assertTrue(list.contains("BackendBenchmark_" + m + "_jmhTest"), m);
            }
        }
    }

    @Test
    void everyMethodRunsOnTheJavaBackend() throws Exception {
        for (String precision : new String[] {"float32", "float64"}) {
            BackendBenchmark b = new BackendBenchmark();
            b.backend = "java";
            b.threads = "2";
            b.size = "3x5";
            b.precision = precision;
            b.layers = 2;
            b.rotations = "RX,RY,RZ";
            b.entangler = "ring";
            b.setUp();
            BackendBenchmark.Cpu cpu = new BackendBenchmark.Cpu();
            cpu.start();
            try {
                Object z = b.forward(cpu);
                double first = z instanceof float[] f ? f[0] : ((double[]) z)[0];
                assertEquals(15, z instanceof float[] f ? f.length : ((double[]) z).length);
                assertTrue(Math.abs(first) <= 1 + 1e-6, "expectation out of range: " + first);
                double[] a = toDouble(b.adjoint(cpu)); // copies: both methods return the same gradient array
                double[] p = toDouble(b.parameterShift(cpu));
                assertEquals(2 * 3 * 3, a.length);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i], p[i], 1e-3, "weight gradient " + i + " (" + precision + ")");
                }
                cpu.stop();
                assertTrue(cpu.wallNanos > 0 && cpu.cpuNanos >= 0, cpu.wallNanos + " " + cpu.cpuNanos);
            } finally {
                b.tearDown();
            }
        }
    }

    @Test
    void threadsParameter() {
        assertEquals(3, BackendBenchmark.resolveThreads(" 3 "));
        assertEquals(Runtime.getRuntime().availableProcessors(), BackendBenchmark.resolveThreads("ALL"));
        assertEquals(0, BackendBenchmark.resolveThreads("default"));
        assertThrows(IllegalArgumentException.class, () -> BackendBenchmark.resolveThreads("0"));
        assertThrows(IllegalArgumentException.class, () -> BackendBenchmark.resolveThreads("two"));
    }

    private static double[] toDouble(Object o) {
        if (o instanceof double[] d) {
            return d.clone();
        }
        float[] f = (float[]) o;
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
