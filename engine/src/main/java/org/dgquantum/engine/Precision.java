package org.dgquantum.engine;

import java.util.Locale;

/** Arithmetic precision of a simulation: that of the {@link QuantumBuffer}s passed to a backend. */
public enum Precision {
    FLOAT32, FLOAT64;

    /** "float32" or "float64". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Bytes per element: 4 or 8. */
    public int bytes() {
        return this == FLOAT32 ? 4 : 8;
    }

    public static Precision parse(String name, String field) {
        for (Precision p : values()) {
            if (p.id().equalsIgnoreCase(String.valueOf(name).trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException(field + ": unknown precision '" + name
                + "' (expected float32 or float64)");
    }
}
