package org.dgquantum.data;

import java.nio.file.Path;
import java.util.Optional;
import org.dgquantum.engine.UserError;

/**
 * Bad or missing input data: an unreadable image, an npz file with the wrong keys or shapes, an empty or
 * missing class, a corrupt NIfTI header, a missing directory. The message always names the file (when there
 * is one) and the problem, in one line, so that the CLI can print it as is and exit with status 2: control
 * characters (quoted from a corrupt file, or in a library's message) are shown as '?'.
 */
public class DataException extends UserError {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public DataException(String message) {
        super(oneLine(message));
        this.file = null;
    }

    public DataException(Path file, String problem) {
        super(file + ": " + oneLine(problem));
        this.file = file;
    }

    public DataException(Path file, String problem, Throwable cause) {
        super(file + ": " + oneLine(problem + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")")),
                cause);
        this.file = file;
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    /** The offending file or directory, when the problem is tied to one. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }
}
