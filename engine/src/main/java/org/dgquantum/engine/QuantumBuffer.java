package org.dgquantum.engine;

/**
 * An argument of {@link QuantumBackend#forward} and {@link QuantumBackend#backward}: a flat array of
 * {@link #length()} numbers of one {@link #precision()}, in host memory ({@link HostBuffer}) or in an
 * accelerator's memory ({@link DeviceBuffer}). The precision of the buffers selects the precision of the
 * simulation; the memory kind says where the backend reads and writes. A backend says which memory it
 * takes with {@link QuantumBackend#accepts(QuantumBuffer)}.
 */
public sealed interface QuantumBuffer permits HostBuffer, DeviceBuffer {

    /** float32 or float64. */
    Precision precision();

    /** Number of elements (not bytes). */
    long length();
}
