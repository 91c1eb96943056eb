package org.dgquantum.trainer.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.dgquantum.trainer.data.DataException;
import org.dgquantum.trainer.train.TrainerException;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Shared helpers of the trainer's commands. The commands report user errors as {@link TrainerException} or
 * {@link DataException}; the {@code dgq} main maps both (see {@link #isUserError}) to one line and exit 2.
 */
public final class Commands {
    private Commands() {
    }

    /** Whether {@code e} is a problem with the user's input (one line, exit 2) rather than a bug. */
    public static boolean isUserError(Throwable e) {
        return e instanceof TrainerException || e instanceof DataException;
    }

    /** Sets ND4J's thread count when given. */
    static void threads(Integer n) {
        if (n == null) {
            return;
        }
        if (n < 1) {
            throw new TrainerException("--threads: " + n + " (expected >= 1)");
        }
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        Nd4j.getEnvironment().setMaxThreads(n);
    }

    /** An I/O failure while writing outputs: a user-level problem (disk full, permissions). */
    static TrainerException io(String what, IOException e) {
        return new TrainerException("cannot write " + what + ": " + e.getMessage());
    }

    static TrainerException io(String what, UncheckedIOException e) {
        return new TrainerException(e.getMessage() != null ? e.getMessage() : "cannot write " + what);
    }
}
