package org.dgquantum.nd4j.layers;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a body over items (channels, blocks of elements) on up to ND4J's thread count (OMP_NUM_THREADS,
 * {@code --threads}), in contiguous ranges. Each item is computed by one thread in a fixed order, so results do
 * not depend on the thread count.
 */
final class Split {
    /** Below this many elements in all a split costs more than it saves. */
    static final long MIN_PARALLEL_ELEMENTS = 1 << 15;

    interface Range {
        void run(int from, int to);
    }

    private Split() {
    }

    static void run(int items, long elements, Range body) {
        int threads = Math.min(items, Math.min(Nd4j.getEnvironment().maxMasterThreads(),
                ForkJoinPool.getCommonPoolParallelism() + 1));
        if (threads <= 1 || elements < MIN_PARALLEL_ELEMENTS) {
            body.run(0, items);
            return;
        }
        ForkJoinTask<?>[] others = new ForkJoinTask<?>[threads - 1];
        for (int t = 1; t < threads; t++) {
            int from = (int) ((long) items * t / threads);
            int to = (int) ((long) items * (t + 1) / threads);
            others[t - 1] = ForkJoinPool.commonPool().submit(() -> body.run(from, to));
        }
        body.run(0, items / threads);
        for (ForkJoinTask<?> f : others) {
            f.join();
        }
    }
}
