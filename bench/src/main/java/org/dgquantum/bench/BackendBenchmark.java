package org.dgquantum.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Entangler;
import org.dgquantum.engine.Gate;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.Precision;
import org.dgquantum.engine.QuantumBackend;
import java.lang.management.ManagementFactory;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One batched call of a backend per operation: forward, adjoint backward or parameter-shift
 * backward. JMH reports microseconds per call; {@link BenchRun} divides by the batch to get
 * microseconds per sample. The annotations are the defaults for running this class with plain JMH;
 * {@code dgq bench} overrides them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector",
    "--sun-misc-unsafe-memory-access=allow"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BackendBenchmark {

    /** "java", "native" or "cuda" (see {@link BenchBackends}). */
    @Param("java")
    public String backend;

    /** Worker threads of the Java backend: a number, "all" or "default" (= all); other backends: "default". */
    @Param("1")
    public String threads;

    /** {@code QUBITSxBATCH}, see {@link BenchSize}. */
    @Param("8x256")
    public String size;

    @Param("float32")
    public String precision;

    @Param("4")
    public int layers;

    /** Rotation sequence of every layer, comma-separated. */
    @Param("RX,RY,RZ")
    public String rotations;

    @Param("ring")
    public String entangler;

    /**
     * CPU time this JVM got per iteration next to the wall time: cpuNanos / wallNanos is how many
     * processors the benchmark really had (about 2 for two threads on an idle 2-core machine; much
     * less when other work competes). Reported as the secondary results "cpuNanos" and "wallNanos".
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        private static final com.sun.management.OperatingSystemMXBean OS =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        public long cpuNanos;
        public long wallNanos;
        private long cpu0;
        private long wall0;

        @Setup(Level.Iteration)
        public void start() {
            cpuNanos = 0;
            wallNanos = 0;
            cpu0 = OS.getProcessCpuTime();
            wall0 = System.nanoTime();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            cpuNanos = OS.getProcessCpuTime() - cpu0;
            wallNanos = System.nanoTime() - wall0;
        }
    }

    private QuantumBackend engine;
    private Circuit circuit;
    private int batch;
    private boolean f64;
    private float[] xF, wF, gF, outF, dxF, dwF;
    private double[] xD, wD, gD, outD, dxD, dwD;

    /** Resolves "all" to the processors of this JVM, "default" (backends without a thread count) to 0. */
    public static int resolveThreads(String threads) {
        if (threads.trim().equalsIgnoreCase("default")) {
            return 0;
        }
        if (threads.trim().equalsIgnoreCase("all")) {
            return Runtime.getRuntime().availableProcessors();
        }
        int t;
        try {
            t = Integer.parseInt(threads.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("threads '" + threads + "': expected a number or 'all'");
        }
        if (t < 1) {
            throw new IllegalArgumentException("threads '" + threads + "': must be >= 1");
        }
        return t;
    }

    @Setup(Level.Trial)
    public void setUp() throws BackendUnavailableException {
        BenchSize s = BenchSize.parse(size);
        List<String> gates = new ArrayList<>();
        for (String g : rotations.split(",")) {
            gates.add(g.trim());
        }
        circuit = Circuit.of(s.qubits(), layers, Gate.RY.name(), gates, Entangler.parse(entangler, "entangler").id());
        batch = s.batch();
        f64 = Precision.parse(precision, "precision") == Precision.FLOAT64;
        engine = BenchBackends.open(backend, resolveThreads(threads));

        int n = circuit.qubits();
        int p = circuit.weightCount();
        Random rnd = new Random(42);
        xD = new double[batch * n];
        wD = new double[p];
        gD = new double[batch * n];
        for (int i = 0; i < xD.length; i++) {
            xD[i] = (rnd.nextDouble() * 2 - 1) * Math.PI;
            gD[i] = rnd.nextDouble() * 2 - 1;
        }
        for (int i = 0; i < wD.length; i++) {
            wD[i] = (rnd.nextDouble() * 2 - 1) * Math.PI;
        }
        outD = new double[batch * n];
        dxD = new double[batch * n];
        dwD = new double[p];
        xF = toFloat(xD);
        wF = toFloat(wD);
        gF = toFloat(gD);
        outF = new float[batch * n];
        dxF = new float[batch * n];
        dwF = new float[p];
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (engine != null) {
            engine.close();
        }
    }

    @Benchmark
    public Object forward(Cpu cpu) {
        if (f64) {
            engine.forward(circuit, batch, xD, wD, outD);
            return outD;
        }
        engine.forward(circuit, batch, xF, wF, outF);
        return outF;
    }

    @Benchmark
    public Object adjoint(Cpu cpu) {
        return backward(Gradient.ADJOINT);
    }

    @Benchmark
    public Object parameterShift(Cpu cpu) {
        return backward(Gradient.PARAMETER_SHIFT);
    }

    private Object backward(Gradient method) {
        if (f64) {
            engine.backward(circuit, batch, xD, wD, gD, dxD, dwD, method);
            return dwD;
        }
        engine.backward(circuit, batch, xF, wF, gF, dxF, dwF, method);
        return dwF;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
