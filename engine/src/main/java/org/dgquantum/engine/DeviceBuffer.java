package org.dgquantum.engine;

/**
 * Memory on an accelerator, given by its address (a CUDA device pointer), its element count and type, and
 * the device ordinal it belongs to. Only backends whose {@link QuantumBackend#acceptsDevice(int)} says so
 * read or write it (the CUDA backend of that device); a call returns when the results are written. The
 * caller owns the memory and must have finished any work that produces the inputs.
 */
public record DeviceBuffer(long address, long length, int device, Precision precision) implements QuantumBuffer {
    public DeviceBuffer {
        if (precision == null) {
            throw new IllegalArgumentException("precision: missing (expected FLOAT32 or FLOAT64)");
        }
        if (length < 0) {
            throw new IllegalArgumentException("length: " + length + " is negative");
        }
        if (address == 0 && length > 0) {
            throw new IllegalArgumentException("address: null device pointer for " + length + " elements");
        }
    }

    @Override
    public String toString() {
        return "device buffer " + precision.id() + "[" + length + "] on device " + device;
    }
}
