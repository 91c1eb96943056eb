package org.dgquantum.trainer.train;

import org.dgquantum.engine.UserError;

/**
 * A problem with the user's input to training or prediction (missing or foreign run directory, unreadable
 * checkpoint, invalid option): the CLI reports its one-line message and exits with status 2.
 */
public class TrainerException extends UserError {
    private static final long serialVersionUID = 1L;

    public TrainerException(String message) {
        super(message);
    }
}
