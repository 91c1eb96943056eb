package org.dgquantum.cli;

import org.dgquantum.engine.UserError;
import org.dgquantum.engine.io.AtomicFiles;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.Backends;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Gradient;
import org.dgquantum.engine.Precision;
import org.dgquantum.engine.QuantumBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code dgq circuit}: evaluates every case of a cases file (expectations and the vector-Jacobian
 * product for the given upstream gradient) on one backend, and writes the results as JSON. This is the
 * contract every backend is verified through; keep it stable.
 *
 * <p>The output file is written only after every case has been computed, through a temporary file
 * in the same directory that is atomically renamed: a failed run leaves no partial output.
 */
@Command(name = "circuit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Evaluates the circuit cases of a JSON file: expectations <Z_q>, input gradients and "
                    + "weight gradients (summed over the batch) for the given upstream gradient.",
            "Input: {\"cases\": [{\"name\", \"qubits\", \"layers\", \"encoding\", \"rotations\", \"entangler\", "
                    + "\"inputs\" [B][n], \"weights\" [L][n][k], \"upstream\" [B][n]}]}; other fields are ignored.",
            "Output: {\"backend\", \"gradient\", \"precision\", \"cases\": [{\"name\", \"expectations\" [B][n], "
                    + "\"inputGradients\" [B][n], \"weightGradients\" [L][n][k]}]}."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:internal error", "2:bad arguments, malformed input or unavailable backend"})
public final class CircuitCommand implements Callable<Integer> {

    @Option(names = "--cases", required = true, paramLabel = "FILE.json", description = "Input cases file.")
    Path cases;

    @Option(names = "--out", required = true, paramLabel = "OUT.json", description = "Output file (written atomically).")
    Path out;

    @Option(names = "--backend", paramLabel = "java|native|cuda",
            description = "Force this backend (fails if it is unavailable). Default: the best available"
                    + " (cuda, then native, then java), or the one forced by -Ddgq.backend / DGQ_BACKEND.")
    String backend;

    @Option(names = "--gradient", paramLabel = "adjoint|parameter-shift", defaultValue = "adjoint",
            converter = GradientConverter.class, description = "Gradient method (default: ${DEFAULT-VALUE}).")
    Gradient gradient;

    @Option(names = "--precision", paramLabel = "float32|float64", defaultValue = "float32",
            converter = PrecisionConverter.class, description = "Arithmetic precision (default: ${DEFAULT-VALUE}).")
    Precision precision;

    /** The results of one case, flat arrays of float[] (float32) or double[] (float64). */
    private record Result(CircuitCase c, Object expectations, Object inputGradients, Object weightGradients) {
    }

    @Override
    public Integer call() {
        Path outFile = out.toAbsolutePath().normalize();
        checkOutput(outFile);
        List<CircuitCase> all = CaseFile.read(cases);
        List<Result> results = new ArrayList<>(all.size());
        String backendName;
        try (QuantumBackend b = open()) {
            backendName = b.name();
            for (CircuitCase c : all) {
                if (c.circuit().qubits() > b.maxQubits()) {
                    throw new UserError(cases + ": " + c.label() + ": qubits: " + c.circuit().qubits()
                            + " is out of range for the " + b.name() + " backend (expected 1.." + b.maxQubits() + ")");
                }
            }
            for (CircuitCase c : all) {
                try {
                    results.add(precision == Precision.FLOAT64 ? run64(b, c) : run32(b, c));
                } catch (IllegalArgumentException e) {
                    // The engine validates too; its messages name the field.
                    throw new UserError(cases + ": " + c.label() + ": " + e.getMessage());
                }
            }
        }
        write(outFile, backendName, results);
        return 0;
    }

    private QuantumBackend open() {
        try {
            return backend == null ? Backends.best() : Backends.open(backend.trim().toLowerCase(Locale.ROOT));
        } catch (BackendUnavailableException e) {
            throw new UserError(e.getMessage());
        }
    }

    private Result run64(QuantumBackend b, CircuitCase c) {
        Circuit circuit = c.circuit();
        int n = circuit.qubits();
        double[] z = new double[c.batch() * n];
        double[] dx = new double[c.batch() * n];
        double[] dw = new double[circuit.weightCount()];
        b.forward(circuit, c.batch(), c.inputs(), c.weights(), z);
        b.backward(circuit, c.batch(), c.inputs(), c.weights(), c.upstream(), dx, dw, gradient);
        return new Result(c, z, dx, dw);
    }

    private Result run32(QuantumBackend b, CircuitCase c) {
        Circuit circuit = c.circuit();
        int n = circuit.qubits();
        float[] x = toFloat(c, "inputs", c.inputs(), n);
        float[] w = toFloat(c, "weights", c.weights(), circuit.qubits(), circuit.rotationsPerQubit());
        float[] g = toFloat(c, "upstream", c.upstream(), n);
        float[] z = new float[c.batch() * n];
        float[] dx = new float[c.batch() * n];
        float[] dw = new float[circuit.weightCount()];
        b.forward(circuit, c.batch(), x, w, z);
        b.backward(circuit, c.batch(), x, w, g, dx, dw, gradient);
        return new Result(c, z, dx, dw);
    }

    /** Rounds to float32, rejecting values that overflow it (they are finite in the file). */
    private float[] toFloat(CircuitCase c, String field, double[] a, int... innerDims) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
            if (!Float.isFinite(f[i])) {
                StringBuilder where = new StringBuilder();
                int rest = i;
                for (int d = innerDims.length - 1; d >= 0; d--) {
                    where.insert(0, "[" + rest % innerDims[d] + "]");
                    rest /= innerDims[d];
                }
                where.insert(0, "[" + rest + "]");
                throw new UserError(cases + ": " + c.label() + ": " + field + where + ": " + a[i]
                        + " overflows float32 (use --precision float64)");
            }
        }
        return f;
    }

    /** Fails early, before any work, if the output cannot be created where asked. */
    private static void checkOutput(Path outFile) {
        if (Files.isDirectory(outFile)) {
            throw new UserError(outFile + ": --out names a directory (expected a file name)");
        }
        Path dir = outFile.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UserError(outFile + ": --out directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new UserError(outFile + ": --out directory " + dir + " is not writable");
        }
    }

    /** Writes the results atomically ({@link AtomicFiles}). */
    private void write(Path outFile, String backendName, List<Result> results) {
        try {
            AtomicFiles.write(outFile, out -> {
                try (JsonGenerator gen = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
                    gen.setPrettyPrinter(new DefaultPrettyPrinter()
                            .withObjectIndenter(new DefaultIndenter("  ", "\n")));
                    writeResults(gen, backendName, results);
                    gen.writeRaw('\n');
                }
            });
        } catch (AccessDeniedException e) {
            throw new UserError(outFile + ": cannot write: permission denied");
        } catch (IOException e) {
            throw new UserError(outFile + ": cannot write: " + e.getMessage());
        }
    }

    private void writeResults(JsonGenerator gen, String backendName, List<Result> results) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("backend", backendName);
        gen.writeStringField("gradient", gradient.id());
        gen.writeStringField("precision", precision.id());
        gen.writeArrayFieldStart("cases");
        for (Result r : results) {
            Circuit c = r.c().circuit();
            int n = c.qubits();
            gen.writeStartObject();
            gen.writeStringField("name", r.c().name());
            gen.writeFieldName("expectations");
            writeArray(gen, r.expectations(), r.c().batch(), n);
            gen.writeFieldName("inputGradients");
            writeArray(gen, r.inputGradients(), r.c().batch(), n);
            gen.writeFieldName("weightGradients");
            writeArray(gen, r.weightGradients(), c.layers(), n, c.rotationsPerQubit());
            gen.writeEndObject();
        }
        gen.writeEndArray();
        gen.writeEndObject();
    }

    /** Writes a flat float[] or double[] as nested arrays of the given dimensions. */
    private static void writeArray(JsonGenerator gen, Object flat, int... dims) throws IOException {
        writeArray(gen, flat, dims, 0, 0);
    }

    private static int writeArray(JsonGenerator gen, Object flat, int[] dims, int d, int pos) throws IOException {
        gen.writeStartArray();
        for (int i = 0; i < dims[d]; i++) {
            if (d == dims.length - 1) {
                if (flat instanceof float[] f) {
                    gen.writeNumber(f[pos++]);
                } else {
                    gen.writeNumber(((double[]) flat)[pos++]);
                }
            } else {
                pos = writeArray(gen, flat, dims, d + 1, pos);
            }
        }
        gen.writeEndArray();
        return pos;
    }

    static final class GradientConverter implements ITypeConverter<Gradient> {
        @Override
        public Gradient convert(String value) {
            try {
                return Gradient.parse(value, "--gradient");
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("unknown gradient method '" + value + "' (expected adjoint or parameter-shift)");
            }
        }
    }

    static final class PrecisionConverter implements ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            try {
                return Precision.parse(value, "--precision");
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("unknown precision '" + value + "' (expected float32 or float64)");
            }
        }
    }
}
