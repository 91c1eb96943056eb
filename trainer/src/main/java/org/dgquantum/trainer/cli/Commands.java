package org.dgquantum.trainer.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.dgquantum.trainer.runs.ConfigMismatchException;
import org.dgquantum.trainer.train.ConfigException;
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

    /** The command-line option of each {@link org.dgquantum.trainer.train.TrainConfig} field that has one. */
    static final Map<String, String> OPTION_OF_FIELD = Map.ofEntries(
            Map.entry("name", "--model"), Map.entry("encoder", "--model"), Map.entry("width", "--width"),
            Map.entry("qubits", "--qubits"), Map.entry("circuitLayers", "--layers"),
            Map.entry("rotations", "--rotations"), Map.entry("entangler", "--entangler"),
            Map.entry("gradient", "--gradient"), Map.entry("alpha", "--alpha"),
            Map.entry("domainWeight", "--domain-weight"), Map.entry("beta", "--beta"), Map.entry("eta", "--eta"),
            Map.entry("learningRate", "--lr"), Map.entry("epochs", "--epochs"), Map.entry("batchSize", "--batch"),
            Map.entry("validationFraction", "--validation"), Map.entry("selectBy", "--select-by"),
            Map.entry("shift", "--no-shift"), Map.entry("flips", "--no-flip"), Map.entry("data", "--data"),
            Map.entry("imageSize", "--image-size"), Map.entry("perClass", "--train-per-class"),
            Map.entry("perClassTest", "--test-per-class"), Map.entry("seed", "--seed"));

    /** The option of a config field (the last part of a dotted path), or the field itself when it has none. */
    static String option(String field) {
        String last = field.substring(field.lastIndexOf('.') + 1);
        return OPTION_OF_FIELD.getOrDefault(last, field);
    }

    /** Runs a command's body, renaming config fields in its errors to options. */
    static Integer run(Callable<Integer> body) {
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
}
