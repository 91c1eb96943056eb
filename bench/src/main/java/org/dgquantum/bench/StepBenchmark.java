package org.dgquantum.bench;

import org.dgquantum.nd4j.OneDnnHelpers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.dgquantum.trainer.model.DgQuantumGraph;
import org.dgquantum.trainer.model.EncoderType;
import org.dgquantum.dl4j.QuantumLayerImpl;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Benchmark (a main, not a test): seconds per training step and images/s of a network at a given input size
 * and batch, with the oneDNN helpers on and/or off, and the quantum layer's share of a DG-Quantum step.
 * <pre>
 * java ... org.dgquantum.bench.StepBenchmark [--models dgquantum,mobilenetv2,...] [--size 64]
 *      [--batch 32] [--width 0.5] [--steps 5] [--warmup 2] [--helpers on|off|both]
 * </pre>
 * Model names: {@code dgquantum} (MobileNetV2 + quantum layer + domain head) or any encoder id (a plain
 * baseline classifier).
 */
public final class StepBenchmark {
    private StepBenchmark() {
    }

    /** One measurement. */
    public record Result(String model, boolean helpers, int activeHelpers, int size, int batch, double secondsPerStep,
                         double imagesPerSecond, double quantumShare, double firstLoss) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "%-16s helpers=%-3s (%3d layers)  %dx%d batch %d: %.3f s/step, %.1f images/s%s, loss %.5f",
                    model, helpers ? "on" : "off", activeHelpers, size, size, batch, secondsPerStep, imagesPerSecond,
                    Double.isNaN(quantumShare) ? "" : String.format(Locale.ROOT, ", quantum layer %.2f%%",
                            100 * quantumShare), firstLoss);
        }
    }

    /** Options of the network named {@code model} ("dgquantum" or an encoder id for a baseline). */
    public static DgQuantumGraph.Options options(String model, int size, double width, long seed) {
        DgQuantumGraph.Builder b = DgQuantumGraph.Options.builder().inputSize(size).width(width).seed(seed);
        if (model.equalsIgnoreCase("dgquantum") || model.equalsIgnoreCase("dg-quantum")) {
            return b.model(EncoderType.MOBILENETV2).build();
        }
        return b.model(EncoderType.parse(model, "model")).baseline().build();
    }

    /** Times {@code steps} training steps after {@code warmup} untimed ones, on fixed random data. */
    public static Result measure(String model, DgQuantumGraph.Options o, boolean helpers, int batch, int warmup,
                                 int steps) {
        OneDnnHelpers.set(helpers);
        ComputationGraph g = DgQuantumGraph.build(o);
        int active = OneDnnHelpers.activeHelpers(g);
        MultiDataSet ds = DgQuantumGraph.randomBatch(o, batch, 7);
        DgQuantumGraph.setLambda(g, 0.5);
        double firstLoss = Double.NaN;
        for (int i = 0; i < warmup; i++) {
            g.fit(ds);
            if (i == 0) {
                firstLoss = g.score();
            }
        }
        QuantumLayerImpl q = DgQuantumGraph.quantumLayer(g);
        if (q != null) {
            q.resetTimers();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            g.fit(ds);
        }
        long ns = System.nanoTime() - t0;
        double sps = ns / 1e9 / steps;
        double share = q == null ? Double.NaN : (double) q.layerNanos() / ns;
        return new Result(model, helpers, active, o.inputSize(), batch, sps, batch / sps, share, firstLoss);
    }

    public static void main(String[] args) {
        String models = "dgquantum,mobilenetv2";
        int size = 64;
        int batch = 32;
        double width = 0.5;
        int steps = 5;
        int warmup = 2;
        String helpers = "both";
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--models" -> { models = v; i++; }
                case "--size" -> { size = Integer.parseInt(v); i++; }
                case "--batch" -> { batch = Integer.parseInt(v); i++; }
                case "--width" -> { width = Double.parseDouble(v); i++; }
                case "--steps" -> { steps = Integer.parseInt(v); i++; }
                case "--warmup" -> { warmup = Integer.parseInt(v); i++; }
                case "--helpers" -> { helpers = v; i++; }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.println("ND4J threads: " + System.getenv().getOrDefault("OMP_NUM_THREADS", "(default)")
                + ", cores: " + Runtime.getRuntime().availableProcessors());
        for (String m : models.split(",")) {
            DgQuantumGraph.Options o = options(m.strip(), size, width, 42);
            if (!helpers.equals("on")) {
                System.out.println(measure(m.strip(), o, false, batch, warmup, steps));
            }
            if (!helpers.equals("off")) {
                System.out.println(measure(m.strip(), o, true, batch, warmup, steps));
            }
        }
    }
}
