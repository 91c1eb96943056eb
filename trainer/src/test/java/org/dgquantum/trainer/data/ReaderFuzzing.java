package org.dgquantum.trainer.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * What the readers' fuzz tests share: mutations of valid files (truncation, overwritten, flipped, inserted and
 * deleted bytes, numbers with boundary values written over header fields) and the property every reader keeps
 * on any input: it returns, or throws a one-line {@link DataException} naming the file; it throws nothing
 * else, finishes within {@link #TIMEOUT} and allocates no more than a fixed slack plus a bounded multiple of
 * the file's size. The number of tries per property is jqwik's default, set by {@code -Ddgq.fuzz.tries}.
 */
final class ReaderFuzzing {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Allocation any read may make whatever the file's size: buffers, zip and image reader state, messages. */
    static final long ALLOCATION_SLACK = 4L << 20;

    private ReaderFuzzing() {
    }

    /** One change to a file's bytes; positions wrap around the file's length. */
    sealed interface Mutation {
        byte[] apply(byte[] b);
    }

    record Truncate(int at) implements Mutation {
        public byte[] apply(byte[] b) {
            return Arrays.copyOf(b, at % (b.length + 1));
        }
    }

    record Overwrite(int at, byte[] bytes) implements Mutation {
        public byte[] apply(byte[] b) {
            byte[] out = b.clone();
            for (int i = 0; i < bytes.length && b.length > 0; i++) {
                out[(at % b.length + i) % b.length] = bytes[i];
            }
            return out;
        }

        @Override
        public String toString() {
            return "Overwrite[at=" + at + ", bytes=" + HexFormat.of().formatHex(bytes) + "]";
        }
    }

    record FlipBit(int at, int bit) implements Mutation {
        public byte[] apply(byte[] b) {
            byte[] out = b.clone();
            if (b.length > 0) {
                out[at % b.length] ^= (byte) (1 << bit);
            }
            return out;
        }
    }

    /** A number written over width bytes (1, 2, 4 or 8) at an even position, as header fields are laid out. */
    record SetNumber(int at, long value, int width, boolean bigEndian) implements Mutation {
        public byte[] apply(byte[] b) {
            byte[] v = ByteBuffer.allocate(8).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                    .putLong(0, value).array();
            byte[] out = b.clone();
            int start = b.length == 0 ? 0 : (at % b.length) & ~1;
            int from = bigEndian ? 8 - width : 0;
            for (int i = 0; i < width && start + i < b.length; i++) {
                out[start + i] = v[from + i];
            }
            return out;
        }
    }

    record Insert(int at, byte[] bytes) implements Mutation {
        public byte[] apply(byte[] b) {
            int p = at % (b.length + 1);
            byte[] out = new byte[b.length + bytes.length];
            System.arraycopy(b, 0, out, 0, p);
            System.arraycopy(bytes, 0, out, p, bytes.length);
            System.arraycopy(b, p, out, p + bytes.length, b.length - p);
            return out;
        }

        @Override
        public String toString() {
            return "Insert[at=" + at + ", bytes=" + HexFormat.of().formatHex(bytes) + "]";
        }
    }

    record Delete(int at, int count) implements Mutation {
        public byte[] apply(byte[] b) {
            int p = at % (b.length + 1);
            int n = Math.min(count, b.length - p);
            byte[] out = new byte[b.length - n];
            System.arraycopy(b, 0, out, 0, p);
            System.arraycopy(b, p + n, out, p, b.length - p - n);
            return out;
        }
    }

    /** Boundary values of 8- to 64-bit fields (mostly) and any long (sometimes). */
    static Arbitrary<Long> boundaryNumbers() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(0L, 1L, 2L, 3L, -1L, -2L, 0x7FL, 0x80L, 0xFFL, 0x7FFFL, 0x8000L, 0xFFFFL,
                        0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0x1_0000_0000L, Long.MAX_VALUE, Long.MIN_VALUE)),
                Tuple.of(1, Arbitraries.longs()));
    }

    static Arbitrary<Mutation> mutation() {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<byte[]> bytes = bytes(1, 16);
        return Arbitraries.oneOf(
                at.map(Truncate::new),
                Combinators.combine(at, bytes).as(Overwrite::new),
                Combinators.combine(at, Arbitraries.integers().between(0, 7)).as(FlipBit::new),
                Combinators.combine(at, boundaryNumbers(), Arbitraries.of(1, 2, 4, 8), Arbitraries.of(false, true))
                        .as(SetNumber::new),
                Combinators.combine(at, bytes).as(Insert::new),
                Combinators.combine(at, Arbitraries.integers().between(1, 64)).as(Delete::new));
    }

    /** One to four mutations, applied in order. */
    static Arbitrary<List<Mutation>> mutations() {
        return mutation().list().ofMinSize(1).ofMaxSize(4);
    }

    static byte[] apply(byte[] seed, List<Mutation> mutations) {
        byte[] b = seed;
        for (Mutation m : mutations) {
            b = m.apply(b);
        }
        return b;
    }

    /** Any bytes, up to maxSize. */
    static Arbitrary<byte[]> randomBytes(int maxSize) {
        return bytes(0, maxSize);
    }

    /**
     * Byte arrays, built from lists: jqwik 1.10.1's own byte[] arbitrary fails while shrinking some samples
     * ("argument type mismatch" from Array.set).
     */
    private static Arbitrary<byte[]> bytes(int minSize, int maxSize) {
        return Arbitraries.bytes().list().ofMinSize(minSize).ofMaxSize(maxSize).map(l -> {
            byte[] b = new byte[l.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = l.get(i);
            }
            return b;
        });
    }

    /** prefix (a format's magic) followed by any bytes. */
    static Arbitrary<byte[]> randomBytesAfter(byte[] prefix, int maxSize) {
        return randomBytes(maxSize).map(r -> {
            byte[] out = Arrays.copyOf(prefix, prefix.length + r.length);
            System.arraycopy(r, 0, out, prefix.length, r.length);
            return out;
        });
    }

    /**
     * The property: read(file), for a new file in dir holding bytes, returns, or throws a one-line DataException
     * naming the file; within TIMEOUT and allocating at most ALLOCATION_SLACK + bytesPerFileByte * bytes.length
     * (as counted by the JVM for the reading thread). Each try has its own file: a try that jqwik abandons (a
     * shrinking timeout) may still be reading while the next one runs.
     */
    static void assertReadsOrFailsCleanly(Path dir, String suffix, byte[] bytes, long bytesPerFileByte,
            Consumer<Path> read) throws IOException {
        Path file = Files.write(Files.createTempFile(dir, "fuzz", suffix), bytes);
        try {
            assertReadsOrFailsCleanly(file, ALLOCATION_SLACK + bytesPerFileByte * bytes.length, read);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void assertReadsOrFailsCleanly(Path file, long budget, Consumer<Path> read) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Throwable thrown = assertTimeoutPreemptively(TIMEOUT, () -> {
            long before = threads.getCurrentThreadAllocatedBytes();
            Throwable t = null;
            try {
                read.accept(file);
            } catch (Throwable e) { // OutOfMemoryError and StackOverflowError included: they are findings too
                t = e;
            }
            long used = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(used <= budget, "reading " + file.getFileName() + " allocated " + used + " bytes, more than"
                    + " the " + budget + " allowed" + (t == null ? "" : "; it threw " + t));
            return t;
        }, "reading took longer than " + TIMEOUT);
        if (thrown == null) {
            return;
        }
        if (!(thrown instanceof DataException)) {
            fail("not a DataException: " + thrown, thrown);
        }
        String message = thrown.getMessage();
        assertTrue(message.contains(file.getFileName().toString()), "message does not name the file: " + message);
        assertFalse(message.contains("\n") || message.contains("\r"), "message is not one line: " + message);
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
