package org.dgquantum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitSpecTest {

    @Test
    void theDefaultIsDgQuantumsCircuitAndItsConstantsAgree() {
        CircuitSpec d = CircuitSpec.DEFAULT;
        assertEquals(d, d.validated());
        assertEquals(new Circuit(8, 3, Gate.RY, List.of(Gate.RY, Gate.RZ), Entangler.RING), d.circuit());
        assertEquals(Gradient.ADJOINT, d.gradientMethod());
        assertEquals(List.of(CircuitSpec.DEFAULT_ROTATIONS.split(",")), d.rotations());
        assertEquals(d.circuit(), Circuit.standard(8, 3));
    }

    @Test
    void validatedSpellsNamesCanonically() {
        CircuitSpec typed = new CircuitSpec(4, 2, " rx", List.of("ry", "Rz"), "LINEAR", "Parameter-Shift");
        assertEquals(new CircuitSpec(4, 2, "RX", List.of("RY", "RZ"), "linear", "parameter-shift"), typed.validated());
    }

    @Test
    void eachInvalidFieldIsNamedWithItsValueAndWhatWasExpected() {
        check(CircuitSpec.DEFAULT.withQubits(0), "qubits", "0", "1..30");
        check(CircuitSpec.DEFAULT.withQubits(31), "qubits", "31", "1..30");
        check(CircuitSpec.DEFAULT.withLayers(0), "layers", "0", ">= 1");
        check(CircuitSpec.DEFAULT.withEncoding("RZ"), "encoding", "RZ", "RX or RY");
        check(CircuitSpec.DEFAULT.withEncoding("H"), "encoding", "H", "one of RX, RY, RZ");
        check(CircuitSpec.DEFAULT.withRotations(List.of()), "rotations", "[]", "at least one of RX, RY, RZ");
        check(CircuitSpec.DEFAULT.withRotations(List.of("RY", "RQ")), "rotations[1]", "RQ", "one of RX, RY, RZ");
        check(CircuitSpec.DEFAULT.withRotations(Arrays.asList("RY", null)), "rotations[1]", "null", "one of RX, RY, RZ");
        check(CircuitSpec.DEFAULT.withRotations(null), "rotations", "null", "a list of gates such as RY,RZ");
        check(CircuitSpec.DEFAULT.withEntangler("star"), "entangler", "star", "one of ring, linear, none");
        check(CircuitSpec.DEFAULT.withGradient("finite"), "gradient", "finite", "adjoint or parameter-shift");
    }

    @Test
    void theSpecOfACircuitGivesItBack() {
        Circuit c = Circuit.of(5, 4, "RX", List.of("RZ", "RY", "RX"), "none");
        CircuitSpec s = CircuitSpec.of(c, Gradient.PARAMETER_SHIFT);
        assertEquals(c, s.circuit());
        assertEquals(s, s.validated());
    }

    private static void check(CircuitSpec spec, String field, String value, String expected) {
        InvalidFieldException e = assertThrows(InvalidFieldException.class, spec::validated);
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(value, e.value(), e.getMessage());
        assertEquals(expected, e.expected(), e.getMessage());
    }
}
