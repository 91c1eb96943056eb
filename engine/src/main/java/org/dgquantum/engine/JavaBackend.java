package org.dgquantum.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.dgquantum.engine.internal.CircuitProgram;
import org.dgquantum.engine.internal.GroupKernelF32;
import org.dgquantum.engine.internal.GroupKernelF64;
import org.dgquantum.engine.internal.ShiftSplit;

/**
 * The pure-Java backend: always available, multi-threaded over groups of samples. float32 buffers are
 * simulated in float32, float64 buffers in float64; host memory only (heap arrays are used in place,
 * other host segments through a copy). Results for a sample do not depend on the batch
 * around it or the thread count; weight gradients are reduced in a fixed order, so they do not
 * depend on the thread count either.
 *
 * <p>Memory: per worker thread about 2^n x lanes x 4 numbers for a forward pass and 6 for a backward
 * pass (n = 24 in float64: 512 MiB forward).
 *
 * <p>Parameter shift with fewer groups than threads also splits each group's shifted circuits into
 * pieces ({@link ShiftSplit}) that write disjoint entries, so a batch of one group uses every thread
 * and the results are still those of one thread, bit for bit.
 */
public final class JavaBackend implements QuantumBackend {
    /** 2^24 amplitudes: the largest state that is still practical on a workstation. */
    public static final int MAX_QUBITS = 24;

    private final int threads;
    private final ForkJoinPool pool;

