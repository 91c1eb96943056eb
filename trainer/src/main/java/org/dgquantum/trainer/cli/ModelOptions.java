package org.dgquantum.trainer.cli;

import java.util.List;
import org.dgquantum.trainer.train.TrainConfig;
import org.dgquantum.trainer.train.TrainerException;
import picocli.CommandLine.Option;

/** The options that define a training run (shared by {@code dgq train} and, in part, {@code dgq demo}). */
public final class ModelOptions {
    @Option(names = "--model", paramLabel = "NAME", defaultValue = "dgquantum",
            description = "dgquantum (MobileNetV2 + quantum layer + gradient-reversal domain head) or a baseline:"
                    + " mobilenetv2, resnet18, efficientnet-b0, simplecnn (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--data", paramLabel = "SPEC", defaultValue = "synthetic",
            description = "Data source: synthetic | mri | folder:DIR | npz:FILE | dicom:DIR (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--image-size", paramLabel = "PX", defaultValue = "64", description = "Image side (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--train-per-class", paramLabel = "N", defaultValue = "0",
            description = "Images per class per training center (synthetic, mri; 0 = the source's default).")
    int perClass;

    @Option(names = "--test-per-class", paramLabel = "N", defaultValue = "0",
            description = "Images per class per unseen center (synthetic, mri; 0 = the source's default).")
    int perClassTest;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-3", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--width", paramLabel = "W", defaultValue = "0.5", description = "Encoder width multiplier (default: ${DEFAULT-VALUE}).")
    double width;

    @Option(names = "--qubits", paramLabel = "N", defaultValue = "8", description = "Circuit qubits (default: ${DEFAULT-VALUE}).")
    int qubits;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "3", description = "Circuit layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--rotations", paramLabel = "G,G", defaultValue = "RY,RZ", split = ",",
            description = "Rotation gates per qubit and layer (default: ${DEFAULT-VALUE}).")
    List<String> rotations;

    @Option(names = "--entangler", paramLabel = "ring|linear|none", defaultValue = "ring",
            description = "Entangling pattern (default: ${DEFAULT-VALUE}).")
    String entangler;

    @Option(names = "--gradient", paramLabel = "adjoint|parameter-shift", defaultValue = "adjoint",
            description = "Circuit gradient method (default: ${DEFAULT-VALUE}).")
    String gradient;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "1.0", description = "Quantum residual scale (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--domain-weight", paramLabel = "W", defaultValue = "0.02",
            description = "Scale of the gradient-reversal schedule lambda(p) = W (2 / (1 + exp(-10 p)) - 1)"
                    + " (default: ${DEFAULT-VALUE}).")
    double domainWeight;

    @Option(names = "--beta", paramLabel = "B", defaultValue = "1e-4", description = "Feature-norm penalty weight (default: ${DEFAULT-VALUE}).")
    double beta;

    @Option(names = "--eta", paramLabel = "E", defaultValue = "0.1",
            description = "Test-time adaptation rate of the BN running statistics (default: ${DEFAULT-VALUE}).")
    double eta;

    @Option(names = "--validation", paramLabel = "F", defaultValue = "0.2",
            description = "Fraction of the source centers held out for model selection (default: ${DEFAULT-VALUE}).")
    double validation;

    @Option(names = "--select-by", paramLabel = "auc|accuracy", defaultValue = "auc",
            description = "Validation metric that picks the best epoch (default: ${DEFAULT-VALUE}).")
    String selectBy;

    @Option(names = "--no-shift", description = "Train without the imaging-shift simulation (baselines only).")
    boolean noShift;

    @Option(names = "--no-flip", description = "Train without random horizontal/vertical flips.")
    boolean noFlip;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    /** The config these options describe; invalid values become a {@link TrainerException}. */
    public TrainConfig toConfig() {
        try {
            TrainConfig base = TrainConfig.forModel(model, seed);
            return base.with(b -> b.data(data).imageSize(imageSize).perClass(perClass).perClassTest(perClassTest)
                    .epochs(epochs).batchSize(batch).learningRate(lr).width(width).qubits(qubits)
                    .circuitLayers(layers).rotations(rotations).entangler(entangler).gradient(gradient).alpha(alpha)
                    .domainWeight(domainWeight).beta(beta).eta(eta).validationFraction(validation).selectBy(selectBy).shift(!noShift)
                    .flips(!noFlip).seed(seed));
        } catch (IllegalArgumentException e) {
            throw new TrainerException(e.getMessage());
        }
    }
}
