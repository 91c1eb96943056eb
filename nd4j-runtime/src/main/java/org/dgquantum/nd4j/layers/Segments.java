package org.dgquantum.nd4j.layers;

import java.lang.foreign.MemorySegment;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The native memory of an ND4J CPU array as a {@link MemorySegment}. */
final class Segments {
    private Segments() {
    }

    /** Whether {@code a} is a dense c-order float32 array, i.e. its elements are one run of memory in index order. */
    static boolean denseFloat(INDArray a) {
        return a.dataType() == DataType.FLOAT && denseC(a);
    }

    /** {@code a} itself if it is dense c-order, else a dense copy. */
    static INDArray dense(INDArray a) {
        return denseC(a) ? a : a.dup('c');
    }

    /**
     * Whether the elements of {@code a} lie in c order without gaps. Dimensions of size 1 may carry any stride
     * (ND4J gives e.g. [4, 1280, 1, 1] the strides [1280, 1, 1, 1] and may not call them default).
     */
    static boolean denseC(INDArray a) {
        long expected = 1;
        for (int d = a.rank() - 1; d >= 0; d--) {
            if (a.size(d) != 1 && a.stride(d) != expected) {
                return false;
            }
            expected *= a.size(d);
        }
        return true;
    }

    /** The elements of a dense float32 array {@code a} (see {@link #denseFloat}), valid while {@code a} lives. */
    static MemorySegment of(INDArray a) {
        if (!denseFloat(a)) {
            throw new IllegalArgumentException("not a dense c-order float32 array: " + a.shapeInfoToString());
        }
        // addressPointer() already points at the buffer's own offset (a view's buffer carries it); only an
        // array offset beyond that is added.
        long address = a.data().addressPointer().address() + (a.offset() - a.data().offset()) * Float.BYTES;
        return MemorySegment.ofAddress(address).reinterpret(a.length() * Float.BYTES);
    }
}
