package org.dgquantum.bench;

import java.util.List;
import java.util.Locale;
import org.dgquantum.engine.BackendUnavailableException;
import org.dgquantum.engine.Backends;
import org.dgquantum.engine.JavaBackend;
import org.dgquantum.engine.QuantumBackend;

/** Opens the backend a benchmark runs on: the Java backend with a thread count, any other by id. */
public final class BenchBackends {
    /** The backends {@code --backend all} tries, in report order; the first is the reference. */
    public static final List<String> KNOWN = List.of("java", "native", "cuda");

    private BenchBackends() {
    }

    /** Normalises a backend id ("native-cpu" -> "native"). */
    public static String normalize(String id) {
        String s = id.trim().toLowerCase(Locale.ROOT);
        return s.equals("native-cpu") ? "native" : s;
    }

    /** True when this backend's thread count can be chosen (only the Java backend's, for now). */
    public static boolean hasThreadCount(String id) {
        return normalize(id).equals("java");
    }

    /**
     * @param threads worker threads for the Java backend (0: all processors); other backends use their own
     * @throws BackendUnavailableException with the reason, if the backend cannot be opened here
     */
    public static QuantumBackend open(String id, int threads) throws BackendUnavailableException {
        String s = normalize(id);
        if (s.equals("java")) {
            return threads <= 0 ? new JavaBackend() : new JavaBackend(threads);
        }
        return Backends.open(s);
    }
}
