package org.dgquantum.cli;

import java.nio.file.Path;
import java.util.List;
import org.dgquantum.engine.CircuitSpec;
import org.dgquantum.trainer.train.TrainConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that define a training run (shared by {@code dgq train} and, in part, {@code dgq demo}). */
public final class ModelOptions {
    @Mixin
    RunOptions run;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "dgquantum",
            description = "dgquantum (MobileNetV2 + quantum layer + gradient-reversal domain head) or a baseline:"
                    + " mobilenetv2, resnet18, efficientnet-b0, simplecnn (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Model name in outputs and reports (default: the --model value), e.g. to tell ablations apart.")
    String name;

    @Option(names = "--data", paramLabel = "SPEC", defaultValue = "synthetic",
            description = "Data source: synthetic | mri | folder:DIR | npz:FILE | dicom:DIR (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--test-centers", paramLabel = "A,B", split = ",",
            description = "Centers held out as unseen (synthetic, mri, folder, dicom; default: the source's own split,"
                    + " see data/README.md). Recorded in config.json, so predict uses them too.")
    List<String> testCenters;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    // The circuit's options: fields, defaults and checks are CircuitSpec's.
    @Option(names = "--qubits", paramLabel = "N", defaultValue = "" + CircuitSpec.DEFAULT_QUBITS,
            description = "Circuit qubits (default: ${DEFAULT-VALUE}).")
    int qubits;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "" + CircuitSpec.DEFAULT_LAYERS,
            description = "Circuit layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--encoding", paramLabel = "RX|RY", defaultValue = CircuitSpec.DEFAULT_ENCODING,
            description = "Gate that encodes each feature angle (default: ${DEFAULT-VALUE}).")
    String encoding;

    @Option(names = "--rotations", paramLabel = "G,G", defaultValue = CircuitSpec.DEFAULT_ROTATIONS, split = ",",
            description = "Rotation gates per qubit and layer (default: ${DEFAULT-VALUE}).")
    List<String> rotations;

    @Option(names = "--entangler", paramLabel = "ring|linear|none", defaultValue = CircuitSpec.DEFAULT_ENTANGLER,
            description = "Entangling pattern (default: ${DEFAULT-VALUE}).")
    String entangler;

    @Option(names = "--gradient", paramLabel = "adjoint|parameter-shift", defaultValue = CircuitSpec.DEFAULT_GRADIENT,
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

    @Option(names = "--validation", paramLabel = "F", defaultValue = "0.2",
            description = "Fraction of the source centers held out for model selection (default: ${DEFAULT-VALUE}).")
    double validation;

    @Option(names = "--select-by", paramLabel = "auc|accuracy|loss", defaultValue = "auc",
            description = "Validation metric that picks the best epoch: auc (ranking only), accuracy (at the 0.5"
                    + " threshold) or loss (class cross-entropy, lower is better: a proper score, which also sees"
                    + " whether the probabilities are calibrated) (default: ${DEFAULT-VALUE}).")
    String selectBy;

    @Option(names = "--init-from", paramLabel = "RUN_DIR",
            description = "Start the encoder from this run's best model (e.g. one trained on a larger dataset you"
                    + " have; same --model, --width and channels); the heads start fresh. Recorded in config.json.")
    Path initFrom;

    @Option(names = "--no-shift", description = "Train without the imaging-shift simulation (dgquantum: with --no-adversarial too, as its"
                    + " domain head learns the simulated domains).")
    boolean noShift;

    @Option(names = "--no-flip", description = "Train without random horizontal/vertical flips.")
    boolean noFlip;

    @Option(names = "--no-quantum", description = "dgquantum without its quantum layer (an ablation).")
    boolean noQuantum;

    @Option(names = "--no-adversarial", description = "dgquantum without its gradient-reversal domain head (an ablation).")
    boolean noAdversarial;

    @Option(names = "--classical-control",
            description = "Replace the circuit by a classical map with the same parameter count and shapes (the"
                    + " ablation study's control; see docs/trainer.md).")
    boolean classicalControl;

    /** The config these options describe; an invalid value is a {@link org.dgquantum.trainer.train.ConfigException}. */
    public TrainConfig toConfig() {
        TrainConfig start = TrainConfig.forModel(model, run.seed);
        return start.with(b -> run.applyTo(b).name(name != null ? name : start.name()).data(data).epochs(epochs)
                .circuit(new CircuitSpec(qubits, layers, encoding, rotations, entangler, gradient)).alpha(alpha)
                .domainWeight(domainWeight).beta(beta).validationFraction(validation).selectBy(selectBy)
                .shift(!noShift).flips(!noFlip).testCenters(testCenters)
                .quantum(start.quantum() && !noQuantum).adversarial(start.adversarial() && !noAdversarial)
                .classicalControl(classicalControl)
                // Absolute: config.json must name the same run wherever the run is continued from.
                .initFrom(initFrom == null ? null : initFrom.toAbsolutePath().normalize().toString()));
    }
}
