package org.dgquantum.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every rejection path names the field, the value and what was expected. */
class ValidationTest {
    private final Circuit c = new Circuit(2, 2, Gate.RY, List.of(Gate.RY, Gate.RZ), Entangler.RING);
    private final JavaBackend backend = new JavaBackend(1);

    private static void rejects(String expectedFragment, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedFragment),
                "message '" + e.getMessage() + "' should contain '" + expectedFragment + "'");
    }

    @Test
    void circuitConstruction() {
        rejects("qubits: 0 is out of range (expected 1..30)", () -> new Circuit(0, 1, Gate.RY, List.of(Gate.RY), Entangler.RING));
        rejects("qubits: 31", () -> new Circuit(31, 1, Gate.RY, List.of(Gate.RY), Entangler.RING));
        rejects("layers: -1", () -> new Circuit(2, -1, Gate.RY, List.of(Gate.RY), Entangler.RING));
        rejects("rotations: empty", () -> new Circuit(2, 1, Gate.RY, List.of(), Entangler.RING));
        rejects("encoding: RZ cannot encode", () -> new Circuit(2, 1, Gate.RZ, List.of(Gate.RY), Entangler.RING));
        rejects("encoding: missing", () -> new Circuit(2, 1, null, List.of(Gate.RY), Entangler.RING));
        rejects("entangler: missing", () -> new Circuit(2, 1, Gate.RY, List.of(Gate.RY), null));
        rejects("rotations[1]: unknown gate 'RW'", () -> Circuit.of(2, 1, "RY", List.of("RY", "RW"), "ring"));
        rejects("entangler: unknown entangler 'star'", () -> Circuit.of(2, 1, "RY", List.of("RY"), "star"));
        rejects("encoding: unknown gate 'H'", () -> Circuit.of(2, 1, "H", List.of("RY"), "ring"));
        rejects("rotations: missing", () -> Circuit.of(2, 1, "RY", null, "ring"));
    }

    @Test
    void parsingIsCaseInsensitive() {
        Circuit parsed = Circuit.of(2, 2, "ry", List.of("Ry", "rz"), "RING");
        assertTrue(parsed.equals(c), parsed + " vs " + c);
    }

    @Test
    void arrayShapes() {
        rejects("inputs: length 3 does not match the expected 4",
                () -> backend.forward(c, 2, new double[3], new double[8], new double[4]));
        rejects("weights: length 7 does not match the expected 8",
                () -> backend.forward(c, 2, new double[4], new double[7], new double[4]));
        rejects("expectations: length 5",
                () -> backend.forward(c, 2, new double[4], new double[8], new double[5]));
        rejects("upstream: length 2",
                () -> backend.backward(c, 2, new double[4], new double[8], new double[2], new double[4], new double[8], Gradient.ADJOINT));
        rejects("inputGradients: length 3",
                () -> backend.backward(c, 2, new double[4], new double[8], new double[4], new double[3], new double[8], Gradient.ADJOINT));
        rejects("weightGradients: length 9",
                () -> backend.backward(c, 2, new double[4], new double[8], new double[4], new double[4], new double[9], Gradient.ADJOINT));
        rejects("gradient method: missing",
                () -> backend.backward(c, 2, new double[4], new double[8], new double[4], new double[4], new double[8], null));
        rejects("batch: -1", () -> backend.forward(c, -1, new double[0], new double[8], new double[0]));
        rejects("inputs: missing array", () -> backend.forward(c, 2, (double[]) null, new double[8], new double[4]));
    }

    @Test
    void nonFiniteValuesAreRejectedWithTheirIndex() {
        double[] x = new double[4];
        x[3] = Double.NaN;
        rejects("inputs[1][1] is NaN", () -> backend.forward(c, 2, x, new double[8], new double[4]));
        float[] w = new float[8];
        w[5] = Float.POSITIVE_INFINITY;
        rejects("weights[1][0][1] is Infinity", () -> backend.forward(c, 2, new float[4], w, new float[4]));
        double[] g = new double[4];
        g[0] = Double.NEGATIVE_INFINITY;
        rejects("upstream[0][0] is -Infinity",
                () -> backend.backward(c, 2, new double[4], new double[8], g, new double[4], new double[8], Gradient.PARAMETER_SHIFT));
    }

    @Test
    void qubitLimitOfTheJavaBackend() {
        Circuit big = new Circuit(25, 1, Gate.RY, List.of(Gate.RY), Entangler.NONE);
        rejects("qubits: 25 exceeds the java backend's limit of 24",
                () -> backend.forward(big, 1, new double[25], new double[25], new double[25]));
    }

    @Test
    void unknownEnumNames() {
        rejects("unknown gradient method 'fast'", () -> Gradient.parse("fast", "--gradient"));
        rejects("unknown precision 'half'", () -> Precision.parse("half", "--precision"));
    }
}
