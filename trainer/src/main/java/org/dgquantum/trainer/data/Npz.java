package org.dgquantum.trainer.data;

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
        if (b.length < 10 || (b[0] & 0xff) != 0x93 || b[1] != 'N' || b[2] != 'U' || b[3] != 'M' || b[4] != 'P'
                || b[5] != 'Y') {
            throw new DataException(file, "entry '" + key + "' is not a .npy array (bad magic)");
        }
        int major = b[6];
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            headerLen = bb.getInt(8);
            start = 12;
        } else {
            throw new DataException(file, "entry '" + key + "': unsupported .npy version " + major);
        }
        if (start + headerLen > b.length || headerLen < 0) {
            throw new DataException(file, "entry '" + key + "': truncated .npy header");
        }
        String header = new String(b, start, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new DataException(file, "entry '" + key + "': malformed .npy header " + header.strip());
        }
        if (f.group(1).equals("True")) {
            throw new DataException(file, "entry '" + key + "': Fortran-order arrays are not supported");
        }
        String descr = d.group(1);
        String[] dims = s.group(1).split(",");
        long[] shape = java.util.Arrays.stream(dims).map(String::strip).filter(x -> !x.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        long n = 1;
        for (long x : shape) {
            n *= x;
        }
        if (descr.length() < 3) {
            throw new DataException(file, "entry '" + key + "': unsupported dtype '" + descr + "'");
        }
        char endian = descr.charAt(0);
        char kind = descr.charAt(1);
        int size;
        try {
            size = Integer.parseInt(descr.substring(2));
        } catch (NumberFormatException e) {
            throw new DataException(file, "entry '" + key + "': unsupported dtype '" + descr + "'");
        }
        bb.order(endian == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int off = start + headerLen;
        if (n > Integer.MAX_VALUE || off + n * size > b.length) {
            throw new DataException(file, "entry '" + key + "': data shorter than shape " + java.util.Arrays.toString(shape)
                    + " x " + size + " bytes");
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
                case "f8" -> bb.getDouble(p);
                default -> throw new DataException(file, "entry '" + key + "': unsupported dtype '" + descr + "'");
            };
            data[i] = (float) v;
        }
        return new NpyArray(shape, descr, data);
    }

    /**
     * Writes arrays to an npz file. dtype per array: "|u1" (values cast to unsigned bytes), "<i8" or "<f4".
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
