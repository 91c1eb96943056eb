package org.dgquantum.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * One benchmark size: qubits n and batch B, written {@code NxB} (e.g. {@code 8x4096}); this is the
 * value of the JMH {@code size} parameter, so that only meaningful (n, B) pairs are run rather than
 * the cross product.
 */
public record BenchSize(int qubits, int batch) {

    public BenchSize {
        if (qubits < 1 || qubits > 30) {
            throw new IllegalArgumentException("size: qubits " + qubits + " out of range (expected 1..30)");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("size: batch " + batch + " must be >= 1");
        }
    }

    /** Parses {@code NxB}, e.g. {@code 8x4096} (also accepts {@code X} and surrounding blanks). */
    public static BenchSize parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        int x = s.indexOf('x');
        if (x <= 0 || x == s.length() - 1 || s.indexOf('x', x + 1) >= 0) {
            throw new IllegalArgumentException("size '" + text + "': expected QUBITSxBATCH, e.g. 8x4096");
        }
        try {
            return new BenchSize(Integer.parseInt(s.substring(0, x).trim()), Integer.parseInt(s.substring(x + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size '" + text + "': expected QUBITSxBATCH with whole numbers, e.g. 8x4096");
        }
    }

    /**
     * Parses a comma-separated list of sizes. An entry without a batch ({@code 12}) stands for every
     * default size with that qubit count, or {@code Nx256} when the defaults have none. Duplicates
     * are dropped; order is kept.
     *
     * @param defaults the sizes a bare qubit count expands to
     */
    public static List<BenchSize> parseList(String text, List<BenchSize> defaults) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("sizes: empty (expected e.g. 8x256,8x4096 or 4,8)");
        }
        LinkedHashSet<BenchSize> out = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("sizes '" + text + "': empty entry");
            }
            if (p.toLowerCase(Locale.ROOT).indexOf('x') >= 0) {
                out.add(parse(p));
                continue;
            }
            int n;
            try {
                n = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("size '" + p + "': expected QUBITSxBATCH (8x4096) or QUBITS (8)");
            }
            List<BenchSize> matching = new ArrayList<>();
            for (BenchSize d : defaults) {
                if (d.qubits == n) {
                    matching.add(d);
                }
            }
            if (matching.isEmpty()) {
                matching.add(new BenchSize(n, 256));
            }
            out.addAll(matching);
        }
        return List.copyOf(out);
    }

    /** The JMH parameter value, {@code NxB}. */
    @Override
    public String toString() {
        return qubits + "x" + batch;
    }
}
