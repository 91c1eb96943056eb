package org.dgquantum.engine;

import java.util.Locale;

/** Arithmetic precision of a simulation: float32 arrays use FLOAT32, double arrays FLOAT64. */
public enum Precision {
    FLOAT32, FLOAT64;

    /** "float32" or "float64". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
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
