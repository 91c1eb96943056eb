package org.dgquantum.nd4j.layers;

import java.lang.foreign.MemorySegment;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/** The native memory of an ND4J CPU array as a {@link MemorySegment}. */
final class Segments {
    private Segments() {
    }

    /** Whether {@code a} is a dense c-order float32 array, i.e. its elements are one run of memory in index order. */
    static boolean denseFloat(INDArray a) {
        return a.dataType() == DataType.FLOAT && a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a);
    }

    /** {@code a} itself if it is dense c-order, else a dense copy. */
    static INDArray dense(INDArray a) {
        return a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a) ? a : a.dup('c');
    }

    /** The elements of a dense float32 array {@code a} (see {@link #denseFloat}), valid while {@code a} lives. */
    static MemorySegment of(INDArray a) {
        if (!denseFloat(a)) {
            throw new IllegalArgumentException("not a dense c-order float32 array: " + a.shapeInfoToString());
        }
        long address = a.data().addressPointer().address() + a.offset() * Float.BYTES;
        return MemorySegment.ofAddress(address).reinterpret(a.length() * Float.BYTES);
    }
}
