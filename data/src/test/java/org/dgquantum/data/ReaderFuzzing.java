package org.dgquantum.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.TestInfo;
import org.opentest4j.AssertionFailedError;

/**
 * What the readers' fuzz tests share: mutations of valid files (truncation, overwritten, flipped, inserted and
 * deleted bytes, numbers with boundary values written over header fields) and the property every reader keeps
 * on any input: it returns, or throws a one-line {@link DataException} naming the file; it throws nothing
 * else, finishes within {@link #TIMEOUT} and allocates no more than a fixed slack plus a bounded multiple of
 * the file's size.
 *
 * <p>Each property is one JUnit test that runs {@link #forAll} over {@code -Ddgq.fuzz.tries} tries (default
 * {@value #DEFAULT_TRIES}); try i draws its input from a {@link Gen} seeded by {@code -Ddgq.fuzz.seed} (default
 * {@value #DEFAULT_SEED}, so every build tries the same inputs), the property's name and i.
 * {@code -Ddgq.fuzz.try=i} runs try i alone.
 */
final class ReaderFuzzing {
    static final String SEED_PROPERTY = "dgq.fuzz.seed";
    static final String TRIES_PROPERTY = "dgq.fuzz.tries";
    static final String TRY_PROPERTY = "dgq.fuzz.try";
    static final long DEFAULT_SEED = 20261202L;
    static final int DEFAULT_TRIES = 200;
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

    /** The values a header field most likely breaks on: boundaries of 8- to 64-bit numbers. */
    private static final long[] BOUNDARY_NUMBERS = {0L, 1L, 2L, 3L, -1L, -2L, 0x7FL, 0x80L, 0xFFL, 0x7FFFL, 0x8000L,
        0xFFFFL, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0x1_0000_0000L, Long.MAX_VALUE, Long.MIN_VALUE};

    static byte[] apply(byte[] seed, List<Mutation> mutations) {
        byte[] b = seed;
        for (Mutation m : mutations) {
            b = m.apply(b);
        }
        return b;
    }

    /**
     * The inputs of one try, drawn from a {@link SplittableRandom} seeded by the base seed, the property and the
     * try's index: the same three give the same input, whatever other tries ran before.
     */
    static final class Gen {
        private final SplittableRandom random;

        Gen(long seed) {
            random = new SplittableRandom(seed);
        }

        /** Between lo and hi, both included. */
        int between(int lo, int hi) {
            return lo + random.nextInt(hi - lo + 1);
        }

        /** Between lo and hi, both included (hi < Long.MAX_VALUE). */
        long between(long lo, long hi) {
            return random.nextLong(lo, hi + 1);
        }

        boolean bool() {
            return random.nextBoolean();
        }

        /** True once in n times. */
        boolean oneIn(int n) {
            return random.nextInt(n) == 0;
        }

        @SafeVarargs
        final <T> T of(T... values) {
            return values[random.nextInt(values.length)];
        }

        <T> T of(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }


        /** One of the generators, each as likely. */
        @SafeVarargs
        final <T> T oneOf(Function<Gen, ? extends T>... generators) {
            return of(generators).apply(this);
        }

        /** Mostly (3 in 4) a valid value, sometimes a corrupt one. */
        @SafeVarargs
        final <T> T mostly(Function<Gen, ? extends T> valid, T... corrupt) {
            return oneIn(4) ? of(corrupt) : valid.apply(this);
        }

        /** min to max values, each drawn by element. */
        <T> List<T> list(int min, int max, Function<Gen, ? extends T> element) {
            int n = size(min, max);
            List<T> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(element.apply(this));
            }
            return out;
        }

        /** A length from min to max, small ones (the edge cases) more often than by chance. */
        int size(int min, int max) {
            return oneIn(8) ? between(min, Math.min(max, min + 3)) : between(min, max);
        }

        /** Any bytes, min to max of them. */
        byte[] bytes(int min, int max) {
            byte[] b = new byte[size(min, max)];
            random.nextBytes(b);
            return b;
        }

        /** Any bytes, up to maxSize. */
        byte[] randomBytes(int maxSize) {
            return bytes(0, maxSize);
        }

        /** prefix (a format's magic) followed by up to maxSize any bytes. */
        byte[] randomBytesAfter(byte[] prefix, int maxSize) {
            byte[] r = randomBytes(maxSize);
            byte[] out = Arrays.copyOf(prefix, prefix.length + r.length);
            System.arraycopy(r, 0, out, prefix.length, r.length);
            return out;
        }

        /** Boundary values of 8- to 64-bit fields (3 in 4) or any long. */
        long boundaryNumber() {
            return oneIn(4) ? random.nextLong() : BOUNDARY_NUMBERS[random.nextInt(BOUNDARY_NUMBERS.length)];
        }

