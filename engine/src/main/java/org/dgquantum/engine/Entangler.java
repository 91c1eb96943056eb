package org.dgquantum.engine;

import java.util.Locale;

/** The CNOT pattern applied after the rotations of every layer (docs/architecture.md, "The circuit"). */
public enum Entangler {
    /** CNOT(q -> (q+1) mod n) for q = 0..n-1, in that order; n = 2: only CNOT(0 -> 1); n = 1: none. */
    RING,
    /** CNOT(q -> q+1) for q = 0..n-2. */
    LINEAR,
    /** No entangling gates. */
    NONE;

    /** Lower-case name as used in JSON and on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The CNOTs of one layer as {control, target} pairs, in application order. */
    public int[][] cnots(int qubits) {
        return switch (this) {
            case NONE -> new int[0][];
            case LINEAR -> chain(qubits, qubits - 1);
            case RING -> qubits <= 2 ? chain(qubits, qubits - 1) : chain(qubits, qubits);
        };
    }

    private static int[][] chain(int qubits, int count) {
        int[][] pairs = new int[Math.max(count, 0)][];
        for (int q = 0; q < pairs.length; q++) {
            pairs[q] = new int[] {q, (q + 1) % qubits};
        }
        return pairs;
    }

    /** Parses "ring", "linear" or "none", case-insensitively; the error names the field and value. */
    public static Entangler parse(String name, String field) {
        if (name != null) {
            for (Entangler e : values()) {
                if (e.id().equals(name.trim().toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
        }
        throw new InvalidFieldException(field, name, "one of ring, linear, none", field + ": unknown entangler '"
                + name + "' (expected one of ring, linear, none)");
    }
}
