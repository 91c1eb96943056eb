package org.dgquantum.engine;

/**
 * A batched simulator of {@link Circuit}s. One entry point per operation; its arguments are
 * {@link QuantumBuffer}s (layouts as documented on {@link Circuit}) whose precision selects the precision of the
 * simulation (all buffers of a call share it) and whose kind says where the memory is: host memory
 * ({@link HostBuffer}), which every backend accepts, or device memory ({@link DeviceBuffer}), which only a backend
 * on that device accepts ({@link #acceptsDevice}). Implementations are thread-safe for concurrent calls unless
 * they say otherwise. Arguments are checked by {@link BatchChecks}, the same way in every backend.
 */
public interface QuantumBackend extends AutoCloseable {

    /** Human-readable name, e.g. "java", "native-cpu", "cuda:0 (NVIDIA H100 ...)". */
    String name();

    /** Largest qubit count this backend simulates. */
    int maxQubits();

    /** Whether this backend reads and writes {@link DeviceBuffer}s of this device ordinal; none by default. */
    default boolean acceptsDevice(int device) {
        return false;
    }

    /** Whether this backend takes the buffer's memory: host memory always, device memory per {@link #acceptsDevice}. */
    default boolean accepts(QuantumBuffer buffer) {
        return switch (buffer) {
            case HostBuffer h -> true;
            case DeviceBuffer d -> acceptsDevice(d.device());
        };
    }

    /** expectations[b][q] = &lt;Z_q&gt; of the circuit on inputs[b]. */
    void forward(Circuit circuit, int batch, QuantumBuffer inputs, QuantumBuffer weights, QuantumBuffer expectations);

    /**
     * Vector-Jacobian product: given upstream = dLoss/dz [batch][qubits], writes
     * inputGrad = dLoss/dinputs [batch][qubits] and weightGrad = dLoss/dweights [layers][qubits][rotations]
     * summed over the batch. Both outputs are overwritten, not accumulated.
     */
    void backward(Circuit circuit, int batch, QuantumBuffer inputs, QuantumBuffer weights, QuantumBuffer upstream,
                  QuantumBuffer inputGrad, QuantumBuffer weightGrad, Gradient method);

    /** {@link #forward(Circuit, int, QuantumBuffer, QuantumBuffer, QuantumBuffer)} on float32 arrays, in place. */
    default void forward(Circuit circuit, int batch, float[] inputs, float[] weights, float[] expectations) {
        forward(circuit, batch, host(inputs), host(weights), host(expectations));
    }

    /** {@link #forward(Circuit, int, QuantumBuffer, QuantumBuffer, QuantumBuffer)} on float64 arrays, in place. */
    default void forward(Circuit circuit, int batch, double[] inputs, double[] weights, double[] expectations) {
        forward(circuit, batch, host(inputs), host(weights), host(expectations));
    }

    /** {@link #backward(Circuit, int, QuantumBuffer, QuantumBuffer, QuantumBuffer, QuantumBuffer, QuantumBuffer, Gradient)} on float32 arrays. */
    default void backward(Circuit circuit, int batch, float[] inputs, float[] weights, float[] upstream,
                          float[] inputGrad, float[] weightGrad, Gradient method) {
        backward(circuit, batch, host(inputs), host(weights), host(upstream), host(inputGrad), host(weightGrad), method);
    }

    /** {@link #backward(Circuit, int, QuantumBuffer, QuantumBuffer, QuantumBuffer, QuantumBuffer, QuantumBuffer, Gradient)} on float64 arrays. */
    default void backward(Circuit circuit, int batch, double[] inputs, double[] weights, double[] upstream,
                          double[] inputGrad, double[] weightGrad, Gradient method) {
        backward(circuit, batch, host(inputs), host(weights), host(upstream), host(inputGrad), host(weightGrad), method);
    }

    /**
     * The matrix operations of a whole residual quantum layer on this backend's device, for a layer whose other
     * arrays live in host memory (e.g. ND4J on the CPU and the circuit on a GPU). The caller closes them, before
     * this backend.
     *
     * @throws BackendUnavailableException with the reason where this backend has none (host backends) or cannot
     *                                     open them (e.g. no cuBLAS); the layer then stays on the host path
     */
    default DeviceLayerOps openLayerOps(Precision precision) throws BackendUnavailableException {
        throw new BackendUnavailableException(name() + " runs the circuit only (no device matrix operations)");
    }

    /** Releases native or device resources; the Java backend stops its worker threads. */
    @Override
    default void close() {
    }

    // A null array stays null, so that BatchChecks names the missing argument.
    private static HostBuffer host(float[] a) {
        return a == null ? null : HostBuffer.of(a);
    }

    private static HostBuffer host(double[] a) {
        return a == null ? null : HostBuffer.of(a);
    }
}
