package org.dgquantum.bindings;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dgquantum.engine.BackendUnavailableException;

/**
 * Finds the native files of the dgquantum-kernels jar ({@code native/<platform>/...} resources) and
 * extracts each one, once per process, into a private temporary directory that is deleted on exit.
 * {@code -Ddgq.native.dir=DIR} takes the files from DIR instead (a local kernels build).
 */
@SuppressWarnings("restricted") // Panama FFM: needs --enable-native-access=ALL-UNNAMED
public final class NativeLibraries {
    /** System property: a directory holding libdgq_cpu.so etc., used instead of the jar's resources. */
    public static final String DIR_PROPERTY = "dgq.native.dir";

    private static final Map<String, Path> EXTRACTED = new ConcurrentHashMap<>();
    private static final Map<Path, SymbolLookup> LOADED = new ConcurrentHashMap<>();
    private static volatile Path tempDir;

    private NativeLibraries() {
    }

    /** "linux-x86_64", or e.g. "mac os x-aarch64" for platforms nothing is built for. */
    public static String platform() {
        String os = System.getProperty("os.name", "?").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "?").toLowerCase(Locale.ROOT);
        if (arch.equals("amd64") || arch.equals("x86-64")) {
            arch = "x86_64";
        }
        return os + "-" + arch;
    }

    /** The resource path of a native file for this platform, e.g. "native/linux-x86_64/libdgq_cpu.so". */
    public static String resourcePath(String fileName) {
        return "native/" + platform() + "/" + fileName;
    }

    /**
     * A file on disk holding the named native file: from {@value #DIR_PROPERTY} if set, else the jar
     * resource extracted once per process.
     *
     * @throws BackendUnavailableException "library missing for this platform" and where it was looked for
     */
    public static Path locate(String fileName) throws BackendUnavailableException {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir != null && !dir.isBlank()) {
            Path p = Path.of(dir, fileName);
            if (!Files.isRegularFile(p)) {
                throw new BackendUnavailableException(fileName + " missing: not in " + DIR_PROPERTY + "=" + dir);
            }
            return p;
        }
        return extract(resourcePath(fileName), NativeLibraries.class.getClassLoader());
    }

    /** Extracts one resource (once per process and resource path) into the private temporary directory. */
    static Path extract(String resource, ClassLoader loader) throws BackendUnavailableException {
        Path done = EXTRACTED.get(resource);
        if (done != null) {
            return done;
        }
        synchronized (EXTRACTED) {
            done = EXTRACTED.get(resource);
            if (done != null) {
                return done;
            }
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    String name = resource.substring(resource.lastIndexOf('/') + 1);
                    throw new BackendUnavailableException(name + " missing for this platform (" + platform()
                            + "): no resource " + resource + " on the class path (dgquantum-kernels built without it?)");
                }
                Path file = privateDir().resolve(resource.substring(resource.lastIndexOf('/') + 1));
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                file.toFile().deleteOnExit();
                EXTRACTED.put(resource, file);
                return file;
            } catch (IOException e) {
                throw new BackendUnavailableException("cannot extract " + resource + ": " + e, e);
            }
        }
    }

    private static Path privateDir() throws IOException {
        if (tempDir == null) {
            // createTempDirectory gives the directory owner-only permissions (rwx------) on POSIX.
            Path d = Files.createTempDirectory("dgquantum-native-");
            d.toFile().deleteOnExit(); // registered first, so deleted after the files in it
            tempDir = d;
        }
        return tempDir;
    }

    /**
     * dlopens a library for the rest of the process (global arena; libraries are never unloaded).
     *
     * @throws BackendUnavailableException "cannot load ..." with the dynamic loader's message
     */
    public static SymbolLookup load(Path library) throws BackendUnavailableException {
        SymbolLookup cached = LOADED.get(library);
        if (cached != null) {
            return cached;
        }
        try {
            SymbolLookup lookup = SymbolLookup.libraryLookup(library, Arena.global());
            LOADED.put(library, lookup);
            return lookup;
        } catch (IllegalArgumentException e) {
            throw new BackendUnavailableException("cannot load " + library.getFileName() + " (corrupt or wrong platform?): "
                    + e.getMessage(), e);
        } catch (IllegalCallerException e) {
            throw new BackendUnavailableException("native access is disabled: start the JVM with "
                    + "--enable-native-access=ALL-UNNAMED (" + e.getMessage() + ")", e);
        }
    }
}
