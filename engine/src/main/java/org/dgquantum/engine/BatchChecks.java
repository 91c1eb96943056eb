package org.dgquantum.engine;

/**
 * Argument checks shared by all backends, so that every backend rejects the same bad input with the
 * same message (array name, flat position as [row][column], value).
 */
public final class BatchChecks {
    private BatchChecks() {
    }

    /** Checks the batch size and the array lengths of a forward call, and that inputs and weights are finite. */
    public static void forward(Circuit c, QuantumBackend backend, int batch, Object inputs, Object weights, Object out) {
        common(c, backend, batch, inputs, weights);
        length("expectations", out, (long) batch * c.qubits());
    }

    /** Checks a backward call: shapes of all arrays, finiteness of inputs, weights and upstream. */
    public static void backward(Circuit c, QuantumBackend backend, int batch, Object inputs, Object weights,
                                Object upstream, Object inputGrad, Object weightGrad, Gradient method) {
        if (method == null) {
            throw new IllegalArgumentException("gradient method: missing (expected ADJOINT or PARAMETER_SHIFT)");
        }
        common(c, backend, batch, inputs, weights);
        length("upstream", upstream, (long) batch * c.qubits());
        finite("upstream", upstream, c.qubits());
        length("inputGradients", inputGrad, (long) batch * c.qubits());
        length("weightGradients", weightGrad, c.weightCount());
    }

    private static void common(Circuit c, QuantumBackend backend, int batch, Object inputs, Object weights) {
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
        length("inputs", inputs, (long) batch * c.qubits());
        finite("inputs", inputs, c.qubits());
        length("weights", weights, c.weightCount());
        finite("weights", weights, c.qubits(), c.rotationsPerQubit());
    }

    private static void length(String name, Object array, long expected) {
        if (array == null) {
            throw new IllegalArgumentException(name + ": missing array");
        }
        int actual = java.lang.reflect.Array.getLength(array);
        if (actual != expected) {
            throw new IllegalArgumentException(name + ": length " + actual + " does not match the expected " + expected);
        }
    }

    /** Rejects NaN and infinities, naming the element by its indices, e.g. inputs[3][1]. */
    private static void finite(String name, Object array, int... innerDims) {
        if (array instanceof float[] a) {
            for (int i = 0; i < a.length; i++) {
                if (!Float.isFinite(a[i])) {
                    throw notFinite(name, i, innerDims, a[i]);
                }
            }
        } else if (array instanceof double[] a) {
            for (int i = 0; i < a.length; i++) {
                if (!Double.isFinite(a[i])) {
                    throw notFinite(name, i, innerDims, a[i]);
                }
            }
        }
    }

    private static IllegalArgumentException notFinite(String name, int index, int[] innerDims, double value) {
        StringBuilder where = new StringBuilder();
        int rest = index;
        for (int d = innerDims.length - 1; d >= 0; d--) {
            where.insert(0, "[" + rest % innerDims[d] + "]");
            rest /= innerDims[d];
        }
        where.insert(0, "[" + rest + "]");
        return new IllegalArgumentException(name + where + " is " + value + " (expected a finite number)");
    }
}