        /** Any float: any bit pattern (NaNs and infinities included), or a number of moderate size. */
        float anyFloat() {
            return bool() ? Float.intBitsToFloat(random.nextInt()) : (float) random.nextDouble(-1e6, 1e6);
        }

        /** Up to maxLength characters: printable ASCII, control characters, any other of the BMP. */
        String string(int maxLength) {
            StringBuilder s = new StringBuilder();
            for (int n = size(0, maxLength); s.length() < n;) {
                char c = switch (random.nextInt(4)) {
                    case 0 -> (char) between(0, 0x1F);
                    case 1 -> (char) between(0x80, 0xD7FF);
                    default -> (char) between(0x20, 0x7E);
                };
                s.append(c);
            }
            return s.toString();
        }

        /** One change of a file's bytes, each kind as likely. */
        Mutation mutation() {
            int at = random.nextInt(Integer.MAX_VALUE);
            return switch (random.nextInt(6)) {
                case 0 -> new Truncate(at);
                case 1 -> new Overwrite(at, bytes(1, 16));
                case 2 -> new FlipBit(at, between(0, 7));
                case 3 -> new SetNumber(at, boundaryNumber(), 1 << random.nextInt(4), bool());
                case 4 -> new Insert(at, bytes(1, 16));
                default -> new Delete(at, between(1, 64));
            };
        }

        /** One to four mutations, applied in order. */
        List<Mutation> mutations() {
            return list(1, 4, Gen::mutation);
        }
    }

    /** A file to read and what it was made of (for failure messages). */
    record Sample(String description, byte[] bytes) {
        @Override
        public String toString() {
            return description + " (" + bytes.length + " bytes)";
        }
    }

    /** What each try checks of its sample. */
    @FunctionalInterface
    interface Check {
        void accept(byte[] bytes) throws Exception;
    }

    /** The base seed: -Ddgq.fuzz.seed (decimal, or hex after 0x), else DEFAULT_SEED. */
    static long seed() {
        String s = System.getProperty(SEED_PROPERTY, "").strip();
        return s.isEmpty() ? DEFAULT_SEED : Long.decode(s);
    }

    /** The tries per property: -Ddgq.fuzz.tries, else DEFAULT_TRIES. */
    static int tries() {
        String s = System.getProperty(TRIES_PROPERTY, "").strip();
        return s.isEmpty() ? DEFAULT_TRIES : Integer.parseInt(s);
    }

    /** The seed of try i of a property: the base seed, the property's name and i, mixed. */
    static long trySeed(long base, String property, int i) {
        return mix(mix(base ^ mix(property.hashCode())) + i);
    }

    /** SplitMix64's finalizer: every bit of z reaches every bit of the result. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Runs a property: for each try i (0 to tries() - 1, or only -Ddgq.fuzz.try), generates a sample from
     * trySeed(seed(), property, i) and checks it. The first try that fails fails the test with a message that
     * names the property, the seed, the try, the sample and the command that runs that try again.
     */
    static void forAll(TestInfo test, Function<Gen, Sample> generate, Check check) {
        String property = test.getTestClass().orElseThrow().getSimpleName() + "#"
                + test.getTestMethod().orElseThrow().getName();
        long base = seed();
        String only = System.getProperty(TRY_PROPERTY, "").strip();
        int first = only.isEmpty() ? 0 : Integer.parseInt(only);
        int end = only.isEmpty() ? tries() : first + 1;
        for (int i = first; i < end; i++) {
            Sample sample = null;
            try {
                sample = generate.apply(new Gen(trySeed(base, property, i)));
                check.accept(sample.bytes());
            } catch (Throwable t) { // AssertionFailedError mostly; anything else thrown here is a failure too
                if (t instanceof VirtualMachineError && !(t instanceof OutOfMemoryError
                        || t instanceof StackOverflowError)) {
                    throw (VirtualMachineError) t;
                }
                throw new AssertionFailedError(property + " failed at try " + i + " of seed " + base + " on "
                        + (sample == null ? "(no sample: generating it failed)" : sample) + ": " + t
                        + "\nRun this try again: -Dtest='" + property + "' -D" + SEED_PROPERTY + "=" + base + " -D"
                        + TRY_PROPERTY + "=" + i + " (or the tries up to it: -D" + TRIES_PROPERTY + "=" + (i + 1)
                        + ")", t);
            }
        }
    }

    /**
     * The property: read(file), for a new file in dir holding bytes, returns, or throws a one-line DataException
     * naming the file; within TIMEOUT and allocating at most ALLOCATION_SLACK + bytesPerFileByte * bytes.length
     * (as counted by the JVM for the reading thread). Each try has its own file: a try abandoned at the timeout
     * may still be reading while the next one runs.
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
}
