package org.dgquantum.engine;

/**
 * A batched simulator of {@link Circuit}s. Array layouts are those documented on {@link Circuit}.
 * float arrays are simulated in float32, double arrays in float64. Implementations are thread-safe
 * for concurrent calls unless they say otherwise.
 */
public interface QuantumBackend extends AutoCloseable {

    /** Human-readable name, e.g. "java", "native-cpu", "cuda:0 (NVIDIA H100 ...)". */
    String name();

    /** Largest qubit count this backend simulates. */
    int maxQubits();

    /** expectations[b][q] = &lt;Z_q&gt; of the circuit on inputs[b]. */
    void forward(Circuit circuit, int batch, float[] inputs, float[] weights, float[] expectations);

    /** float64 variant of {@link #forward(Circuit, int, float[], float[], float[])}. */
    void forward(Circuit circuit, int batch, double[] inputs, double[] weights, double[] expectations);

    /**
     * Vector-Jacobian product: given upstream = dLoss/dz [batch][qubits], writes
     * inputGrad = dLoss/dinputs [batch][qubits] and weightGrad = dLoss/dweights [layers][qubits][rotations]
     * summed over the batch. Both outputs are overwritten, not accumulated.
     */
    void backward(Circuit circuit, int batch, float[] inputs, float[] weights, float[] upstream,
                  float[] inputGrad, float[] weightGrad, Gradient method);

    /** float64 variant of {@link #backward(Circuit, int, float[], float[], float[], float[], float[], Gradient)}. */
    void backward(Circuit circuit, int batch, double[] inputs, double[] weights, double[] upstream,
                  double[] inputGrad, double[] weightGrad, Gradient method);

    /** Releases native or device resources; the Java backend stops its worker threads. */
    @Override
    default void close() {
    }
}
