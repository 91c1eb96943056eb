package org.dgquantum.engine;

/**
 * A problem with what a user gave a {@code dgq} command (an option, a file, a run directory), as opposed to a
 * bug. The one error type of the whole command line: every command reports it as exactly one line (its message,
 * which names the option or file, the value and what was expected) and exits with status 2, without a stack
 * trace. Subtypes say where it came from (the trainer's {@code TrainerException} and {@code DataException}).
 */
public class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
