package org.dgquantum.examples.library;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docs/library.md shows the code between the examples' "// snippet: NAME" and "// end snippet" markers; this keeps
 * the two identical (indentation aside). Skipped where the example is built outside the dgquantum repository.
 */
class DocsSnippetsTest {
    private static final Path SOURCES = Path.of("src/main/java/org/dgquantum/examples/library");
    private static final Path DOCS = Path.of("../../docs/library.md");

    /** The marked snippets of one source file, by name, with their common indentation removed. */
    static Map<String, String> snippets(Path source) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        String name = null;
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(source)) {
            String t = line.strip();
            if (t.startsWith("// snippet: ")) {
                name = t.substring("// snippet: ".length());
                lines.clear();
            } else if (t.equals("// end snippet")) {
                out.put(name, String.join("\n", dedent(lines)));
                name = null;
            } else if (name != null) {
                lines.add(line);
            }
        }
        return out;
    }

    private static List<String> dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
    }

    @Test
    void everySnippetAppearsInDocsLibraryMd() throws IOException {
        assumeTrue(Files.exists(DOCS), "not inside the dgquantum repository: no " + DOCS);
        String docs = Files.readString(DOCS);
        int count = 0;
        for (String file : List.of("Dl4jExample.java", "EngineExample.java")) {
            for (Map.Entry<String, String> s : snippets(SOURCES.resolve(file)).entrySet()) {
                assertTrue(docs.contains(s.getValue() + "\n"), file + " snippet '" + s.getKey()
                        + "' must appear verbatim in docs/library.md:\n" + s.getValue());
                count++;
            }
        }
        assertEquals(6, count, "snippets found in the examples");
    }
}
