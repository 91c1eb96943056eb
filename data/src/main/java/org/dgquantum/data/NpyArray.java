package org.dgquantum.data;

import java.util.Arrays;

/**
 * A numpy array read from a .npy entry, converted to float (C order).
 *
 * @param shape the array shape
 * @param dtype the numpy dtype descriptor, e.g. {@code "|u1"} or {@code "<f4"}
 * @param data  the values, row-major
 */
public record NpyArray(long[] shape, String dtype, float[] data) {
    public int rank() {
        return shape.length;
    }

    public long length() {
        return shape.length == 0 ? 1 : shape[0];
    }

    @Override
    public String toString() {
        return "NpyArray" + Arrays.toString(shape) + " " + dtype;
    }
}
