package org.dgquantum.cli;

import java.util.concurrent.Callable;
import org.dgquantum.trainer.runs.ConfigMismatchException;
import org.dgquantum.trainer.train.ConfigException;
import org.dgquantum.trainer.train.TrainConfig;
import org.dgquantum.trainer.train.TrainerException;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Shared helpers of the trainer's commands. Bad input is an {@link org.dgquantum.engine.UserError} (one line,
 * exit 2, printed by the {@code dgq} main); here the config fields in such errors become the options the user
 * typed.
 */
public final class Commands {
    private Commands() {
    }

    /**
     * The option of a config field given by a dotted path ("circuit.layers", or "models.dgquantum.epochs" in a demo's
     * config), from the longest tail of the path that names a field; the field itself when it has no option.
     */
    static String option(String field) {
        for (String tail = field; ; tail = tail.substring(tail.indexOf('.') + 1)) {
            String option = TrainConfig.OPTION_OF_FIELD.get(tail);
            if (option != null) {
                return option;
            }
            if (tail.indexOf('.') < 0) {
                return field;
            }
        }
    }

    /** Runs a command's body, renaming config fields in its errors to options. */
    static <T> T run(Callable<T> body) {
        try {
            return body.call();
        } catch (ConfigException e) {
            String option = option(e.field());
            // A flag such as --no-shift has no value to show.
            throw new TrainerException(option.startsWith("--no-") ? option + ": expected " + e.expected()
                    : e.describe(option));
        } catch (ConfigMismatchException e) {
            throw new TrainerException(e.describe(Commands::option));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets ND4J's thread count when given. */
    static void threads(Integer n) {
        if (n == null) {
            return;
        }
        if (n < 1) {
            throw new TrainerException("--threads " + n + ": expected >= 1");
        }
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        Nd4j.getEnvironment().setMaxThreads(n);
    }

    /** The evaluation settings of a --resamples option (checked here for every command that has one). */
    static org.dgquantum.eval.EvaluationOptions evaluation(int resamples) {
        if (resamples < 1) {
            throw new TrainerException("--resamples " + resamples + ": expected >= 1");
        }
        return org.dgquantum.eval.EvaluationOptions.defaults().withResamples(resamples);
    }
}
