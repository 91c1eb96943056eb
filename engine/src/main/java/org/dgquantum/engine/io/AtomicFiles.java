package org.dgquantum.engine.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * The project's one way to write an output file (run files, reports, benchmark results, circuit results): a
 * temporary file {@code .NAME.HEX.tmp} in the target's directory, written, flushed to the disk, then renamed over
 * the target with {@code ATOMIC_MOVE}. A reader (or a resumed run) sees the old file or the complete new one,
 * never a partial one, even after a crash or a power loss. Files are created with the process umask (0644 by
 * default), like any file the user makes, so every output has the same permissions.
 *
 * <p>A process killed mid-write leaves its temporary file behind; {@link #deleteLeftovers} removes them when the
 * directory is used again.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /** Body that writes to a stream; closing the stream is allowed and does not end the write early. */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    /** Writes what {@code body} produces to {@code target}; on any failure the target is unchanged. */
    public static void write(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: that makes the file owner-only (0600); CREATE_NEW follows the umask.
        Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                // Writers such as Jackson close the stream they are given: keep the channel open for force().
                body.write(new FilterOutputStream(buffered) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                });
                buffered.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
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
}
