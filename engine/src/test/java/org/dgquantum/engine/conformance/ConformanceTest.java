package org.dgquantum.engine.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.dgquantum.engine.JavaBackend;
import org.dgquantum.engine.io.Json;
import org.junit.jupiter.api.Test;

/** The shipped reference cases load through the engine's own JSON reader, and the Java backend passes them. */
class ConformanceTest {

    @Test
    void javaBackendPassesEveryReferenceCase() {
        assertEquals(8, ReferenceCase.load().size());
        try (JavaBackend java = new JavaBackend(1)) {
            Conformance.Report r = Conformance.againstReference(java);
            assertTrue(r.passed(), r.toString());
            assertEquals(8 * 2 * 2 * 3, r.checks());
        }
    }

    @Test
    void jsonReadsWhatItWritesAndRejectsGarbage() {
        Map<String, Object> value = Map.of("a", List.of(1.5, -2e-3, "x\"y\n"), "b", true);
        assertEquals(value, Json.parse(Json.write(value)));
        assertEquals(List.of(), Json.parse(" [ ] "));
        for (String bad : List.of("{", "[1,]", "{\"a\" 1}", "nul", "1 2", "\"open")) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
    }
}
