package org.dgquantum.cli;

import org.dgquantum.engine.Circuit;

/**
 * One validated case of a cases file. Arrays are flat, row-major, in the layouts of {@link Circuit}:
 * inputs and upstream [batch][qubits], weights [layers][qubits][rotations].
 *
 * @param index position in the file's {@code cases} array (0-based)
 */
public record CircuitCase(int index, String name, Circuit circuit, int batch,
                          double[] inputs, double[] weights, double[] upstream) {

    /** How error messages name this case: {@code case 3 'name'}. */
    public String label() {
        return label(index, name);
    }

    static String label(int index, String name) {
        return "case " + index + (name == null ? "" : " '" + name + "'");
    }
}
