package org.dgquantum.cli;

import org.dgquantum.trainer.train.TrainConfig;
import picocli.CommandLine.Option;

/**
 * Options that {@code dgq train} and {@code dgq demo} share with the same defaults: data size, encoder width,
 * optimiser, TTA rate and seed. (The epochs differ per command, so each declares its own.)
 */
public final class RunOptions {
    @Option(names = "--image-size", paramLabel = "PX", defaultValue = "64", description = "Image side (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--train-per-class", paramLabel = "N", defaultValue = "0",
            description = "Images per class per training center (synthetic, mri; 0 = the source's default:"
                    + " 192 for synthetic).")
    int perClass;

    @Option(names = "--test-per-class", paramLabel = "N", defaultValue = "0",
            description = "Images per class per unseen center (synthetic, mri; 0 = the source's default:"
                    + " 96 for synthetic).")
    int perClassTest;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-3", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--width", paramLabel = "W", defaultValue = "0.5", description = "Encoder width multiplier (default: ${DEFAULT-VALUE}).")
    double width;

    @Option(names = "--eta", paramLabel = "E", defaultValue = "0.1",
            description = "Test-time adaptation rate of the BN running statistics (default: ${DEFAULT-VALUE}).")
    double eta;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--backend", paramLabel = "auto|java|native|cuda", defaultValue = TrainConfig.AUTO_BACKEND,
            description = "Quantum backend, recorded in config.json: auto takes the best available at each start"
                    + " (or the one forced by DGQ_BACKEND); a named one fails when unavailable (default: ${DEFAULT-VALUE}).")
    String backend;

    /** Sets these options on a config builder. */
    TrainConfig.Builder applyTo(TrainConfig.Builder b) {
        return b.imageSize(imageSize).perClass(perClass).perClassTest(perClassTest).batchSize(batch).learningRate(lr)
                .width(width).eta(eta).seed(seed).backend(backend);
    }
}
