package org.dgquantum.dl4j;

import org.dgquantum.bindings.CudaBackend;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.Precision;
import org.dgquantum.engine.QuantumBackend;

/**
 * A quantum backend that reads and writes arrays already in GPU memory, given as raw device addresses
 * (layouts as on {@link Circuit}: inputs and expectations [batch][qubits] row-major, weights flat; element
 * type by precision). Calls return when the results are written. {@link CudaBackend} is one, through
 * {@link #of}; tests use fakes on host memory.
 */
public interface DeviceBackend {

    /** The CUDA device ordinal whose memory the addresses must point into. */
    int device();

    /** See {@link CudaBackend#forwardDevice(Circuit, int, Precision, long, long, long)}. */
    void forwardDevice(Circuit c, int batch, Precision precision, long inputs, long weights, long expectations);

    /** See {@link CudaBackend#backwardDevice(Circuit, int, Precision, long, long, long, long, long, Gradient)}. */
    void backwardDevice(Circuit c, int batch, Precision precision, long inputs, long weights, long upstream,
                        long inputGrad, long weightGrad, Gradient method);

    /** The device-pointer entry points of {@code backend}, or null if it has none. */
    static DeviceBackend of(QuantumBackend backend) {
        if (backend instanceof DeviceBackend d) {
            return d;
        }
        if (backend instanceof CudaBackend cuda) {
            return new DeviceBackend() {
                @Override
                public int device() {
                    return cuda.ordinal();
                }

                @Override
                public void forwardDevice(Circuit c, int batch, Precision p, long x, long w, long z) {
                    cuda.forwardDevice(c, batch, p, x, w, z);
                }

                @Override
                public void backwardDevice(Circuit c, int batch, Precision p, long x, long w, long g, long dx, long dw,
                                           Gradient method) {
                    cuda.backwardDevice(c, batch, p, x, w, g, dx, dw, method);
                }

                @Override
                public String toString() {
                    return cuda.name();
                }
            };
        }
        return null;
    }
}
