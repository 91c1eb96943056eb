package org.dgquantum.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed float32 kernel is exactly what its float64 templates generate (the CI check). */
class Float32SourcesTest {
    private static final String FIX = ": run `" + Float32Sources.COMMAND + "` from the repository root to regenerate";

    @Test
    void everyFloat32TwinIsCurrent() throws IOException {
        Path dir = Float32Sources.locate();
        Map<Path, String> twins = Float32Sources.twins(dir);
        assertFalse(twins.isEmpty(), "no *F64.java templates in " + dir);
        for (Map.Entry<Path, String> e : twins.entrySet()) {
            Path p = e.getKey();
            assertTrue(Files.exists(p), p + " is missing" + FIX);
            String committed = Files.readString(p, StandardCharsets.UTF_8).replace("\r\n", "\n");
            assertEquals(e.getValue(), committed, p + " is not what its template generates" + FIX);
        }
        for (Path p : Float32Sources.generated(dir)) {
            assertTrue(twins.containsKey(p), p + " has no *F64.java template" + FIX);
        }
    }

    @Test
    void renamesThePrecisionAndKeepsWideLocals() {
        String out = Float32Sources.generate("XF64.java",
                "class XF64 { /** float64 */ double[] a; @Wide double c = Math.cos(a[0]); DoubleVector v;"
                        + " int n = Double.BYTES; double doubled; }\n");
        assertEquals("class XF32 { /** float32 */ float[] a; @Wide double c = Math.cos(a[0]); FloatVector v;"
                + " int n = Float.BYTES; float doubled; }\n", out.substring(out.indexOf("class")));
        assertTrue(out.startsWith("// GENERATED from XF64.java"), out);
    }

    @Test
    void refusesWhatItCannotTranslate() {
        // var hides the precision of a local; a float32 spelling would not be renamed back.
        assertThrows(IllegalArgumentException.class, () -> Float32Sources.generate("XF64.java", "var c = Math.cos(x);"));
        assertThrows(IllegalArgumentException.class, () -> Float32Sources.generate("XF64.java", "float c = 0;"));
        assertThrows(IllegalArgumentException.class, () -> Float32Sources.generate("XF64.java", "GatesF32.apply();"));
        assertThrows(IllegalArgumentException.class, () -> Float32Sources.generate("XF64.java", "@Wide int[] a;"));
    }
}
