package org.dgquantum.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A small NIfTI-1 reader for single-file images ({@code .nii}, {@code .nii.gz}; gzip is detected by its
 * magic bytes, not by the name). Parses sizeof_hdr (348, which also fixes the byte order), dim, datatype,
 * bitpix, pixdim, vox_offset, scl_slope/scl_inter and magic ("n+1"). Data types: uint8, int8, int16,
 * uint16, int32, uint32, int64, float32, float64. Only the first 3-D volume is read.
 */
public final class NiftiReader {
    public static final int DT_UINT8 = 2;
    public static final int DT_INT16 = 4;
    public static final int DT_INT32 = 8;
    public static final int DT_FLOAT32 = 16;
    public static final int DT_FLOAT64 = 64;
    public static final int DT_INT8 = 256;
    public static final int DT_UINT16 = 512;
    public static final int DT_UINT32 = 768;
    public static final int DT_INT64 = 1024;

    private static final int HEADER_SIZE = 348;

    private NiftiReader() {
    }

    public static NiftiVolume read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file, "NIfTI file not found");
        }
        try (InputStream in = open(file)) {
            byte[] hdr = readFully(in, HEADER_SIZE, file, "header");
            ByteBuffer bb = ByteBuffer.wrap(hdr).order(ByteOrder.LITTLE_ENDIAN);
            if (bb.getInt(0) != HEADER_SIZE) {
                bb.order(ByteOrder.BIG_ENDIAN);
                if (bb.getInt(0) != HEADER_SIZE) {
                    throw new DataException(file, "not a NIfTI-1 file: sizeof_hdr is "
                            + ByteBuffer.wrap(hdr).order(ByteOrder.LITTLE_ENDIAN).getInt(0)
                            + " in either byte order, expected 348");
                }
            }
            String magic = new String(hdr, 344, 3, StandardCharsets.US_ASCII);
            if (magic.equals("ni1")) {
                throw new DataException(file, "two-file NIfTI (.hdr/.img) is not supported; convert to .nii");
            }
            if (!magic.equals("n+1")) {
                throw new DataException(file, "bad NIfTI magic '" + printable(hdr, 344, 4) + "', expected 'n+1'");
            }
            short[] dim = new short[8];
            for (int i = 0; i < 8; i++) {
                dim[i] = bb.getShort(40 + 2 * i);
            }
            if (dim[0] < 1 || dim[0] > 7) {
                throw new DataException(file, "corrupt NIfTI header: dim[0] = " + dim[0] + " (must be 1..7)");
            }
            int nx = dim[1];
            int ny = dim[0] >= 2 ? dim[2] : 1;
            int nz = dim[0] >= 3 ? dim[3] : 1;
            if (nx < 1 || ny < 1 || nz < 1) {
                throw new DataException(file, "corrupt NIfTI header: dimensions " + nx + "x" + ny + "x" + nz);
            }
            int datatype = bb.getShort(70);
            int bitpix = bb.getShort(72);
            int bytes = bytesPer(datatype);
            if (bytes < 0) {
                throw new DataException(file, "unsupported NIfTI datatype " + datatype
                        + " (supported: uint8, int8, int16, uint16, int32, uint32, int64, float32, float64)");
            }
            if (bitpix != 8 * bytes) {
                throw new DataException(file, "corrupt NIfTI header: bitpix " + bitpix + " does not match datatype "
                        + datatype);
            }
            double dx = pixdim(bb, 1);
            double dy = pixdim(bb, 2);
            double dz = pixdim(bb, 3);
            float voxOffset = bb.getFloat(108);
            if (!(voxOffset >= HEADER_SIZE) || voxOffset > 1 << 24) {
                throw new DataException(file, "corrupt NIfTI header: vox_offset " + voxOffset + " (must be >= 348)");
            }
            float slope = bb.getFloat(112);
            float inter = bb.getFloat(116);
            if (slope == 0 || !Float.isFinite(slope)) { // NIfTI: slope 0 means "no scaling"
                slope = 1;
                inter = 0;
            }
            if (!Float.isFinite(inter)) {
                inter = 0;
            }
            long skip = (long) voxOffset - HEADER_SIZE;
            in.skipNBytes(skip);
            long n = (long) nx * ny * nz;
            if (n * bytes > Integer.MAX_VALUE - 16) {
                throw new DataException(file, "NIfTI volume too large: " + nx + "x" + ny + "x" + nz);
            }
            byte[] raw = readFully(in, (int) (n * bytes), file, "voxel data (" + nx + "x" + ny + "x" + nz + ")");
            ByteBuffer d = ByteBuffer.wrap(raw).order(bb.order());
            float[] data = new float[(int) n];
            for (int i = 0; i < n; i++) {
                double v = switch (datatype) {
                    case DT_UINT8 -> raw[i] & 0xff;
                    case DT_INT8 -> raw[i];
                    case DT_INT16 -> d.getShort(2 * i);
                    case DT_UINT16 -> d.getShort(2 * i) & 0xffff;
                    case DT_INT32 -> d.getInt(4 * i);
                    case DT_UINT32 -> d.getInt(4 * i) & 0xffffffffL;
                    case DT_INT64 -> d.getLong(8 * i);
                    case DT_FLOAT32 -> d.getFloat(4 * i);
                    case DT_FLOAT64 -> d.getDouble(8 * i);
                    default -> throw new IllegalStateException();
                };
                data[i] = (float) (v * slope + inter);
            }
            return new NiftiVolume(file, nx, ny, nz, dx, dy, dz, datatype, bb.order(), data);
        } catch (NoSuchFileException e) {
            throw new DataException(file, "NIfTI file not found");
        } catch (ZipException e) {
            throw new DataException(file, "corrupt gzip stream", e);
        } catch (EOFException e) {
            throw new DataException(file, "truncated NIfTI file", e);
        } catch (IOException e) {
            throw new DataException(file, "cannot read NIfTI file", e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        }
        return raw;
    }

    private static byte[] readFully(InputStream in, int n, Path file, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new DataException(file, "truncated NIfTI file: " + what + " needs " + n + " bytes, found "
                    + b.length);
        }
        return b;
    }

    private static double pixdim(ByteBuffer bb, int i) {
        float v = Math.abs(bb.getFloat(76 + 4 * i));
        return v > 0 && Float.isFinite(v) ? v : 1.0;
    }

    static int bytesPer(int datatype) {
        return switch (datatype) {
            case DT_UINT8, DT_INT8 -> 1;
            case DT_INT16, DT_UINT16 -> 2;
            case DT_INT32, DT_UINT32, DT_FLOAT32 -> 4;
            case DT_INT64, DT_FLOAT64 -> 8;
            default -> -1;
        };
    }

    private static String printable(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xff;
            sb.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return sb.toString();
    }

    /**
     * Writes a minimal single-file NIfTI-1 volume (for tests and fixtures): 3-D, the given datatype, byte
     * order and scaling; gzip-compressed when gzip is true. Values are cast to the datatype.
     */
    public static void write(Path file, int nx, int ny, int nz, double[] values, int datatype, ByteOrder order,
            float slope, float inter, boolean gzip) throws IOException {
        int bytes = bytesPer(datatype);
        if (bytes < 0) {
            throw new IllegalArgumentException("unsupported datatype " + datatype);
        }
        int voxOffset = 352;
        ByteBuffer b = ByteBuffer.allocate(voxOffset + nx * ny * nz * bytes).order(order);
        b.putInt(0, HEADER_SIZE);
        short[] dim = {3, (short) nx, (short) ny, (short) nz, 1, 1, 1, 1};
        for (int i = 0; i < 8; i++) {
            b.putShort(40 + 2 * i, dim[i]);
        }
        b.putShort(70, (short) datatype);
        b.putShort(72, (short) (8 * bytes));
        float[] pixdim = {1, 1, 1, 1, 1, 1, 1, 1};
        for (int i = 0; i < 8; i++) {
            b.putFloat(76 + 4 * i, pixdim[i]);
        }
        b.putFloat(108, voxOffset);
        b.putFloat(112, slope);
        b.putFloat(116, inter);
        b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1').put(347, (byte) 0);
        for (int i = 0; i < values.length; i++) {
            int p = voxOffset + i * bytes;
            double v = values[i];
            switch (datatype) {
                case DT_UINT8, DT_INT8 -> b.put(p, (byte) (long) v);
                case DT_INT16, DT_UINT16 -> b.putShort(p, (short) (long) v);
                case DT_INT32, DT_UINT32 -> b.putInt(p, (int) (long) v);
                case DT_INT64 -> b.putLong(p, (long) v);
                case DT_FLOAT32 -> b.putFloat(p, (float) v);
                case DT_FLOAT64 -> b.putDouble(p, v);
                default -> throw new IllegalArgumentException();
            }
        }
        byte[] all = b.array();
        if (gzip) {
            try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(all);
            }
        } else {
            Files.write(file, all);
        }
    }
}
