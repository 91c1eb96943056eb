package org.dgquantum.engine.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Generates the float32 kernel from its float64 templates: for every XxxF64.java of the engine's
 * internal package, XxxF32.java beside it, committed. After editing a template, run from the
 * repository root (JDK 25, no build needed):
 * <pre>java engine/src/test/java/org/dgquantum/engine/internal/Float32Sources.java</pre>
 * Float32SourcesTest fails while a committed twin differs from what this writes.
 *
 * <p>The whole rule: a {@code double} of a template is the working precision and becomes
 * {@code float}, except the one right after {@code @Wide}; the names Double/DoubleVector, the
 * suffix F64 and the word float64 follow. A template may not use {@code var} (the generator could
 * not tell which precision a local has) nor the float32 spellings (the renaming must stay one to
 * one). Single file with no dependencies, so that the JDK can run it as a source file.
 */
public final class Float32Sources {
    static final String COMMAND = "java engine/src/test/java/org/dgquantum/engine/internal/Float32Sources.java";
    static final Path PACKAGE = Path.of("src", "main", "java", "org", "dgquantum", "engine", "internal");

    private static final Pattern VAR = Pattern.compile("\\bvar\\b");
    private static final Pattern TARGET_SPELLING = Pattern.compile("\\bfloat\\b|\\bFloat\\b|FloatVector|F32|float32");
    private static final Pattern WIDE = Pattern.compile("@Wide(?! double\\b)");

    private Float32Sources() {
    }

    /** The float32 twin of one template; {@code name} is the template's file name. */
    static String generate(String name, String template) {
        refuse(name, template, VAR, "declares a local with var: write its type (double, or @Wide double to keep it"
                + " in float64 in the float32 kernel)");
        refuse(name, template, TARGET_SPELLING, "uses a float32 spelling; templates are written in float64 only");
        refuse(name, template, WIDE, "has @Wide on something other than a double local");
        String s = template.replace("\r\n", "\n");
        s = s.replaceAll("(?<!@Wide )\\bdouble\\b", "float");
        s = s.replace("DoubleVector", "FloatVector");
        s = s.replaceAll("\\bDouble\\b", "Float");
        s = s.replace("F64", "F32");
        s = s.replace("float64", "float32");
        return "// GENERATED from " + name + " by Float32Sources: do not edit. Edit " + name + ", then run\n"
                + "// " + COMMAND + "\n" + s;
    }

    private static void refuse(String name, String template, Pattern p, String why) {
        Matcher m = p.matcher(template);
        if (m.find()) {
            int line = 1 + (int) template.substring(0, m.start()).chars().filter(c -> c == '\n').count();
            throw new IllegalArgumentException(name + ":" + line + ": '" + m.group() + "': " + why);
        }
    }

    /** The internal package's source directory: from the repository root or from engine/. */
    static Path locate() {
        for (Path p : List.of(Path.of("engine").resolve(PACKAGE), PACKAGE)) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("run from the repository root: " + PACKAGE + " not found under "
                + Path.of("").toAbsolutePath());
    }

    /** Each twin's path and the text it should have, in name order. */
    static Map<Path, String> twins(Path dir) throws IOException {
        Map<Path, String> out = new TreeMap<>();
        for (Path t : files(dir, "F64.java")) {
            String name = t.getFileName().toString();
            out.put(dir.resolve(name.replace("F64.java", "F32.java")),
                    generate(name, Files.readString(t, StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** The *F32.java files of dir (generated or not). */
    static List<Path> generated(Path dir) throws IOException {
        return files(dir, "F32.java");
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList());
        }
    }

    /** Writes the twins that differ and deletes generated files whose template is gone. */
    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : locate();
        Map<Path, String> twins = twins(dir);
        for (Map.Entry<Path, String> e : twins.entrySet()) {
            Path p = e.getKey();
            if (!Files.exists(p) || !Files.readString(p, StandardCharsets.UTF_8).equals(e.getValue())) {
                Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
                System.out.println("wrote " + p);
            }
        }
        for (Path p : generated(dir)) {
            if (!twins.containsKey(p) && Files.readString(p, StandardCharsets.UTF_8).startsWith("// GENERATED from ")) {
                Files.delete(p);
                System.out.println("deleted " + p + " (no template)");
            }
        }
    }
}
