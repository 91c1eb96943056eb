package org.dgquantum.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A small reader (and writer) for numpy {@code .npz} archives: a zip of {@code .npy} files (stored or
 * deflated), format versions 1-3, dtypes bool, (u)int8/16/32/64 and float32/64 in either byte order, C order
 * only. Written here rather than using ND4J's npz support: in 1.0.0-M2.1 {@code Nd4j.createFromNpzFile} fails
 * on numpy's compressed archives (np.savez_compressed, which MedMNIST uses) with "Unsupported data type";
 * this reader also reports every problem with the file and key.
 */
public final class Npz {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    /** Supported dtypes without their byte-order character: kind and size in bytes. */
    private static final List<String> TYPES = List.of("b1", "u1", "i1", "u2", "i2", "u4", "i4", "u8", "i8", "f4",
            "f8");

    private Npz() {
    }

    /** All arrays of an npz file, keyed by entry name without ".npy". */
    public static Map<String, NpyArray> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file, "npz file not found");
        }
        Map<String, NpyArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                String key = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4)
                        : e.getName();
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(key, readNpy(in.readAllBytes(), file, key));
                }
            }
        } catch (ZipException e) {
            throw new DataException(file, "not a valid npz (zip) file", e);
        } catch (IOException e) {
            throw new DataException(file, "cannot read npz file", e);
        }
        return out;
    }

    static NpyArray readNpy(byte[] b, Path file, String key) {
        String entry = "entry '" + shortened(key) + "'";
        if (b.length < 10 || (b[0] & 0xff) != 0x93 || b[1] != 'N' || b[2] != 'U' || b[3] != 'M' || b[4] != 'P'
                || b[5] != 'Y') {
            throw new DataException(file, entry + " is not a .npy array (bad magic)");
        }
        int major = b[6];
        if (major < 1 || major > 3) {
            throw new DataException(file, entry + ": unsupported .npy version " + major + " (supported: 1, 2, 3)");
        }
        int start = major == 1 ? 10 : 12; // versions 2 and 3 have a 4-byte header length
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = b.length < start ? -1 : major == 1 ? bb.getShort(8) & 0xffff : bb.getInt(8) & 0xffffffffL;
        if (headerLen < 0 || headerLen > b.length - start) {
            throw new DataException(file, entry + ": truncated .npy header: header length " + (headerLen < 0 ? "missing"
                    : headerLen + " but " + (b.length - start) + " bytes follow"));
        }
        String header = new String(b, start, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new DataException(file, entry + ": malformed .npy header " + shortened(header.strip()));
        }
        if (f.group(1).equals("True")) {
            throw new DataException(file, entry + ": Fortran-order arrays are not supported");
        }
        String descr = d.group(1);
        String type = descr.isEmpty() ? "" : descr.substring(1);
        if (descr.isEmpty() || "<>|=".indexOf(descr.charAt(0)) < 0 || !TYPES.contains(type)) {
            throw new DataException(file, entry + ": unsupported dtype '" + shortened(descr) + "' (supported: "
                    + String.join(", ", TYPES) + ", after a byte order <, >, | or =)");
        }
        char kind = type.charAt(0);
        int size = type.charAt(1) - '0';
        long[] shape = shape(s.group(1), file, entry);
        long n = 1; // number of values, saturated at Long.MAX_VALUE
        for (long x : shape) {
            n = x == 0 || n <= Long.MAX_VALUE / x ? n * x : Long.MAX_VALUE;
        }
        bb.order(descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int off = start + (int) headerLen;
        if (n > (b.length - off) / size) {
            throw new DataException(file, entry + ": data has " + (b.length - off) + " bytes, fewer than 'shape' ("
                    + s.group(1).strip() + ") x " + size + " bytes per '" + descr + "' value");
        }
        float[] data = new float[(int) n];
        for (int i = 0; i < n; i++) {
            int p = off + i * size;
            double v = switch (kind + "" + size) {
                case "b1" -> b[p] != 0 ? 1 : 0;
                case "u1" -> b[p] & 0xff;
                case "i1" -> b[p];
                case "u2" -> bb.getShort(p) & 0xffff;
                case "i2" -> bb.getShort(p);
                case "u4" -> bb.getInt(p) & 0xffffffffL;
                case "i4" -> bb.getInt(p);
                case "u8", "i8" -> bb.getLong(p);
                case "f4" -> bb.getFloat(p);
                default -> bb.getDouble(p); // f8
            };
            data[i] = (float) v;
        }
        return new NpyArray(shape, descr, data);
    }

    /** The dimensions of a shape tuple's text, e.g. "28, 28" or "3," (numpy) or "3L, 4L" (Python 2). */
    private static long[] shape(String tuple, Path file, String entry) {
        String[] parts = tuple.split(",", -1);
        long[] shape = new long[parts.length];
        int rank = 0;
        for (int i = 0; i < parts.length; i++) {
            String dim = parts[i].strip();
            if (dim.isEmpty() && i == parts.length - 1 && (i > 0 || parts.length == 1)) {
                continue; // "(3,)" and "()"
            }
            String problem = !dim.matches("[0-9]+L?") ? (dim.matches("-[0-9]+L?") ? "is negative"
                    : "is not a whole number") : null;
            if (problem == null) {
                try {
                    shape[rank++] = Long.parseLong(dim.endsWith("L") ? dim.substring(0, dim.length() - 1) : dim);
                    continue;
                } catch (NumberFormatException e) {
                    problem = "is too large";
                }
            }
            throw new DataException(file, entry + ": bad .npy 'shape' (" + shortened(tuple.strip()) + "): dimension "
                    + (dim.isEmpty() ? "(empty)" : shortened(dim)) + " " + problem + " (expected whole numbers >= 0)");
        }
        return java.util.Arrays.copyOf(shape, rank);
    }

    /** Text from the file for a message: at most 200 characters. */
    private static String shortened(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /**
     * Writes arrays to an npz file. dtype per array: {@code "|u1"} (values cast to unsigned bytes), {@code "<i8"} or {@code "<f4"}.
     */
    public static void write(Path file, Map<String, NpyArray> arrays) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(toNpy(e.getValue()));
                zip.closeEntry();
            }
        }
    }

    static byte[] toNpy(NpyArray a) {
        int size = switch (a.dtype()) {
            case "|u1" -> 1;
            case "<i8" -> 8;
            case "<f4" -> 4;
            default -> throw new IllegalArgumentException("write supports |u1, <i8, <f4, not " + a.dtype());
        };
        StringBuilder shape = new StringBuilder("(");
        for (long x : a.shape()) {
            shape.append(x).append(", ");
        }
        if (a.shape().length > 1) {
            shape.setLength(shape.length() - 1);
        }
        shape.append(")");
        String h = "{'descr': '" + a.dtype() + "', 'fortran_order': False, 'shape': " + shape.toString()
                .replace(", )", ",)") + ", }";
        int total = 10 + h.length() + 1;
        int pad = (64 - total % 64) % 64;
        h = h + " ".repeat(pad) + "\n";
        ByteBuffer bb = ByteBuffer.allocate(10 + h.length() + a.data().length * size).order(ByteOrder.LITTLE_ENDIAN);
        bb.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        bb.putShort((short) h.length()).put(h.getBytes(StandardCharsets.US_ASCII));
        for (float v : a.data()) {
            switch (size) {
                case 1 -> bb.put((byte) (int) v);
                case 8 -> bb.putLong((long) v);
                default -> bb.putFloat(v);
            }
        }
        return bb.array();
    }
}
