package org.dgquantum.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds the best available backend or the one forced by {@code -Ddgq.backend=} / {@code DGQ_BACKEND=}, and logs
 * one line saying what was chosen and why: for a known circuit shape the fastest measured on this machine
 * ({@link #best(BackendCalibration.Shape)}), otherwise the static order cuda -> java -> native (by speed measured
 * once, docs/bindings.md).
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

    /**
     * The forced backend if {@value #PROPERTY} or {@value #ENV} is set; otherwise the fastest available backend for
     * this shape, measured once per machine ({@link BackendCalibration}); the static order of {@link #best()} when
     * calibration is off ({@value BackendCalibration#PROPERTY}=false) or only one backend opens.
     */
    public static QuantumBackend best(BackendCalibration.Shape shape) throws BackendUnavailableException {
        String forced = forcedId();
        Selection s = forced != null ? select(forced, "forced by " + PROPERTY + "/" + ENV, providers())
                : select(shape, providers(), BackendCalibration.fromEnvironment());
        LOG.log(System.Logger.Level.INFO, s.explanation());
        return s.backend();
    }

    /**
     * The calibrated choice, separate from the service lookup and the environment so it can be tested with fake
     * providers: opens every provider that can run the shape, measures them (or reads the cache) and closes all
     * but the fastest.
     */
    public static Selection select(BackendCalibration.Shape shape, List<BackendProvider> providers,
                                   BackendCalibration calibration) throws BackendUnavailableException {
        if (!calibration.enabled()) {
            Selection s = select(null, null, providers);
            return new Selection(s.backend(), s.explanation() + " [calibration off: " + BackendCalibration.PROPERTY
                    + "=false]");
        }
        List<BackendProvider> sorted = new ArrayList<>(providers);
        sorted.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        Map<String, QuantumBackend> open = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (BackendProvider p : sorted) {
            try {
                QuantumBackend b = tryOpen(p);
                if (b.maxQubits() < shape.circuit().qubits()) {
                    skipped.add(p.id() + ": at most " + b.maxQubits() + " qubits");
                    b.close();
                } else {
                    open.put(p.id(), b);
                }
            } catch (BackendUnavailableException e) {
                skipped.add(p.id() + ": " + e.getMessage());
            }
        }
        if (open.isEmpty()) {
            throw new BackendUnavailableException("no quantum backend available for " + shape.brief() + ": "
                    + String.join("; ", skipped));
        }
        String others = skipped.isEmpty() ? "" : "; " + String.join("; ", skipped);
        if (open.size() == 1) {
            var only = open.entrySet().iterator().next();
            return new Selection(only.getValue(), "quantum backend: " + only.getValue().name() + " (the only one available"
                    + others + ")");
        }
        BackendCalibration.Result r;
        try {
            r = calibration.measure(shape, open);
        } catch (RuntimeException e) {
            open.values().forEach(QuantumBackend::close);
            throw e;
        }
        QuantumBackend chosen = open.get(r.choice());
        open.forEach((id, b) -> {
            if (b != chosen) {
                b.close();
            }
        });
        if (!r.settled()) {
            return new Selection(chosen, "quantum backend: " + chosen.name() + " (the static order: calibration for "
                    + shape.brief() + " did not settle, times still falling (" + BackendCalibration.describe(r)
                    + "), not cached" + others + ")");
        }
        return new Selection(chosen, "quantum backend: " + chosen.name() + " (calibrated for " + shape.brief() + ": "
                + BackendCalibration.describe(r) + "; " + (r.cached() ? "cached in " : "measured now, cached in ")
                + calibration.cache() + others + ")");
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
