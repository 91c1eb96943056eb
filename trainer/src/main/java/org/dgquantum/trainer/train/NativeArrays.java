package org.dgquantum.trainer.train;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Collection;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Frees ND4J arrays now instead of when the garbage collector finds them. An ND4J array's data lives off the Java
 * heap and is freed only after its small Java object is collected; the trainer allocates gigabytes of such data
 * (activations, batches) but hardly any heap, so the heap's collector runs too seldom to free it in time and the
 * resident memory grows with the length of a run (docs/trainer.md, "Memory").
 */
final class NativeArrays {
    /** glibc's malloc_trim(size_t pad), or null where there is none (not glibc, no native access). */
    private static final MethodHandle MALLOC_TRIM = mallocTrim();

    private NativeArrays() {
    }

    /**
     * Gives the memory of dropped arrays back to the system, once per epoch: a full GC frees the ND4J arrays that
     * DL4J makes and drops inside fit() (those promoted to the old generation wait for a full GC, which a small
     * heap rarely needs), then glibc's malloc_trim returns the free pages that malloc keeps in its arenas (with
     * glibc's growing mmap threshold, ND4J's megabyte-sized buffers come from the arenas, and the resident size
     * grew by gigabytes over a run although the live data stayed about 0.6 GB). Together about 0.1-0.2 s.
     */
    static void releaseFreedMemory() {
        System.gc();
        if (MALLOC_TRIM != null) {
            try {
                int released = (int) MALLOC_TRIM.invokeExact(0L);
                assert released >= 0;
            } catch (Throwable e) {
                throw new IllegalStateException("malloc_trim failed", e);
            }
        }
    }

    private static MethodHandle mallocTrim() {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("malloc_trim")
                    .map(f -> linker.downcallHandle(f, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG)))
                    .orElse(null);
        } catch (RuntimeException e) {
            return null; // e.g. native access not enabled: the GC alone still frees the arrays
        }
    }

    /** Frees every array that owns its buffer (views, workspace arrays and arrays already freed are skipped). */
    static void free(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null && a.closeable()) {
                a.close();
            }
        }
    }

    /** Frees the arrays of {@code arrays} except {@code keep} (and any array sharing its buffer). */
    static void freeAllBut(Collection<INDArray> arrays, INDArray keep) {
        for (INDArray a : arrays) {
            if (a != null && (keep == null || a.data() != keep.data())) {
                free(a);
            }
        }
    }
}