    /** Uses every available processor. */
    public JavaBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** @param threads worker threads; 1 runs every call on the calling thread */
    public JavaBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + " (expected >= 1)");
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public int maxQubits() {
        return MAX_QUBITS;
    }

    public int threads() {
        return threads;
    }

    @Override
    public void forward(Circuit c, int batch, QuantumBuffer inputs, QuantumBuffer weights, QuantumBuffer out) {
        Precision precision = BatchChecks.forward(c, this, batch, inputs, weights, out);
        CircuitProgram p = new CircuitProgram(c, weightsOf(weights));
        HostBuffer x = (HostBuffer) inputs;
        HostBuffer z = (HostBuffer) out;
        // The kernels are compiled per precision: choose once, here. Heap arrays are used in place.
        if (precision == Precision.FLOAT32) {
            float[] in = x.floatArray();
            float[] o = z.floatArray();
            parallel(groups(batch, GroupKernelF32.lanes(c.qubits())), work(c, batch), g -> GroupKernelF32.forward(p, batch, in, o, g));
            z.store(o);
        } else {
            double[] in = x.doubleArray();
            double[] o = z.doubleArray();
            parallel(groups(batch, GroupKernelF64.lanes(c.qubits())), work(c, batch), g -> GroupKernelF64.forward(p, batch, in, o, g));
            z.store(o);
        }
    }

    @Override
    public void backward(Circuit c, int batch, QuantumBuffer inputs, QuantumBuffer weights, QuantumBuffer upstream,
                         QuantumBuffer inputGrad, QuantumBuffer weightGrad, Gradient method) {
        Precision precision = BatchChecks.backward(c, this, batch, inputs, weights, upstream, inputGrad, weightGrad, method);
        CircuitProgram program = new CircuitProgram(c, weightsOf(weights));
        HostBuffer x = (HostBuffer) inputs;
        HostBuffer up = (HostBuffer) upstream;
        HostBuffer dx = (HostBuffer) inputGrad;
        HostBuffer dw = (HostBuffer) weightGrad;
        int lanes = precision == Precision.FLOAT32 ? GroupKernelF32.lanes(c.qubits()) : GroupKernelF64.lanes(c.qubits());
        HostBuffer[] parts = new HostBuffer[groups(batch, lanes)];
        for (int k = 0; k < parts.length; k++) {
            parts[k] = HostBuffer.allocate(precision, c.weightCount());
        }
        if (precision == Precision.FLOAT32) {
            float[] in = x.floatArray();
            float[] g = up.floatArray();
            float[] gx = dx.floatArray();
            // The partials' own arrays (allocated on the heap): pieces of one group write into the same one.
            float[][] pw = new float[parts.length][];
            for (int k = 0; k < parts.length; k++) {
                pw[k] = parts[k].floatArray();
            }
            backward(program, batch, parts.length, method,
                    (p, grp) -> GroupKernelF32.adjoint(p, batch, in, g, gx, pw[grp], grp),
                    (p, plus, minus, grp, from, to) -> GroupKernelF32.parameterShift(p, plus, minus, batch, in, g,
                            gx, pw[grp], grp, from, to));
            dx.store(gx);
        } else {
            double[] in = x.doubleArray();
            double[] g = up.doubleArray();
            double[] gx = dx.doubleArray();
            double[][] pw = new double[parts.length][];
            for (int k = 0; k < parts.length; k++) {
                pw[k] = parts[k].doubleArray();
            }
            backward(program, batch, parts.length, method,
                    (p, grp) -> GroupKernelF64.adjoint(p, batch, in, g, gx, pw[grp], grp),
                    (p, plus, minus, grp, from, to) -> GroupKernelF64.parameterShift(p, plus, minus, batch, in, g,
                            gx, pw[grp], grp, from, to));
            dx.store(gx);
        }
        reduce(parts, dw);
    }

    /**
     * dw = the sum of the groups' partial weight gradients, in group order: the sum does not depend on how
     * groups were spread over threads. float32 sums are rounded to float32 after every addition, as a float
     * sum would be (a float sum computed in double and rounded is exact: 53 >= 2 x 24 + 2 bits).
     */
    private static void reduce(HostBuffer[] partials, HostBuffer dw) {
        boolean f32 = dw.precision() == Precision.FLOAT32;
        for (long i = 0; i < dw.length(); i++) {
            double sum = 0;
            for (HostBuffer part : partials) {
                sum = f32 ? (float) (sum + part.get(i)) : sum + part.get(i);
            }
            dw.set(i, sum);
        }
    }

    /** The weights in float64, as the circuit program takes them (a float64 heap array is used as it is). */
    private static double[] weightsOf(QuantumBuffer weights) {
        HostBuffer w = (HostBuffer) weights;
        return w.precision() == Precision.FLOAT64 ? w.doubleArray() : w.toDoubleArray();
    }

    /** The adjoint VJP of one group, writing into that group's partial weight gradient. */
    private interface AdjointGroup {
        void run(CircuitProgram p, int group);
    }

    /**
     * Units from..to (exclusive, {@link ShiftSplit}) of the parameter-shift VJP of one group, given the
     * programs with each weight shifted by +-pi/2.
     */
    private interface ShiftGroup {
        void run(CircuitProgram p, CircuitProgram[] plus, CircuitProgram[] minus, int group, int from, int to);
    }

    private void backward(CircuitProgram p, int batch, int groups, Gradient method, AdjointGroup adjoint,
                          ShiftGroup shift) {
        long work = work(p.circuit, batch);
        if (method == Gradient.ADJOINT) {
            parallel(groups, 4 * work, g -> adjoint.run(p, g));
        } else {
            CircuitProgram[] plus = shifted(p, Math.PI / 2);
            CircuitProgram[] minus = shifted(p, -Math.PI / 2);
            long shiftWork = 2L * (plus.length + p.qubits) * work;
            // Fewer groups than threads: each group's shifted circuits are cut into pieces too. Pieces write
            // disjoint entries (ShiftSplit), so the split changes no sum and no bit, only who computes what.
            int[] bounds = ShiftSplit.split(p, shiftPieces(groups, shiftWork));
            int pieces = bounds.length - 1;
            parallel(groups * pieces, shiftWork,
                    t -> shift.run(p, plus, minus, t / pieces, bounds[t % pieces], bounds[t % pieces + 1]));
        }
    }

    /**
     * Pieces per group for parameter shift: 1 (the whole group, its prefix states computed once) when
     * the groups alone keep every thread busy or the call runs on one thread; otherwise enough for
     * about 4 pieces per thread over all groups, each piece paying at most one extra prefix state.
     */
    private int shiftPieces(int groups, long work) {
        if (pool == null || groups == 0 || groups >= threads || work < PARALLEL_THRESHOLD) {
            return 1;
        }
        return (4 * threads + groups - 1) / groups;
    }

    /** Amplitude-layers of one forward pass: the unit of the parallel threshold. */
    private static long work(Circuit c, int batch) {
        return (long) batch * (1L << c.qubits()) * Math.max(1, c.layers());
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    private static int groups(int batch, int lanes) {
        return (batch + lanes - 1) / lanes;
    }

    /** One program per weight with that weight shifted: computed once per call, shared by all groups. */
    private static CircuitProgram[] shifted(CircuitProgram p, double shift) {
        CircuitProgram[] out = new CircuitProgram[p.circuit.weightCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = p.withWeight(i, p.weight(i) + shift);
        }
        return out;
    }

    /**
     * Below this many amplitude-layers per call (batch x 2^n x layers) the work takes tens of
     * microseconds and handing it to the pool costs more than it saves: run on the caller's thread.
     */
    private static final long PARALLEL_THRESHOLD = 1 << 16;

    /** Runs task(0..groups-1), in contiguous chunks, a few per thread so that uneven chunks balance out. */
    private void parallel(int groups, long work, IntConsumer task) {
        if (pool == null || groups <= 1 || work < PARALLEL_THRESHOLD) {
            for (int g = 0; g < groups; g++) {
                task.accept(g);
            }
            return;
        }
        int chunks = Math.min(groups, threads * 4);
        List<Future<?>> futures = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) groups * c / chunks);
            int to = (int) ((long) groups * (c + 1) / chunks);
            futures.add(pool.submit(() -> {
                for (int g = from; g < to; g++) {
                    task.accept(g);
                }
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while simulating", e);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }
}
