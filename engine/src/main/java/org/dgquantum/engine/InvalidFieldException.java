package org.dgquantum.engine;

/**
 * An invalid field of a circuit or circuit spec, with its parts kept apart so that a front end can name the field
 * the way its user wrote it (the CLI: {@code --layers} for {@code layers}). The message reads on its own.
 */
public final class InvalidFieldException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final String value;
    private final String expected;

    public InvalidFieldException(String field, Object value, String expected, String message) {
        super(message);
        this.field = field;
        this.value = String.valueOf(value);
        this.expected = expected;
    }

    /** The field as named by the class that refused it, e.g. "qubits" or "rotations[1]". */
    public String field() {
        return field;
    }

    public String value() {
        return value;
    }

    /** What would have been accepted, e.g. "1..30". */
    public String expected() {
        return expected;
    }
}
