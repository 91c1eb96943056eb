package org.dgquantum.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dgquantum.nd4j.OneDnnHelpers;
import org.dgquantum.trainer.model.DgQuantumGraph;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * Profile (a main, not a test) of training steps by phase and layer: Java Flight Recorder samples the training
 * thread every 10 ms, both while it runs Java (jdk.ExecutionSample) and while it waits in native code
 * (jdk.NativeMethodSample: libnd4j, oneDNN), so every sample names the Java frames that led to it. Each sample
 * is filed under its phase (forward, backward, updater) and the innermost DL4J layer, vertex, updater or project
 * frame, with the helper it went through (DL4J's oneDNN helpers, the project's layers). ND4J's OpenMP worker
 * threads are not sampled: the shares are of the training thread's time, which is the step's wall time.
 * <pre>
 * java ... org.dgquantum.bench.StepProfile [--model mobilenetv2] [--size 64] [--batch 32] [--steps 30]
 *      [--warmup 10] [--top 25]
 * </pre>
 */
public final class StepProfile {
    private StepProfile() {
    }

    public static void main(String[] args) throws IOException {
        String model = "mobilenetv2";
        int size = 64;
        int batch = 32;
        int steps = 30;
        int warmup = 10;
        int top = 25;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--model" -> { model = v; i++; }
                case "--size" -> { size = Integer.parseInt(v); i++; }
                case "--batch" -> { batch = Integer.parseInt(v); i++; }
                case "--steps" -> { steps = Integer.parseInt(v); i++; }
                case "--warmup" -> { warmup = Integer.parseInt(v); i++; }
                case "--top" -> { top = Integer.parseInt(v); i++; }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        OneDnnHelpers.enable();
        DgQuantumGraph.Options o = StepBenchmark.options(model, size, 0.5, 42);
        ComputationGraph g = DgQuantumGraph.build(o);
        MultiDataSet ds = DgQuantumGraph.randomBatch(o, batch, 7);
        DgQuantumGraph.setLambda(g, 0.5);
        for (int i = 0; i < warmup; i++) {
            g.fit(ds);
        }
        Path file = Files.createTempFile("dgq-step", ".jfr");
        long nanos;
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            r.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
            r.start();
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                g.fit(ds);
            }
            nanos = System.nanoTime() - t0;
            r.stop();
            r.dump(file);
        }
        try {
            report(RecordingFile.readAllEvents(file), Thread.currentThread().threadId(), top, String.format(Locale.ROOT,
                    "%s %dx%d batch %d: %d steps, %.3f s/step", model, size, size, batch, steps, nanos / 1e9 / steps));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static void report(List<RecordedEvent> events, long threadId, int top, String title) {
        Map<String, Integer> byPhase = new LinkedHashMap<>();
        Map<String, Integer> byLayer = new LinkedHashMap<>();
        Map<String, Integer> byLeaf = new LinkedHashMap<>();
        int n = 0;
        for (RecordedEvent e : events) {
            RecordedThread t = e.getThread("sampledThread");
            if (t == null || t.getJavaThreadId() != threadId || e.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            n++;
            String phase = phase(frames);
            byPhase.merge(phase, 1, Integer::sum);
            byLayer.merge(phase + "  " + layer(frames) + "  " + helper(frames), 1, Integer::sum);
            byLeaf.merge(name(frames.get(0)), 1, Integer::sum);
        }
        System.out.println(title + "; " + n + " samples of the training thread");
        print("phase", byPhase, n, top);
        print("phase  layer (innermost DL4J/project frame)  helper", byLayer, n, top);
        print("innermost frame", byLeaf, n, top);
    }

    private static void print(String heading, Map<String, Integer> counts, int n, int top) {
        System.out.println("-- " + heading);
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(x -> System.out.printf(Locale.ROOT, "%5.1f%%  %s%n", 100.0 * x.getValue() / n, x.getKey()));
    }

    private static String name(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }

    /** forward / backward / updater / other, by the first ComputationGraph or updater frame from the top. */
    static String phase(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            String method = f.getMethod().getName();
            if (method.equals("calcBackpropGradients")) {
                return "backward";
            }
            if (method.startsWith("ffToLayerActivations")) {
                return "forward";
            }
            if (type.contains("Updater")) {
                return "updater";
            }
        }
        return "other";
    }

    /** The innermost frame of a DL4J layer or vertex, an updater, or the project (helpers excluded). */
    static String layer(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (type.contains("$$Lambda")) {
                continue;
            }
            boolean dl4jLayer = type.startsWith("org.deeplearning4j.nn.layers.") && !type.contains(".mkldnn.");
            boolean vertex = type.startsWith("org.deeplearning4j.nn.graph.vertex.impl.");
            boolean updater = type.contains("Updater") || type.startsWith("org.nd4j.linalg.learning.");
            boolean project = type.startsWith("org.dgquantum.") && !type.startsWith("org.dgquantum.bench.")
                    && !type.endsWith("Helper") && !type.endsWith("Kernels");
            if (dl4jLayer || vertex || updater || project) {
                return name(f);
            }
        }
        return "-";
    }

    /** The helper a sample went through: DL4J's oneDNN helper or the project's batch-norm helper, else "-". */
    static String helper(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (type.contains(".mkldnn.") || type.startsWith("org.dgquantum.nd4j.layers.")) {
                return type.substring(type.lastIndexOf('.') + 1);
            }
        }
        return "-";
    }
}
