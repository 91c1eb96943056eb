package org.dgquantum.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A small reader for uncompressed DICOM images, written for this project. It reads Part 10 files (128-byte
 * preamble, "DICM", file meta group 0002 in explicit VR little endian) and bare data sets without preamble or
 * meta group (implicit VR little endian). Transfer syntaxes: Implicit VR Little Endian, Explicit VR Little
 * Endian, Deflated Explicit VR Little Endian and Explicit VR Big Endian; compressed (encapsulated) ones such as
 * JPEG, JPEG 2000 or RLE are refused with a message naming the transfer syntax.
 * <p>
 * Only the top-level data set is interpreted: sequences (of defined or undefined length) are skipped whole,
 * so that the Rows or PixelData of an icon image inside a sequence are never taken for the image's own.
 * Pixels: 1 sample (MONOCHROME1, MONOCHROME2) or 3 samples (RGB, interleaved or planar, converted to gray
 * with 0.299 R + 0.587 G + 0.114 B), BitsAllocated 8, 16 or 32, any BitsStored, unsigned or signed. Of a
 * multi-frame image only the middle frame (index NumberOfFrames / 2) is decoded: one file is one sample, and
 * the middle of a cine or volume is the most representative single frame.
 */
public final class DicomReader {
    public static final String IMPLICIT_LITTLE = "1.2.840.10008.1.2";
    public static final String EXPLICIT_LITTLE = "1.2.840.10008.1.2.1";
    public static final String DEFLATED_LITTLE = "1.2.840.10008.1.2.1.99";
    public static final String EXPLICIT_BIG = "1.2.840.10008.1.2.2";
    static final String SUPPORTED_TEXT = "Implicit VR Little Endian, Explicit VR Little Endian, Deflated Explicit"
            + " VR Little Endian, Explicit VR Big Endian";

    // Tags as (group << 16) | element.
    static final int TRANSFER_SYNTAX = 0x00020010;
    static final int CHARACTER_SET = 0x00080005;
    static final int MANUFACTURER = 0x00080070;
    static final int INSTITUTION = 0x00080080;
    static final int STATION = 0x00081010;
    static final int SAMPLES_PER_PIXEL = 0x00280002;
    static final int PHOTOMETRIC = 0x00280004;
    static final int PLANAR_CONFIGURATION = 0x00280006;
    static final int FRAMES = 0x00280008;
    static final int ROWS = 0x00280010;
    static final int COLUMNS = 0x00280011;
    static final int BITS_ALLOCATED = 0x00280100;
    static final int BITS_STORED = 0x00280101;
    static final int PIXEL_REPRESENTATION = 0x00280103;
    static final int RESCALE_INTERCEPT = 0x00281052;
    static final int RESCALE_SLOPE = 0x00281053;
    static final int PIXEL_DATA = 0x7FE00010;
    static final int ITEM = 0xFFFEE000;
    static final int ITEM_END = 0xFFFEE00D;
    static final int SEQUENCE_END = 0xFFFEE0DD;
    static final long UNDEFINED = 0xFFFFFFFFL;
    /** Deepest nesting of sequences read (each level is a recursion; real files nest a few levels). */
    static final int MAX_DEPTH = 64;

