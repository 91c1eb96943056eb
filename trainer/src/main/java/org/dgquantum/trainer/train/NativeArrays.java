package org.dgquantum.trainer.train;

import java.util.Collection;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Frees ND4J arrays now instead of when the garbage collector finds them. An ND4J array's data lives off the Java
 * heap and is freed only after its small Java object is collected; the trainer allocates gigabytes of such data
 * (activations, batches) but hardly any heap, so the heap's collector runs too seldom to free it in time and the
 * resident memory grows with the length of a run (docs/trainer.md, "Memory").
 */
final class NativeArrays {
    private NativeArrays() {
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
