package org.dgquantum.dl4j;

import java.util.List;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.QuantumBackend;
import org.dgquantum.engine.QuantumBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The residual quantum layer and its vector-Jacobian product, written once:
 * <pre>
 *   forward:  theta = pi tanh(h Wq)    z = circuit(theta, w)    out = h + alpha z Wr
 *   backward (eps = dL/dout, sums over the batch):
 *     dWr = alpha z^T eps              g = dL/dz = alpha eps Wr^T
 *     (dtheta, dw) = backend VJP(g)    da = dtheta * pi (1 - tanh^2)
 *     dWq = h^T da                     dL/dh = eps + da Wq^T
 * </pre>
 * Matrices {@code M} are row-major, in the layer's precision, in the memory of the {@link Ops} that makes them:
 * host buffers ({@link HostOps}) or ND4J's device arrays ({@link DeviceOps}). The backend reads and writes that
 * memory directly through {@link QuantumBuffer}s: no conversion of precision and, on the device, no host copy.
 * Keeps the angles and expectations of the last training forward pass for the backward pass.
 */
final class ResidualQuantumCore<M> {

    /** Matrix operations and memory of one kind; results are new matrices. */
    interface Ops<M> {
        /** scale * op(a) op(b), op = transpose where asked. */
        M matmul(M a, boolean transposeA, M b, boolean transposeB, double scale);

        /** pi tanh(x). */
        M piTanh(M x);

        /** dtheta * pi (1 - (theta / pi)^2): the chain rule through theta = pi tanh(.). */
        M piTanhBackward(M theta, M dTheta);

        /** a + b. */
        M add(M a, M b);

        /** A matrix for the backend to write. */
        M create(int rows, int cols);

        int rows(M m);

        /** An ND4J array (any order, a view or not) in this memory and precision; may be the array itself. */
        M read(INDArray a);

        /** Writes m into an ND4J array of the same shape (any order, a view or not). */
        void write(M m, INDArray target);

        /** The memory the backend reads for m (it must stay valid until {@link #written}). */
        QuantumBuffer input(M m);

        /** The memory the backend writes for m (made by {@link #create}). */
        QuantumBuffer output(M m);

        /** Called before a backend call: whatever produced the inputs must be finished. */
        void sync();

        /** Called after a backend call for each matrix it wrote. */
        void written(M output);

        /** "host", "device" (ND4J's) or "backend device" memory, for log lines and tests. */
        String memory();

        /** Every matrix made so far but {@code keep} may be reused (memory that is not garbage-collected). */
        default void recycle(List<M> keep) {
        }
    }

    /** The forward pass's results; theta and z are what the backward pass needs. */
    record Forward<M>(M theta, M z, M out, int batch) {
    }

    /** The gradients: of Wq [d][n], Wr [n][d], the circuit weights [1][P], and of the layer's input. */
    record Backward<M>(M dWq, M dWr, M dW, M dH) {
    }

    private final Ops<M> ops;
    private final QuantumBackend backend;
    private final Circuit circuit;
    private final double alpha;
    private final Gradient method;
    private Forward<M> kept;
    private long circuitNanos;
    private long forwardCalls;
    private long backwardCalls;

    ResidualQuantumCore(Ops<M> ops, QuantumBackend backend, Circuit circuit, double alpha, Gradient method) {
        this.ops = ops;
        this.backend = backend;
        this.circuit = circuit;
        this.alpha = alpha;
        this.method = method;
    }

    Ops<M> ops() {
        return ops;
    }

    QuantumBackend backend() {
        return backend;
    }

    /** h [batch][d], wq [d][n], wr [n][d], w [1][P]. */
    Forward<M> forward(M h, M wq, M wr, M w) {
        int batch = ops.rows(h);
        M theta = ops.piTanh(ops.matmul(h, false, wq, false, 1));
        M z = ops.create(batch, circuit.qubits());
        QuantumBuffer x = ops.input(theta);
        QuantumBuffer wb = ops.input(w);
        QuantumBuffer zb = ops.output(z);
        long t0 = System.nanoTime();
        ops.sync();
        backend.forward(circuit, batch, x, wb, zb);
        circuitNanos += System.nanoTime() - t0;
        forwardCalls++;
        ops.written(z);
        return new Forward<>(theta, z, ops.add(h, ops.matmul(z, false, wr, false, alpha)), batch);
    }

    /** The VJP for eps = dL/dout [batch][d], given the forward pass f of the same h and parameters. */
    Backward<M> backward(M h, M wq, M wr, M w, Forward<M> f, M eps) {
        M dWr = ops.matmul(f.z(), true, eps, false, alpha);
        M g = ops.matmul(eps, false, wr, true, alpha);
        M dTheta = ops.create(f.batch(), circuit.qubits());
        M dW = ops.create(1, circuit.weightCount());
        QuantumBuffer x = ops.input(f.theta());
        QuantumBuffer wb = ops.input(w);
        QuantumBuffer gb = ops.input(g);
        QuantumBuffer dx = ops.output(dTheta);
        QuantumBuffer dwb = ops.output(dW);
        long t0 = System.nanoTime();
        ops.sync();
        backend.backward(circuit, f.batch(), x, wb, gb, dx, dwb, method);
        circuitNanos += System.nanoTime() - t0;
        backwardCalls++;
        ops.written(dTheta);
        ops.written(dW);
        M da = ops.piTanhBackward(f.theta(), dTheta);
        return new Backward<>(ops.matmul(h, true, da, false, 1), dWr, dW, ops.add(eps, ops.matmul(da, false, wq, true, 1)));
    }

    /** Keeps a training pass's results for the backward pass of the same input. */
    void keep(Forward<M> f) {
        kept = f;
    }

    /** The kept forward pass if it was of this batch size, else null. */
    Forward<M> kept(int batch) {
        return kept != null && kept.batch() == batch ? kept : null;
    }

    void forget() {
        kept = null;
    }

    /** Ends a pass whose results have been written out: the memory of all but the kept forward pass may be reused. */
    void finishPass() {
        ops.recycle(kept == null ? List.of() : List.of(kept.theta(), kept.z()));
    }

    /** Nanoseconds in backend calls (on the device, including the wait for queued work before a call). */
    long circuitNanos() {
        return circuitNanos;
    }

    long[] calls() {
        return new long[] {forwardCalls, backwardCalls};
    }

    void resetTimers() {
        circuitNanos = 0;
        forwardCalls = 0;
        backwardCalls = 0;
    }
}
