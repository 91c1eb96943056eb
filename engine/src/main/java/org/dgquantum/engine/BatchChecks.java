package org.dgquantum.engine;

/**
 * Argument checks shared by all backends, so that every backend rejects the same bad input with the
 * same message (buffer name, flat position as [row][column], value). Besides shapes: every buffer of a
 * call has the same precision and memory the backend {@linkplain QuantumBackend#accepts accepts}; host
 * inputs are finite (device memory is not read here: that would cost a copy).
 */
public final class BatchChecks {
    private BatchChecks() {
    }

    /** Checks a forward call and returns the precision of its buffers. */
    public static Precision forward(Circuit c, QuantumBackend backend, int batch, QuantumBuffer inputs,
                                    QuantumBuffer weights, QuantumBuffer out) {
        Precision p = common(c, backend, batch, inputs, weights);
        buffer("expectations", out, (long) batch * c.qubits(), p, backend);
        return p;
    }

    /** Checks a backward call (finiteness of host inputs, weights and upstream) and returns its precision. */
    public static Precision backward(Circuit c, QuantumBackend backend, int batch, QuantumBuffer inputs,
                                     QuantumBuffer weights, QuantumBuffer upstream, QuantumBuffer inputGrad,
                                     QuantumBuffer weightGrad, Gradient method) {
        if (method == null) {
            throw new IllegalArgumentException("gradient method: missing (expected ADJOINT or PARAMETER_SHIFT)");
        }
        Precision p = common(c, backend, batch, inputs, weights);
        buffer("upstream", upstream, (long) batch * c.qubits(), p, backend);
        finite("upstream", upstream, c.qubits());
        buffer("inputGradients", inputGrad, (long) batch * c.qubits(), p, backend);
        buffer("weightGradients", weightGrad, c.weightCount(), p, backend);
        return p;
    }

    private static Precision common(Circuit c, QuantumBackend backend, int batch, QuantumBuffer inputs,
                                    QuantumBuffer weights) {
        if (c == null) {
            throw new IllegalArgumentException("circuit: missing");
        }
        if (c.qubits() > backend.maxQubits()) {
            throw new IllegalArgumentException("qubits: " + c.qubits() + " exceeds the " + backend.name()
                    + " backend's limit of " + backend.maxQubits());
        }
        if (batch < 0) {
            throw new IllegalArgumentException("batch: " + batch + " is negative");
        }
        if (inputs == null) {
            throw new IllegalArgumentException("inputs: missing array");
        }
        Precision p = inputs.precision();
        buffer("inputs", inputs, (long) batch * c.qubits(), p, backend);
        finite("inputs", inputs, c.qubits());
        buffer("weights", weights, c.weightCount(), p, backend);
        finite("weights", weights, c.qubits(), c.rotationsPerQubit());
        return p;
    }

    private static void buffer(String name, QuantumBuffer b, long expected, Precision precision, QuantumBackend backend) {
        if (b == null) {
            throw new IllegalArgumentException(name + ": missing array");
        }
        if (b.length() != expected) {
            throw new IllegalArgumentException(name + ": length " + b.length() + " does not match the expected " + expected);
        }
        if (b.precision() != precision) {
            throw new IllegalArgumentException(name + ": " + b.precision().id() + " where inputs are "
                    + precision.id() + " (one precision per call)");
        }
        if (!backend.accepts(b)) {
            throw new IllegalArgumentException(name + ": " + b + " is memory the " + backend.name()
                    + " backend cannot read");
        }
    }

    /** Rejects NaN and infinities in host memory, naming the element by its indices, e.g. inputs[3][1]. */
    private static void finite(String name, QuantumBuffer buffer, int... innerDims) {
        if (buffer instanceof HostBuffer h) {
            for (long i = 0; i < h.length(); i++) {
                double v = h.get(i);
                if (!Double.isFinite(v)) {
                    throw notFinite(name, i, innerDims, v);
                }
            }
        }
    }

    private static IllegalArgumentException notFinite(String name, long index, int[] innerDims, double value) {
        StringBuilder where = new StringBuilder();
        long rest = index;
        for (int d = innerDims.length - 1; d >= 0; d--) {
            where.insert(0, "[" + rest % innerDims[d] + "]");
            rest /= innerDims[d];
        }
        where.insert(0, "[" + rest + "]");
        return new IllegalArgumentException(name + where + " is " + value + " (expected a finite number)");
    }
}
