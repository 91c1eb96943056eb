package org.dgquantum.trainer.runs;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.dgquantum.trainer.train.TrainerException;

/**
 * A run directory holds a run of another configuration than the one asked for (or a checkpoint of another
 * configuration than its config.json): names every differing field. Front ends rename the fields to what
 * their user typed, see {@link #describe(Function)}.
 */
public final class ConfigMismatchException extends TrainerException {
    private static final long serialVersionUID = 1L;

    /** One differing field: its path in config.json (e.g. "epochs", "models.dgquantum.qubits") and both values. */
    public record Difference(String field, String there, String asked) {
    }

    private final transient Path dir;
    private final String holder;
    private final List<Difference> differences;
    private final String hint;

    /**
     * @param holder what holds the other configuration, e.g. "holds a run with"
     * @param hint   what the user can do, e.g. "use the same options to continue it, or another directory"
     */
    public ConfigMismatchException(Path dir, String holder, List<Difference> differences, String hint) {
        super(message(dir, holder, differences, field -> field, hint));
        this.dir = dir;
        this.holder = holder;
        this.differences = List.copyOf(differences);
        this.hint = hint;
    }

    public List<Difference> differences() {
        return differences;
    }

    /** The message with each field named by {@code name} (e.g. config field to command-line option). */
    public String describe(Function<String, String> name) {
        return message(dir, holder, differences, name, hint);
    }

    private static String message(Path dir, String holder, List<Difference> differences, Function<String, String> name,
                                  String hint) {
        return dir + " " + holder + " other options: " + differences.stream()
                .map(d -> name.apply(d.field()) + " " + d.there() + " there, " + d.asked() + " now")
                .distinct() // the demo's models share most options: name each once
                .collect(Collectors.joining("; ")) + " (" + hint + ")";
    }
}
