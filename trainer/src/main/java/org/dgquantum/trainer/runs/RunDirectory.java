package org.dgquantum.trainer.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dgquantum.engine.io.AtomicFiles;
import org.dgquantum.trainer.train.RunFiles;
import org.dgquantum.trainer.train.TrainerException;

/**
 * The life cycle of an output directory holding a {@code config.json} (a training run, a demo): whether a path
 * may take a run of a given configuration, and its creation such that a failed or killed start leaves nothing
 * behind. A new directory is built under a hidden temporary name beside it ({@code .NAME.starting-HEX}),
 * config.json written first, then renamed into place: the directory exists complete with its config or not at
 * all. A later start removes such temporary siblings and the temporary files of interrupted writes.
 */
public final class RunDirectory {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String STARTING = ".starting-";

    /** What a path holds for a run of a given configuration. */
    public enum Found {
        /** Nothing (or an empty directory, or only leftovers of an interrupted start): a new run goes there. */
        NOTHING,
        /** A run of the same configuration: it continues. */
        SAME_RUN
    }

    private RunDirectory() {
    }

    /**
     * What {@code dir} holds for a run of {@code config}; throws when it cannot take it: {@code dir} is a file,
     * holds other files, or holds a run of another configuration ({@link ConfigMismatchException}).
     *
     * @param option how the user named the directory, for messages (e.g. "--out")
     */
    public static Found inspect(Path dir, Object config, String option) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new TrainerException(option + " " + dir + ": is a file (expected a directory to create or"
                    + " one that holds a run)");
        }
        if (!Files.isDirectory(dir)) {
            return Found.NOTHING;
        }
        Path configFile = dir.resolve(RunFiles.CONFIG);
        if (Files.isRegularFile(configFile)) {
            JsonNode there = RunFiles.readJson(configFile, JsonNode.class);
            List<ConfigMismatchException.Difference> d = differences(there, config);
            if (!d.isEmpty()) {
                throw new ConfigMismatchException(dir, "holds a run with", d,
                        "use the same options to continue it, or another " + option);
            }
            return Found.SAME_RUN;
        }
        if (!onlyLeftovers(dir)) {
            throw new TrainerException(option + " " + dir + ": holds other files and no " + RunFiles.CONFIG
                    + " (not a dgq run; expected a new or empty directory)");
        }
        return Found.NOTHING;
    }

    /**
     * Creates {@code dir} with {@code config} as its config.json, atomically (see the class comment); an empty
     * directory or one holding only leftovers of an interrupted start is replaced.
     */
    public static void create(Path dir, Object config) {
        Path abs = dir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Path tmp = parent.resolve("." + abs.getFileName() + STARTING + Long.toHexString(RANDOM.nextLong()));
        try {
            Files.createDirectories(parent);
            deleteInterruptedStarts(abs);
            if (Files.isDirectory(abs)) {
                if (!onlyLeftovers(abs)) {
                    throw new TrainerException(abs + ": holds other files (expected a new or empty directory)");
                }
                deleteTree(abs);
            }
            Files.createDirectory(tmp);
            RunFiles.writeJson(tmp.resolve(RunFiles.CONFIG), config);
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new TrainerException("cannot create " + abs + ": " + RunFiles.oneLine(e));
        } finally {
            try {
                deleteTree(tmp);
            } catch (IOException e) {
                System.getLogger(RunDirectory.class.getName()).log(System.Logger.Level.WARNING,
                        "cannot remove " + tmp + ": " + e.getMessage());
            }
        }
    }

    /** Removes the temporary siblings of interrupted {@link #create}s of {@code dir}. */
    static void deleteInterruptedStarts(Path dir) throws IOException {
        Path parent = dir.getParent();
        if (!Files.isDirectory(parent)) {
            return;
        }
        String prefix = "." + dir.getFileName() + STARTING;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path p : s) {
                deleteTree(p);
            }
        }
    }

    /** Whether a directory holds nothing but temporary files of interrupted writes (an empty one included). */
    static boolean onlyLeftovers(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.allMatch(p -> AtomicFiles.isLeftover(p) && Files.isRegularFile(p));
        } catch (IOException e) {
            throw new TrainerException(dir + ": cannot list: " + RunFiles.oneLine(e));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The fields where two configurations (objects or JSON trees) differ, as dotted paths, in config.json order. */
    static List<ConfigMismatchException.Difference> differences(Object there, Object asked) {
        List<ConfigMismatchException.Difference> out = new ArrayList<>();
        collect("", JSON.valueToTree(there), JSON.valueToTree(asked), out);
        return out;
    }

    private static void collect(String path, JsonNode there, JsonNode asked, List<ConfigMismatchException.Difference> out) {
        if (there != null && asked != null && there.isObject() && asked.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = there.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                collect(join(path, e.getKey()), e.getValue(), asked.get(e.getKey()), out);
            }
            for (Iterator<String> it = asked.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!there.has(k)) {
                    collect(join(path, k), null, asked.get(k), out);
                }
            }
            return;
        }
        if (!sameValue(there, asked)) {
            out.add(new ConfigMismatchException.Difference(path, text(there), text(asked)));
        }
    }

    /** Equal JSON values; numbers by value (1 and 1.0 are the same epoch count once written and read). */
    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static String text(JsonNode n) {
        if (n == null) {
            return "(none)";
        }
        if (n.isArray()) {
            List<String> items = new ArrayList<>();
            n.forEach(v -> items.add(v.asText()));
            return String.join(",", items);
        }
        return n.asText();
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
