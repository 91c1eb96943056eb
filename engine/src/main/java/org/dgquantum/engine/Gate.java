package org.dgquantum.engine;

import java.util.Arrays;
import java.util.Locale;

/** Single-qubit rotation gates of the circuit (docs/architecture.md, "The circuit"). */
public enum Gate {
    RX, RY, RZ;

    /**
     * Parses a gate name, case-insensitively.
     *
     * @param name  the name, e.g. "RY"
     * @param field where the name came from, used in the error message (e.g. "rotations[1]")
     * @throws IllegalArgumentException naming the field, the value and the accepted names
     */
    public static Gate parse(String name, String field) {
        if (name != null) {
            for (Gate g : values()) {
                if (g.name().equals(name.trim().toUpperCase(Locale.ROOT))) {
                    return g;
                }
            }
        }
        throw new InvalidFieldException(field, name, "one of RX, RY, RZ", field + ": unknown gate '" + name
                + "' (expected one of " + Arrays.toString(values()) + ")");
    }
}
