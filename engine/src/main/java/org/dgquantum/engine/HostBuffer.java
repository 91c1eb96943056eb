package org.dgquantum.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Host memory of one precision: a {@link MemorySegment} on the Java heap (over a {@code float[]} or
 * {@code double[]}, {@link #of(float[])}) or off it (native memory, {@link #of(MemorySegment, Precision)}).
 * Wrapping an array copies nothing: backends read and write the array itself.
 */
public final class HostBuffer implements QuantumBuffer {
    private final MemorySegment segment;
    private final Precision precision;
    private final long length;

    private HostBuffer(MemorySegment segment, Precision precision) {
        this.segment = segment;
        this.precision = precision;
        this.length = segment.byteSize() / precision.bytes();
    }

    /** The array itself, as float32. */
    public static HostBuffer of(float[] array) {
        return new HostBuffer(MemorySegment.ofArray(array), Precision.FLOAT32);
    }

    /** The array itself, as float64. */
    public static HostBuffer of(double[] array) {
        return new HostBuffer(MemorySegment.ofArray(array), Precision.FLOAT64);
    }

    /** Any host segment (heap or native) holding numbers of this precision in native byte order. */
    public static HostBuffer of(MemorySegment segment, Precision precision) {
        if (segment == null || precision == null) {
            throw new IllegalArgumentException("segment and precision: both required");
        }
        if (segment.byteSize() % precision.bytes() != 0) {
            throw new IllegalArgumentException("segment: " + segment.byteSize() + " bytes is not a whole number of "
                    + precision.id() + " elements");
        }
        return new HostBuffer(segment, precision);
    }

    /** A new zeroed buffer on the heap (an array, so the Java backend uses it in place). */
    public static HostBuffer allocate(Precision precision, int length) {
        return precision == Precision.FLOAT32 ? of(new float[length]) : of(new double[length]);
    }

    public MemorySegment segment() {
        return segment;
    }

    @Override
    public Precision precision() {
        return precision;
    }

    @Override
    public long length() {
        return length;
    }

    /** Element i, widened to double. */
    public double get(long i) {
        return precision == Precision.FLOAT64 ? segment.getAtIndex(ValueLayout.JAVA_DOUBLE, i)
                : segment.getAtIndex(ValueLayout.JAVA_FLOAT, i);
    }

    /** Sets element i (rounded to float32 in a float32 buffer). */
    public void set(long i, double v) {
        if (precision == Precision.FLOAT64) {
            segment.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v);
        } else {
            segment.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v);
        }
    }

    /** Sets every element to v. */
    public void fill(double v) {
        for (long i = 0; i < length; i++) {
            set(i, v);
        }
    }

    /** All elements as a new double[] (float32 values widened exactly). */
    public double[] toDoubleArray() {
        return precision == Precision.FLOAT64 ? segment.toArray(ValueLayout.JAVA_DOUBLE)
                : toDouble(segment.toArray(ValueLayout.JAVA_FLOAT));
    }

    /**
     * The float[] this buffer wraps whole, or a copy of its contents where it wraps something else (store a
     * copy back with {@link #store(float[])}). float32 buffers only.
     */
    public float[] floatArray() {
        if (segment.heapBase().orElse(null) instanceof float[] a && whole(a.length * 4L)) {
            return a;
        }
        return segment.toArray(ValueLayout.JAVA_FLOAT);
    }

    /** float64 counterpart of {@link #floatArray()}. */
    public double[] doubleArray() {
        if (segment.heapBase().orElse(null) instanceof double[] a && whole(a.length * 8L)) {
            return a;
        }
        return segment.toArray(ValueLayout.JAVA_DOUBLE);
    }

    /** Writes back an array from {@link #floatArray()}: nothing to do when it is the wrapped array. */
    public void store(float[] values) {
        if (segment.heapBase().orElse(null) != values) {
            MemorySegment.copy(values, 0, segment, ValueLayout.JAVA_FLOAT, 0, values.length);
        }
    }

    /** Writes back an array from {@link #doubleArray()}. */
    public void store(double[] values) {
        if (segment.heapBase().orElse(null) != values) {
            MemorySegment.copy(values, 0, segment, ValueLayout.JAVA_DOUBLE, 0, values.length);
        }
    }

    private boolean whole(long arrayBytes) {
        // A heap segment's address is its offset into the array.
        return segment.address() == 0 && segment.byteSize() == arrayBytes;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    @Override
    public String toString() {
        return "host buffer " + precision.id() + "[" + length + "]";
    }
}
