package org.dgquantum.trainer.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;

/**
 * This process's memory as the kernel counts it (Linux /proc/self/status): the peak resident set (VmHWM), which
 * is what {@code /usr/bin/time -v} reports as "Maximum resident set size", and the current one (VmRSS). Most of
 * the trainer's memory is off the Java heap (ND4J buffers), so the heap figures alone would not show it.
 */
public final class PeakMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private PeakMemory() {
    }

    /** Peak resident set size of this process in bytes (VmHWM), or -1 where /proc is not available. */
    public static long peakRssBytes() {
        return field(STATUS, "VmHWM");
    }

    /** Current resident set size of this process in bytes (VmRSS), or -1 where /proc is not available. */
    public static long rssBytes() {
        return field(STATUS, "VmRSS");
    }

    /** A "kB" field of a /proc status file in bytes; -1 if the file or the field is missing. */
    static long field(Path status, String name) {
        List<String> lines;
        try {
            lines = Files.readAllLines(status);
        } catch (IOException | UncheckedIOException | SecurityException e) {
            return -1;
        }
        for (String line : lines) {
            // e.g. "VmHWM:\t  123456 kB"
            if (line.startsWith(name + ":")) {
                String[] parts = line.substring(name.length() + 1).trim().split("\\s+");
                try {
                    long v = Long.parseLong(parts[0]);
                    return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? v * 1024 : v;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** One line for progress logs: RSS, peak RSS, Java heap used / committed, JavaCPP's tracked bytes. */
    public static String summary() {
        Runtime rt = Runtime.getRuntime();
        return String.format(Locale.ROOT, "rss %s (peak %s), heap %s / %s, javacpp %s",
                mib(rssBytes()), mib(peakRssBytes()), mib(rt.totalMemory() - rt.freeMemory()), mib(rt.totalMemory()),
                mib(Pointer.totalBytes()));
    }

    /** "1.02 GB", "512 MB" (decimal units, as /usr/bin/time's kilobytes read), "unknown" for -1. */
    public static String describe(long bytes) {
        if (bytes < 0) {
            return "unknown";
        }
        return bytes >= 1_000_000_000L ? String.format(Locale.ROOT, "%.2f GB", bytes / 1e9)
                : String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : (bytes >> 20) + " MiB";
    }
}
