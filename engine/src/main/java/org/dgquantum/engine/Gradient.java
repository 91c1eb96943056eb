package org.dgquantum.engine;

import java.util.Locale;

/** How a backend computes the vector-Jacobian product of the circuit. */
public enum Gradient {
    /** One forward sweep, then one backward sweep with the bra lambda = (sum_q g_q Z_q)|psi>. */
    ADJOINT,
    /** Exact +-pi/2 shifts of every angle: 2P circuits per sample. Slow; the validation path. */
    PARAMETER_SHIFT;

    /** Name as used on the command line and in JSON: "adjoint" or "parameter-shift". */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Gradient parse(String name, String field) {
        for (Gradient g : values()) {
            if (g.id().equalsIgnoreCase(String.valueOf(name).trim())) {
                return g;
            }
        }
        throw new InvalidFieldException(field, name, "adjoint or parameter-shift", field
                + ": unknown gradient method '" + name + "' (expected adjoint or parameter-shift)");
    }
}
