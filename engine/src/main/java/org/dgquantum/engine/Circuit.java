package org.dgquantum.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An immutable, validated variational circuit (docs/architecture.md, "The circuit"): angle encoding E(x_q) on each
 * qubit, then {@code layers} layers of per-qubit rotation sequences followed by an entangler, then
 * Pauli-Z readout of every qubit.
 *
 * <p>Array layouts used by every backend: inputs, upstream gradients and expectations are row-major
 * {@code [batch][qubits]}; weights and weight gradients are {@code [layers][qubits][rotations]}.
 */
public final class Circuit {
    /** Upper bound for any backend; each backend states its own limit in {@link QuantumBackend#maxQubits()}. */
    public static final int MAX_QUBITS = 30;

    private final int qubits;
    private final int layers;
    private final Gate encoding;
    private final List<Gate> rotations;
    private final Entangler entangler;

    /**
     * @throws IllegalArgumentException naming the offending field and value
     */
    public Circuit(int qubits, int layers, Gate encoding, List<Gate> rotations, Entangler entangler) {
        if (qubits < 1 || qubits > MAX_QUBITS) {
            throw new InvalidFieldException("qubits", qubits, "1.." + MAX_QUBITS,
                    "qubits: " + qubits + " is out of range (expected 1.." + MAX_QUBITS + ")");
        }
        if (layers < 0) {
            throw new InvalidFieldException("layers", layers, ">= 0", "layers: " + layers + " is negative (expected >= 0)");
        }
        if (encoding == null) {
            throw new InvalidFieldException("encoding", null, "RX or RY", "encoding: missing (expected RX or RY)");
        }
        if (encoding == Gate.RZ) {
            // RZ on |0> is only a phase: the circuit output would not depend on the inputs.
            throw new InvalidFieldException("encoding", encoding, "RX or RY",
                    "encoding: RZ cannot encode data (it only adds a phase to |0>); expected RX or RY");
        }
        if (rotations == null || rotations.isEmpty()) {
            throw new InvalidFieldException("rotations", rotations, "at least one of RX, RY, RZ",
                    "rotations: empty (expected at least one of RX, RY, RZ)");
        }
        for (int i = 0; i < rotations.size(); i++) {
            if (rotations.get(i) == null) {
                throw new InvalidFieldException("rotations[" + i + "]", null, "RX, RY or RZ", "rotations[" + i + "]: missing gate");
            }
        }
        if (entangler == null) {
            throw new InvalidFieldException("entangler", null, "ring, linear or none", "entangler: missing (expected ring, linear or none)");
        }
        this.qubits = qubits;
        this.layers = layers;
        this.encoding = encoding;
        this.rotations = List.copyOf(rotations);
        this.entangler = entangler;
    }

    /** Parses gate and entangler names (case-insensitive); errors name the field. */
    public static Circuit of(int qubits, int layers, String encoding, List<String> rotations, String entangler) {
        if (rotations == null) {
            throw new InvalidFieldException("rotations", null, "a list of gates such as RY,RZ",
                    "rotations: missing (expected a list such as [\"RY\", \"RZ\"])");
        }
        List<Gate> gates = new ArrayList<>(rotations.size());
        for (int i = 0; i < rotations.size(); i++) {
            gates.add(Gate.parse(rotations.get(i), "rotations[" + i + "]"));
        }
        return new Circuit(qubits, layers, Gate.parse(encoding, "encoding"), gates,
                Entangler.parse(entangler, "entangler"));
    }

    /** {@link CircuitSpec#DEFAULT}'s gates and entangler at this size. */
    public static Circuit standard(int qubits, int layers) {
        return CircuitSpec.DEFAULT.withQubits(qubits).withLayers(layers).circuit();
    }

    public int qubits() { return qubits; }
    public int layers() { return layers; }
    public Gate encoding() { return encoding; }
    public List<Gate> rotations() { return rotations; }
    public Entangler entangler() { return entangler; }

    /** Rotations per qubit per layer (k). */
    public int rotationsPerQubit() { return rotations.size(); }

    /** Number of trainable angles: layers * qubits * rotations. */
    public int weightCount() { return layers * qubits * rotations.size(); }

    /** Flat index of weight [layer][qubit][rotation]. */
    public int weightIndex(int layer, int qubit, int rotation) {
        return (layer * qubits + qubit) * rotations.size() + rotation;
    }

    /** True when every amplitude stays real: RY encoding and RY rotations (CNOTs are real). */
    public boolean isReal() {
        return encoding == Gate.RY && rotations.stream().allMatch(g -> g == Gate.RY);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Circuit c && c.qubits == qubits && c.layers == layers && c.encoding == encoding
                && c.rotations.equals(rotations) && c.entangler == entangler;
    }

    @Override
    public int hashCode() {
        return Objects.hash(qubits, layers, encoding, rotations, entangler);
    }

    @Override
    public String toString() {
        return "Circuit[n=" + qubits + ", L=" + layers + ", encoding=" + encoding + ", rotations=" + rotations
                + ", entangler=" + entangler.id() + "]";
    }
}
