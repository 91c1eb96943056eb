package org.dgquantum.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.dgquantum.engine.internal.CircuitProgram;
import org.dgquantum.engine.internal.GroupKernelF32;
import org.dgquantum.engine.internal.GroupKernelF64;

/**
 * The pure-Java backend: always available, multi-threaded over groups of samples. Float arrays are
 * simulated in float32, double arrays in float64. Results for a sample do not depend on the batch
 * around it or the thread count; weight gradients are reduced in a fixed order, so they do not
 * depend on the thread count either.
 *
 * <p>Memory: per worker thread about 2^n x lanes x 4 numbers for a forward pass and 6 for a backward
 * pass (n = 24 in float64: 512 MiB forward).
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
    public void forward(Circuit c, int batch, float[] inputs, float[] weights, float[] out) {
        BatchChecks.forward(c, this, batch, inputs, weights, out);
        CircuitProgram p = new CircuitProgram(c, toDouble(weights));
        parallel(groups(batch, GroupKernelF32.lanes(c.qubits())), work(c, batch), g -> GroupKernelF32.forward(p, batch, inputs, out, g));
    }

    @Override
    public void forward(Circuit c, int batch, double[] inputs, double[] weights, double[] out) {
        BatchChecks.forward(c, this, batch, inputs, weights, out);
        CircuitProgram p = new CircuitProgram(c, weights);
        parallel(groups(batch, GroupKernelF64.lanes(c.qubits())), work(c, batch), g -> GroupKernelF64.forward(p, batch, inputs, out, g));
    }

    @Override
    public void backward(Circuit c, int batch, float[] inputs, float[] weights, float[] upstream,
                         float[] inputGrad, float[] weightGrad, Gradient method) {
        BatchChecks.backward(c, this, batch, inputs, weights, upstream, inputGrad, weightGrad, method);
        float[][] partial = new float[groups(batch, GroupKernelF32.lanes(c.qubits()))][c.weightCount()];
        backward(new CircuitProgram(c, toDouble(weights)), batch, partial.length, method,
                (p, g) -> GroupKernelF32.adjoint(p, batch, inputs, upstream, inputGrad, partial[g], g),
                (p, plus, minus, g) -> GroupKernelF32.parameterShift(p, plus, minus, batch, inputs, upstream,
                        inputGrad, partial[g], g));
        java.util.Arrays.fill(weightGrad, 0);
        for (float[] part : partial) {
            for (int i = 0; i < weightGrad.length; i++) {
                weightGrad[i] += part[i];
            }
        }
    }

    @Override
    public void backward(Circuit c, int batch, double[] inputs, double[] weights, double[] upstream,
                         double[] inputGrad, double[] weightGrad, Gradient method) {
        BatchChecks.backward(c, this, batch, inputs, weights, upstream, inputGrad, weightGrad, method);
        double[][] partial = new double[groups(batch, GroupKernelF64.lanes(c.qubits()))][c.weightCount()];
        backward(new CircuitProgram(c, weights), batch, partial.length, method,
                (p, g) -> GroupKernelF64.adjoint(p, batch, inputs, upstream, inputGrad, partial[g], g),
                (p, plus, minus, g) -> GroupKernelF64.parameterShift(p, plus, minus, batch, inputs, upstream,
                        inputGrad, partial[g], g));
        // Fixed order over groups: the sum does not depend on how groups were spread over threads.
        java.util.Arrays.fill(weightGrad, 0);
        for (double[] part : partial) {
            for (int i = 0; i < weightGrad.length; i++) {
                weightGrad[i] += part[i];
            }
        }
    }

    /** The adjoint VJP of one group, writing into that group's partial weight gradient. */
    private interface AdjointGroup {
        void run(CircuitProgram p, int group);
    }

    /** The parameter-shift VJP of one group, given the programs with each weight shifted by +-pi/2. */
    private interface ShiftGroup {
        void run(CircuitProgram p, CircuitProgram[] plus, CircuitProgram[] minus, int group);
    }

    private void backward(CircuitProgram p, int batch, int groups, Gradient method, AdjointGroup adjoint,
                          ShiftGroup shift) {
        long work = work(p.circuit, batch);
        if (method == Gradient.ADJOINT) {
            parallel(groups, 4 * work, g -> adjoint.run(p, g));
        } else {
            CircuitProgram[] plus = shifted(p, Math.PI / 2);
            CircuitProgram[] minus = shifted(p, -Math.PI / 2);
            parallel(groups, 2L * (plus.length + p.qubits) * work, g -> shift.run(p, plus, minus, g));
        }
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

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
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
