package org.dgquantum.trainer.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * The trainer's one way to write a file: a temporary file {@code .NAME.HEX.tmp} in the target's directory,
 * then {@code ATOMIC_MOVE} over the target, so a reader (or a resumed run) sees the old file or the complete
 * new one, never a partial one. Files are created with the process umask (0644 by default), like any file the
 * user makes: every file of a run directory has the same permissions.
 *
 * <p>A process killed mid-write leaves its temporary file behind; {@link #deleteLeftovers} removes them when
 * the directory is used again.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /** Writes what {@code body} produces to {@code target}; readers see the old file or the complete new one. */
    public static void write(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: that makes the file owner-only (0600); CREATE_NEW follows the umask.
        Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                body.write(out);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Whether {@code file} is the temporary file of an interrupted {@link #write} (or of an older dgq's). */
    public static boolean isLeftover(Path file) {
        String n = file.getFileName().toString();
        return n.length() > ".tmp".length() + 1 && n.startsWith(".") && n.endsWith(".tmp");
    }

    /** Deletes the temporary files of interrupted writes directly in {@code dir}; returns how many. */
    public static int deleteLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, p -> isLeftover(p) && Files.isRegularFile(p))) {
            for (Path p : files) {
                Files.deleteIfExists(p);
                n++;
            }
        }
        return n;
    }

    /** Body that writes to a stream. */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }
}
