package org.dgquantum.nd4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class SegmentsTest {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    @Test
    void aViewsSegmentStartsAtItsFirstElement() {
        INDArray a = Nd4j.arange(40).castTo(DataType.FLOAT).reshape(4, 10);
        INDArray rows = a.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all());
        assertTrue(Segments.denseFloat(rows));
        MemorySegment s = Segments.of(rows);
        assertEquals(20 * Float.BYTES, s.byteSize());
        for (int i = 0; i < 20; i++) {
            assertEquals(20f + i, s.getAtIndex(F, i), "element " + i);
        }
    }

    @Test
    void sizeOneDimensionsMayHaveAnyStrideButGapsAreNotDense() {
        assertTrue(Segments.denseFloat(Nd4j.create(DataType.FLOAT, 4, 1280, 1, 1)));
        INDArray columns = Nd4j.create(DataType.FLOAT, 4, 10).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 5));
        assertFalse(Segments.denseFloat(columns));
        assertFalse(Segments.denseFloat(Nd4j.create(DataType.FLOAT, 3, 4).transpose()));
        assertFalse(Segments.denseFloat(Nd4j.create(DataType.DOUBLE, 3, 4)));
        INDArray copy = Segments.dense(columns);
        assertTrue(Segments.denseFloat(copy));
        assertEquals(columns, copy);
    }
}
