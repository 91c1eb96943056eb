package org.dgquantum.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Finds the best available backend (cuda -> java -> native, by measured speed) or the one forced by
 * {@code -Ddgq.backend=} / {@code DGQ_BACKEND=}, and logs one line saying what was chosen and why
 * every better backend was not.
 */
public final class Backends {
    /** System property that forces a backend id. */
    public static final String PROPERTY = "dgq.backend";
    /** Environment variable that forces a backend id (the property wins). */
    public static final String ENV = "DGQ_BACKEND";

    private static final System.Logger LOG = System.getLogger(Backends.class.getName());

    private Backends() {
    }

    /** What a selection chose, and the log line explaining it. */
    public record Selection(QuantumBackend backend, String explanation) {
    }

    /**
     * The forced backend if {@value #PROPERTY} or {@value #ENV} is set, otherwise the best available.
     *
     * @throws BackendUnavailableException if a forced backend cannot be opened (message: the reason)
     */
    public static QuantumBackend best() throws BackendUnavailableException {
        String forced = forcedId();
        Selection s = select(forced, forced == null ? null : "forced by " + PROPERTY + "/" + ENV, providers());
        LOG.log(System.Logger.Level.INFO, s.explanation());
        return s.backend();
    }

    /** Opens the backend with this id ("java", "native", "cuda"); fails with the reason it is unavailable. */
    public static QuantumBackend open(String id) throws BackendUnavailableException {
        Selection s = select(id, "requested", providers());
        LOG.log(System.Logger.Level.INFO, s.explanation());
        return s.backend();
    }

    /** The ids of every registered provider, best first. */
    public static List<String> ids() {
        return providers().stream().map(BackendProvider::id).toList();
    }

    /** The id forced by the system property or environment, or null. */
    public static String forcedId() {
        String id = System.getProperty(PROPERTY);
        if (id == null || id.isBlank()) {
            id = System.getenv(ENV);
        }
        return id == null || id.isBlank() ? null : id.trim().toLowerCase(Locale.ROOT);
    }

    /** Registered providers, highest priority first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(list::add);
        list.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        return list;
    }

    /**
     * Core of the choice, separate from the service lookup so it can be tested with fake providers.
     *
     * @param forced an id to force, or null for the best available
     * @param why    how the id was chosen, for the log line (e.g. "forced by dgq.backend/DGQ_BACKEND")
     */
    public static Selection select(String forced, String why, List<BackendProvider> providers)
            throws BackendUnavailableException {
        List<BackendProvider> sorted = new ArrayList<>(providers);
        sorted.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        if (forced != null) {
            String id = normalize(forced);
            BackendProvider p = sorted.stream().filter(x -> x.id().equals(id)).findFirst()
                    .orElseThrow(() -> new BackendUnavailableException("backend '" + forced + "' is not installed (known: "
                            + String.join(", ", sorted.stream().map(BackendProvider::id).toList()) + ")"));
            try {
                QuantumBackend b = tryOpen(p);
                return new Selection(b, "quantum backend: " + b.name() + " (" + why + ")");
            } catch (BackendUnavailableException e) {
                throw new BackendUnavailableException("backend '" + id + "' (" + why + ") is unavailable: " + e.getMessage(), e);
            }
        }
        List<String> skipped = new ArrayList<>();
        for (BackendProvider p : sorted) {
            try {
                QuantumBackend b = tryOpen(p);
                String reasons = skipped.isEmpty() ? (sorted.size() == 1 ? "the only backend installed" : "the best available")
                        : String.join("; ", skipped);
                return new Selection(b, "quantum backend: " + b.name() + " (" + reasons + ")");
            } catch (BackendUnavailableException e) {
                skipped.add(p.id() + ": " + e.getMessage());
            }
        }
        throw new BackendUnavailableException("no quantum backend available: " + String.join("; ", skipped));
    }

    private static String normalize(String id) {
        String s = id.trim().toLowerCase(Locale.ROOT);
        return s.equals("native-cpu") ? "native" : s;
    }

    /** Opens a provider, turning missing native libraries (LinkageError) and runtime failures into reasons. */
    private static QuantumBackend tryOpen(BackendProvider p) throws BackendUnavailableException {
        try {
            return p.open();
        } catch (LinkageError e) {
            throw new BackendUnavailableException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new BackendUnavailableException("failed to start: " + e, e);
        }
    }
}