    /** Explicit VRs whose header has 2 reserved bytes and a 4-byte length. */
    static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR",
            "UT", "UV");

    /**
     * One decoded image.
     *
     * @param transferSyntax the transfer syntax UID the data set was read with
     * @param frames         NumberOfFrames (1 for single-frame images)
     * @param frame          the decoded frame (frames / 2)
     * @param pixels         rows x columns values, row-major: stored values with MONOCHROME1 inverted within the
     *                       stored range (so that larger is always brighter), then RescaleSlope * v +
     *                       RescaleIntercept; RGB images as luminance of the stored values, not rescaled
     * @param institution    InstitutionName (0008,0080), "" when absent; likewise manufacturer and station
     */
    public record Image(Path file, String transferSyntax, int rows, int columns, int frames, int frame,
            int samplesPerPixel, String photometric, int bitsAllocated, int bitsStored, boolean signed, double slope,
            double intercept, String institution, String manufacturer, String station, float[] pixels) {

        /**
         * The acquisition site as the header names it: InstitutionName, else Manufacturer and StationName
         * joined by a space, else "" when the file names none of them.
         */
        public String site() {
            if (!institution.isEmpty()) {
                return institution;
            }
            return (manufacturer + " " + station).strip();
        }
    }

    /** A top-level element: where its value starts in the data set and how long it is. */
    private record Element(int tag, String vr, int offset, long length) {
    }

    private DicomReader() {
    }

    /** True when the file has a 128-byte preamble followed by "DICM" (a DICOM Part 10 file). */
    public static boolean hasMagic(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(132);
            return head.length == 132 && magicAt(head, 128);
        } catch (IOException e) {
            return false;
        }
    }

    public static Image read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file, "DICOM file not found");
        } catch (IOException e) {
            throw new DataException(file, "cannot read DICOM file", e);
        }
        return new Parser(file, bytes).image();
    }

    private static boolean magicAt(byte[] b, int off) {
        return b.length >= off + 4 && b[off] == 'D' && b[off + 1] == 'I' && b[off + 2] == 'C' && b[off + 3] == 'M';
    }

    /** A name for the common compressed transfer syntaxes, for the error message. */
    static String syntaxName(String uid) {
        return switch (uid) {
            case "1.2.840.10008.1.2.4.50" -> "JPEG Baseline";
            case "1.2.840.10008.1.2.4.51" -> "JPEG Extended";
            case "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70" -> "JPEG Lossless";
            case "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81" -> "JPEG-LS";
            case "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91" -> "JPEG 2000";
            case "1.2.840.10008.1.2.5" -> "RLE Lossless";
            default -> uid.startsWith("1.2.840.10008.1.2.4.") ? "JPEG family or video" : "";
        };
    }

    /** Walks one file's bytes; keeps the position, byte order and VR mode of the data set being read. */
    private static final class Parser {
        private final Path file;
        private byte[] b;
        private int pos;
        private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        private boolean explicit;
        private String syntax = IMPLICIT_LITTLE;
        private final Map<Integer, Element> top = new HashMap<>();
        /** Undefined-length sequences being skipped, one inside the other. */
        private int depth;

        Parser(Path file, byte[] bytes) {
            this.file = file;
            this.b = bytes;
        }

        Image image() {
            readMetaAndSyntax();
            dataset(b.length, explicit, order, top);
            Element pixel = top.get(PIXEL_DATA);
            if (pixel == null) {
                throw fail("no pixel data (7FE0,0010): not an image");
            }
            if (pixel.length() == UNDEFINED) { // fragments, whatever the meta group claims
                throw fail("pixel data is encapsulated (compressed) although the transfer syntax is " + syntax
                        + "; only uncompressed DICOM is supported");
            }
            return decode(pixel);
        }

        /** Finds the preamble and meta group, sets the transfer syntax and moves to the data set. */
        private void readMetaAndSyntax() {
            if (magicAt(b, 128)) {
                pos = 132;
            } else {
                // No preamble: accept a bare data set starting with a low, even group (the meta group 0002 or,
                // in implicit VR, typically 0008), whose first length fits in the file.
                int group = b.length >= 8 ? u16(0, ByteOrder.LITTLE_ENDIAN) : -1;
                boolean plausible = group >= 0 && group <= 0x0008 && group % 2 == 0
                        && (group == 0x0002 || u32(4, ByteOrder.LITTLE_ENDIAN) <= b.length - 8);
                if (!plausible) {
                    throw fail("not a DICOM file: no \"DICM\" magic at offset 128 and no data set at offset 0");
                }
                pos = 0;
            }
            Map<Integer, Element> meta = new HashMap<>();
            boolean hasMeta = false;
            while (pos + 8 <= b.length && u16(pos, ByteOrder.LITTLE_ENDIAN) == 0x0002) { // always explicit LE
                Element e = header(true, ByteOrder.LITTLE_ENDIAN);
                if (e.length() == UNDEFINED) {
                    throw fail("corrupt file meta group: element " + tag(e.tag()) + " has undefined length");
                }
                need(e.length(), "file meta element " + tag(e.tag()));
                meta.put(e.tag(), e);
                pos += (int) e.length();
                hasMeta = true;
            }
            Element ts = meta.get(TRANSFER_SYNTAX);
            if (hasMeta && ts == null) {
                throw fail("file meta group has no transfer syntax UID (0002,0010)");
            }
            // Without a meta group there is nothing to say otherwise: the default implicit VR little endian.
            syntax = ts == null ? IMPLICIT_LITTLE : string(ts, StandardCharsets.US_ASCII);
            switch (syntax) {
                case IMPLICIT_LITTLE -> explicit = false;
                case EXPLICIT_LITTLE -> explicit = true;
                case EXPLICIT_BIG -> {
                    explicit = true;
                    order = ByteOrder.BIG_ENDIAN;
                }
                case DEFLATED_LITTLE -> {
                    explicit = true;
                    inflateRest();
                }
                default -> {
                    String name = syntaxName(syntax);
                    String what = name.isEmpty() ? "unsupported transfer syntax " + syntax
                            : "compressed (encapsulated) transfer syntax " + syntax + " (" + name + ")";
                    throw fail(what + "; only uncompressed DICOM is supported (" + SUPPORTED_TEXT
                            + "); decompress it first, e.g. with gdcmconv --raw or dcmdjpeg");
                }
            }
        }

        /** Deflated transfer syntax: everything after the meta group is a raw deflate stream. */
        private void inflateRest() {
            Inflater inf = new Inflater(true);
            inf.setInput(b, pos, b.length - pos);
            ByteArrayOutputStream out = new ByteArrayOutputStream(4 * (b.length - pos) + 64);
            byte[] buf = new byte[1 << 16];
            try {
                while (!inf.finished()) {
                    int n = inf.inflate(buf);
                    if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                        throw fail("truncated DICOM file: the deflated data set ends early");
                    }
                    out.write(buf, 0, n);
                }
            } catch (DataFormatException e) {
                throw new DataException(file, "corrupt deflated DICOM data set", e);
            } finally {
                inf.end();
            }
            b = out.toByteArray();
            pos = 0;
        }

        /**
         * Reads elements up to end (exclusive), or with end = -1 up to an item delimiter. Records them in out
         * when out is not null (the top level only) and stops there at the pixel data, the last thing needed.
         */
        private void dataset(long end, boolean expl, ByteOrder ord, Map<Integer, Element> out) {
            while (end < 0 || pos < end) {
                Element e = header(expl, ord);
                if (e.tag() == ITEM_END && end < 0) {
                    return;
                }
                if (e.tag() == ITEM || e.tag() == ITEM_END || e.tag() == SEQUENCE_END) {
                    throw fail("corrupt data set: unexpected item tag " + tag(e.tag()) + " at offset " + (pos - 8));
                }
                if (out != null && e.tag() == PIXEL_DATA) {
                    if (e.length() != UNDEFINED) {
                        need(e.length(), "pixel data (7FE0,0010)");
                    }
                    out.put(e.tag(), e);
                    return;
                }
                if (e.length() == UNDEFINED) {
                    // A sequence, or UN of undefined length, whose content is always implicit VR little endian.
                    boolean un = "UN".equals(e.vr());
                    skipItems(un ? false : expl, un ? ByteOrder.LITTLE_ENDIAN : ord);
                } else {
                    need(e.length(), "element " + tag(e.tag()));
                    if (out != null) {
                        out.put(e.tag(), e);
                    }
                    pos += (int) e.length();
                }
            }
        }

        /** Skips the items of an undefined-length sequence up to and including its delimiter (FFFE,E0DD). */
        private void skipItems(boolean expl, ByteOrder ord) {
            if (++depth > MAX_DEPTH) {
                throw fail("corrupt data set: sequences nested more than " + MAX_DEPTH + " deep at offset " + pos);
            }
            while (true) {
                int at = pos;
                Element item = header(expl, ord);
                if (item.tag() == SEQUENCE_END) {
                    depth--;
                    return;
                }
                if (item.tag() != ITEM) {
                    throw fail("corrupt sequence: expected an item (FFFE,E000) at offset " + at + ", found "
                            + tag(item.tag()));
                }
                if (item.length() == UNDEFINED) {
                    dataset(-1, expl, ord, null);
                } else {
                    need(item.length(), "sequence item");
                    pos += (int) item.length();
                }
            }
        }

        /** Reads an element header at pos and moves pos to its value. Items and delimiters have no VR. */
        private Element header(boolean expl, ByteOrder ord) {
            need(8, "element header");
            int tag = (u16(pos, ord) << 16) | u16(pos + 2, ord);
            if ((tag >>> 16) == 0xFFFE || !expl) {
                long len = u32(pos + 4, ord);
                pos += 8;
                return new Element(tag, null, pos, len);
            }
            String vr = new String(b, pos + 4, 2, StandardCharsets.US_ASCII);
            if (!vr.matches("[A-Z]{2}")) {
                throw fail("corrupt data set: element " + tag(tag) + " at offset " + pos + " has no valid VR; the"
                        + " data does not match its transfer syntax " + syntax);
            }
            if (LONG_VRS.contains(vr)) {
                need(12, "element header");
                long len = u32(pos + 8, ord);
                pos += 12;
                return new Element(tag, vr, pos, len);
            }
            int len = u16(pos + 6, ord);
            pos += 8;
            return new Element(tag, vr, pos, len);
        }

        private Image decode(Element pixel) {
            int rows = integer(ROWS, -1);
            int cols = integer(COLUMNS, -1);
            int bitsAllocated = integer(BITS_ALLOCATED, -1);
            if (rows <= 0 || cols <= 0) {
                throw fail("missing or zero Rows (0028,0010) / Columns (0028,0011): " + rows + " x " + cols);
            }
            if (bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32) {
                throw fail(bitsAllocated < 0 ? "missing BitsAllocated (0028,0100)"
                        : "unsupported BitsAllocated " + bitsAllocated + " (supported: 8, 16, 32)");
            }
            int bitsStored = integer(BITS_STORED, bitsAllocated);
            if (bitsStored < 1 || bitsStored > bitsAllocated) {
                throw fail("unsupported BitsStored " + bitsStored + " with BitsAllocated " + bitsAllocated);
            }
            int representation = integer(PIXEL_REPRESENTATION, 0);
            if (representation != 0 && representation != 1) {
                throw fail("unsupported PixelRepresentation " + representation + " (0 unsigned, 1 signed)");
            }
            boolean signed = representation == 1;
            int spp = integer(SAMPLES_PER_PIXEL, 1);
            String photometric = text(PHOTOMETRIC, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
            if (photometric.isEmpty()) {
                photometric = spp == 3 ? "RGB" : "MONOCHROME2";
            }
            boolean mono = photometric.equals("MONOCHROME1") || photometric.equals("MONOCHROME2");
            if (!(mono && spp == 1) && !(photometric.equals("RGB") && spp == 3)) {
                throw fail("unsupported PhotometricInterpretation " + photometric + " with SamplesPerPixel " + spp
                        + " (supported: MONOCHROME1, MONOCHROME2 with 1 sample, RGB with 3)");
            }
            int frames = integer(FRAMES, 1);
            if (frames < 1) {
                throw fail("bad NumberOfFrames " + frames);
            }
            int bytesPer = bitsAllocated / 8;
            long pixels = (long) rows * cols; // below 2^62: no overflow, nor in the checks below
            long pixelBytes = (long) spp * bytesPer;
            if (pixels > pixel.length() / pixelBytes / frames) { // pixels x pixelBytes x frames > length
                throw fail("pixel data has " + pixel.length() + " bytes but Rows x Columns x SamplesPerPixel x"
                        + " NumberOfFrames x BitsAllocated/8 = " + rows + " x " + cols + " x " + spp + " x " + frames
                        + " x " + bytesPer + " = " + BigInteger.valueOf(pixels).multiply(BigInteger.valueOf(
                                pixelBytes * frames)) + " are needed");
            }
            long frameBytes = pixels * pixelBytes;
            double slope = mono ? decimal(RESCALE_SLOPE, 1) : 1;
            double intercept = mono ? decimal(RESCALE_INTERCEPT, 0) : 0;
            int frame = frames / 2;
            long start = pixel.offset() + frame * frameBytes;
            long mask = (1L << bitsStored) - 1;
            long signBit = 1L << (bitsStored - 1);
            // MONOCHROME1 shows low values bright: mirror within the stored range (min + max - v).
            long mirror = signed ? -1 : mask;
            boolean invert = photometric.equals("MONOCHROME1");
            boolean planar = integer(PLANAR_CONFIGURATION, 0) == 1;
            int n = (int) pixels; // at most the pixel data's length
            float[] out = new float[n];
            for (int p = 0; p < n; p++) {
                if (mono) {
                    long v = sample(start + (long) p * bytesPer, bytesPer) & mask;
                    if (signed && (v & signBit) != 0) {
                        v -= 1L << bitsStored;
                    }
                    if (invert) {
                        v = mirror - v;
                    }
                    out[p] = (float) (v * slope + intercept);
                } else {
                    double[] rgb = new double[3];
                    for (int c = 0; c < 3; c++) {
                        long index = planar ? (long) c * n + p : 3L * p + c;
                        rgb[c] = sample(start + index * bytesPer, bytesPer) & mask;
                    }
                    out[p] = (float) (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]);
                }
            }
            Charset cs = text(CHARACTER_SET, StandardCharsets.US_ASCII).contains("ISO_IR 192")
                    ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
            return new Image(file, syntax, rows, cols, frames, frame, spp, photometric, bitsAllocated, bitsStored,
                    signed, slope, intercept, text(INSTITUTION, cs), text(MANUFACTURER, cs), text(STATION, cs), out);
        }

        private long sample(long at, int bytes) {
            int i = (int) at;
            return switch (bytes) {
                case 1 -> b[i] & 0xff;
                case 2 -> u16(i, order);
                default -> u32(i, order);
            };
        }

        /** A US/UL value, or an IS string (NumberOfFrames); def when the element is absent or empty. */
        private int integer(int tag, int def) {
            Element e = top.get(tag);
            if (e == null || e.length() == 0) {
                return def;
            }
            if (tag == FRAMES) {
                String s = firstValue(string(e, StandardCharsets.US_ASCII));
                try {
                    return s.isEmpty() ? def : Integer.parseInt(s);
                } catch (NumberFormatException ex) {
                    throw fail("bad " + tag(tag) + " value '" + s + "'");
                }
            }
            if (e.length() < 2) {
                throw fail("bad " + tag(tag) + " value: " + e.length() + " byte, expected a 2-byte US");
            }
            return e.length() >= 4 ? (int) u32(e.offset(), order) : u16(e.offset(), order);
        }

        /** A DS value (the first of several); def when absent or empty. */
        private double decimal(int tag, double def) {
            String s = firstValue(text(tag, StandardCharsets.US_ASCII));
            double v;
            try {
                v = s.isEmpty() ? def : Double.parseDouble(s);
            } catch (NumberFormatException ex) {
                v = Double.NaN;
            }
            if (!Double.isFinite(v)) {
                throw fail("bad decimal " + tag(tag) + " value '" + s + "' (expected a finite number)");
            }
            return v;
        }

        private String text(int tag, Charset cs) {
            Element e = top.get(tag);
            return e == null ? "" : string(e, cs);
        }

        /** A string value without its padding (trailing spaces or NULs). */
        private String string(Element e, Charset cs) {
            return new String(b, e.offset(), (int) e.length(), cs).replace('\0', ' ').strip();
        }

        private static String firstValue(String s) {
            int bs = s.indexOf('\\');
            return (bs < 0 ? s : s.substring(0, bs)).strip();
        }

        private void need(long n, String what) {
            long left = b.length - pos;
            if (n > left) {
                throw fail("truncated DICOM file: " + what + " at offset " + pos + " needs " + n + " bytes, only "
                        + left + " remain");
            }
        }

        private int u16(int at, ByteOrder ord) {
            return ord == ByteOrder.LITTLE_ENDIAN ? (b[at] & 0xff) | (b[at + 1] & 0xff) << 8
                    : (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
        }

        private long u32(int at, ByteOrder ord) {
            long lo = u16(at, ord);
            long hi = u16(at + 2, ord);
            return ord == ByteOrder.LITTLE_ENDIAN ? lo | hi << 16 : lo << 16 | hi;
        }

        private DataException fail(String problem) {
            return new DataException(file, problem);
        }
    }

    static String tag(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xffff);
    }
}
