package org.dgquantum.dl4j;

import org.dgquantum.engine.HostBuffer;
import org.dgquantum.engine.Precision;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The quantum layer's host memory (HostOps): row-major reads and writes of arrays in any order and of views. */
class HostCopyTest {

    private static double[] expected(INDArray a) {
        double[] e = new double[(int) a.length()];
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.columns(); j++) {
                e[i * a.columns() + j] = a.getDouble(i, j);
            }
        }
        return e;
    }

    /** Through float64 host memory: values exact. */
    private static double[] read(INDArray a) {
        return new HostOps(Precision.FLOAT64).read(a).data().toDoubleArray();
    }

    private static void write(INDArray target, double[] v) {
        new HostOps(Precision.FLOAT64).write(new HostOps.Matrix(HostBuffer.of(v), (int) target.size(0),
                (int) target.size(1)), target);
    }

    @Test
    void float32LayersReadInFloat32() {
        INDArray a = Nd4j.createFromArray(new float[] {0.1f, 0.2f, 0.3f, 0.4f}).reshape('f', 2, 2);
        HostOps.Matrix m = new HostOps(Precision.FLOAT32).read(a);
        assertEquals(Precision.FLOAT32, m.data().precision());
        assertArrayEquals(expected(a), m.data().toDoubleArray(), 0.0);
    }

    @Test
    void readsCAndFOrderArraysViewsAndStridedViews() {
        INDArray base = Nd4j.createFromArray(new float[60]).reshape('c', new long[] {60});
        for (int i = 0; i < 60; i++) {
            base.putScalar(i, i * 0.5f);
        }
        INDArray c = base.get(NDArrayIndex.interval(0, 12)).reshape('c', new long[] {3, 4});
        INDArray f = base.get(NDArrayIndex.interval(12, 24)).reshape('f', new long[] {3, 4});
        INDArray m = base.reshape('c', new long[] {6, 10});
        INDArray strided = m.get(NDArrayIndex.interval(1, 5), NDArrayIndex.interval(2, 6)); // [4, 4], rows 10 apart
        for (INDArray a : new INDArray[] {c, f, strided, f.castTo(DataType.DOUBLE), m.get(NDArrayIndex.point(3), NDArrayIndex.all()).reshape(1, 10)}) {
            assertArrayEquals(expected(a), read(a), 0.0, a.shapeInfoToString());
        }
    }

    @Test
    void writesIntoCAndFOrderViewsOfALargerBuffer() {
        INDArray base = Nd4j.zeros(DataType.FLOAT, 40);
        INDArray f = base.get(NDArrayIndex.interval(5, 17)).reshape('f', new long[] {3, 4});
        INDArray c = base.get(NDArrayIndex.interval(20, 32)).reshape('c', new long[] {4, 3});
        double[] v = new double[12];
        for (int i = 0; i < 12; i++) {
            v[i] = i + 1;
        }
        write(f, v);
        write(c, v);
        assertArrayEquals(v, expected(f), 0.0);
        assertArrayEquals(v, expected(c), 0.0);
        assertEquals(0.0, base.getDouble(4));
        assertEquals(0.0, base.getDouble(17));
        assertEquals(0.0, base.getDouble(32));
        INDArray strided = Nd4j.zeros(DataType.DOUBLE, 8, 6).get(NDArrayIndex.interval(2, 6), NDArrayIndex.interval(1, 4));
        write(strided, v);
        assertArrayEquals(v, expected(strided), 0.0);
    }
}
