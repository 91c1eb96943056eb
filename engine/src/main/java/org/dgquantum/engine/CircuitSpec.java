package org.dgquantum.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The trainable circuit a user asks for: qubits, layers, encoding gate, rotation gates, entangler, and the
 * gradient method of its backward pass. The one place for these fields, their defaults and their validation:
 * the {@code dgq train} options, the run configuration (config.json), the network options and the quantum
 * layer's DL4J configuration all carry a {@code CircuitSpec}.
 *
 * <p>A spec holds what it was given (so that configuration files can be read and reported on field by field);
 * {@link #validated()} checks it and returns it with canonical names ("RY", "ring", "adjoint"), and
 * {@link #circuit()} builds the engine's {@link Circuit}. The structural rules are {@link Circuit}'s own; a spec
 * adds that a trainable circuit has at least one layer.
 *
 * @param qubits    circuit qubits, 1..{@value Circuit#MAX_QUBITS}
 * @param layers    variational layers, >= 1
 * @param encoding  encoding gate: RX or RY
 * @param rotations rotation gates per qubit and layer, each RX, RY or RZ
 * @param entangler ring, linear or none
 * @param gradient  adjoint or parameter-shift
 */
public record CircuitSpec(int qubits, int layers, String encoding, List<String> rotations, String entangler,
                          String gradient) {

    // Compile-time constants, so that command-line annotations can show and use them.
    public static final int DEFAULT_QUBITS = 8;
    public static final int DEFAULT_LAYERS = 3;
    public static final String DEFAULT_ENCODING = "RY";
    /** Comma-separated, as typed on a command line. */
    public static final String DEFAULT_ROTATIONS = "RY,RZ";
    public static final String DEFAULT_ENTANGLER = "ring";
    public static final String DEFAULT_GRADIENT = "adjoint";

    /** DG-Quantum's circuit: 8 qubits, 3 layers, RY encoding, [RY, RZ] rotations, ring, adjoint gradients. */
    public static final CircuitSpec DEFAULT = new CircuitSpec(DEFAULT_QUBITS, DEFAULT_LAYERS, DEFAULT_ENCODING,
            List.of(DEFAULT_ROTATIONS.split(",")), DEFAULT_ENTANGLER, DEFAULT_GRADIENT);

    public CircuitSpec {
        rotations = rotations == null ? null : Collections.unmodifiableList(new ArrayList<>(rotations)); // nulls kept: reported by validated()
    }

    /**
     * This spec checked, with canonical names.
     *
     * @throws InvalidFieldException naming the first invalid field (as named here), its value and what was expected
     */
    public CircuitSpec validated() {
        if (layers < 1) {
            throw new InvalidFieldException("layers", layers, ">= 1", "layers: " + layers + " (expected >= 1)");
        }
        Circuit c = circuit();
        return new CircuitSpec(qubits, layers, c.encoding().name(), c.rotations().stream().map(Gate::name).toList(),
                c.entangler().id(), gradientMethod().id());
    }

    /** The engine's circuit of this spec; the structural checks are {@link Circuit}'s. */
    public Circuit circuit() {
        if (rotations == null) {
            throw new InvalidFieldException("rotations", null, "a list of gates such as " + DEFAULT_ROTATIONS,
                    "rotations: missing (expected a list such as [\"RY\", \"RZ\"])");
        }
        return Circuit.of(qubits, layers, encoding, rotations, entangler);
    }

    /** The gradient method of the backward pass. */
    public Gradient gradientMethod() {
        return Gradient.parse(gradient, "gradient");
    }

    public CircuitSpec withQubits(int v) { return new CircuitSpec(v, layers, encoding, rotations, entangler, gradient); }
    public CircuitSpec withLayers(int v) { return new CircuitSpec(qubits, v, encoding, rotations, entangler, gradient); }
    public CircuitSpec withEncoding(String v) { return new CircuitSpec(qubits, layers, v, rotations, entangler, gradient); }
    public CircuitSpec withRotations(List<String> v) { return new CircuitSpec(qubits, layers, encoding, v, entangler, gradient); }
    public CircuitSpec withEntangler(String v) { return new CircuitSpec(qubits, layers, encoding, rotations, v, gradient); }
    public CircuitSpec withGradient(String v) { return new CircuitSpec(qubits, layers, encoding, rotations, entangler, v); }

    /** The spec of a circuit, with this gradient method. */
    public static CircuitSpec of(Circuit c, Gradient method) {
        return new CircuitSpec(c.qubits(), c.layers(), c.encoding().name(),
                c.rotations().stream().map(Gate::name).toList(), c.entangler().id(), method.id());
    }
}
