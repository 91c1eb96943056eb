package org.dgquantum.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.Deflater;

/**
 * A tiny DICOM writer for the tests: elements are written in ascending tag order (as the standard requires,
 * whatever order they were added in), in the chosen transfer syntax, after an optional preamble + "DICM" +
 * meta group. Just enough of the standard to exercise {@link DicomReader}; it checks nothing.
 */
final class DicomTestWriter {
    enum Syntax {
        IMPLICIT(DicomReader.IMPLICIT_LITTLE, false, ByteOrder.LITTLE_ENDIAN),
        EXPLICIT(DicomReader.EXPLICIT_LITTLE, true, ByteOrder.LITTLE_ENDIAN),
        BIG(DicomReader.EXPLICIT_BIG, true, ByteOrder.BIG_ENDIAN),
        DEFLATED(DicomReader.DEFLATED_LITTLE, true, ByteOrder.LITTLE_ENDIAN);

        final String uid;
        final boolean explicit;
        final ByteOrder order;

        Syntax(String uid, boolean explicit, ByteOrder order) {
            this.uid = uid;
            this.explicit = explicit;
            this.order = order;
        }
    }

    /** One element and how to write it. */
    private record Part(int tag, Consumer<Out> writer) {
    }

    private final List<Part> parts = new ArrayList<>();
    private String transferSyntax;
    private final Syntax syntax;
    private boolean preamble = true;
    private boolean meta = true;

    DicomTestWriter(Syntax syntax) {
        this.syntax = syntax;
        this.transferSyntax = syntax.uid;
    }

    /** A writer with the image attributes and pixel data of rows x cols stored values (1 sample per pixel). */
    static DicomTestWriter image(Syntax syntax, int rows, int cols, int bitsAllocated, int bitsStored, boolean signed,
            String photometric, long... values) {
        DicomTestWriter w = new DicomTestWriter(syntax).imageAttributes(rows, cols, 1, bitsAllocated, bitsStored,
                signed, photometric);
        return w.pixels(bitsAllocated, values);
    }

    DicomTestWriter imageAttributes(int rows, int cols, int samples, int bitsAllocated, int bitsStored,
            boolean signed, String photometric) {
        return us(DicomReader.SAMPLES_PER_PIXEL, samples).string(DicomReader.PHOTOMETRIC, "CS", photometric)
                .us(DicomReader.ROWS, rows).us(DicomReader.COLUMNS, cols).us(DicomReader.BITS_ALLOCATED, bitsAllocated)
                .us(DicomReader.BITS_STORED, bitsStored).us(0x00280102, bitsStored - 1)
                .us(DicomReader.PIXEL_REPRESENTATION, signed ? 1 : 0);
    }

    /** Pixel data: each value cast to bitsAllocated bits (two's complement for negatives). */
    DicomTestWriter pixels(int bitsAllocated, long... values) {
        int bytes = bitsAllocated / 8;
        return add(DicomReader.PIXEL_DATA, out -> {
            ByteBuffer bb = ByteBuffer.allocate((values.length * bytes + 1) & ~1).order(out.order);
            for (long v : values) {
                switch (bytes) {
                    case 1 -> bb.put((byte) v);
                    case 2 -> bb.putShort((short) v);
                    default -> bb.putInt((int) v);
                }
            }
            out.element(DicomReader.PIXEL_DATA, bytes == 1 ? "OB" : "OW", bb.array());
        });
    }

    DicomTestWriter us(int tag, int value) {
        return add(tag, out -> out.element(tag, "US", ByteBuffer.allocate(2).order(out.order).putShort((short) value)
                .array()));
    }

    /** A string value, padded to even length with a space (UI with a NUL). */
    DicomTestWriter string(int tag, String vr, String value) {
        return add(tag, out -> out.element(tag, vr, padded(value, vr.equals("UI") ? 0 : ' ')));
    }

    /** Any value, as given (byte order is the caller's business). */
    DicomTestWriter raw(int tag, String vr, byte[] value) {
        return add(tag, out -> out.element(tag, vr, value));
    }

    /** A header with a length that need not match what follows (for corrupt files). */
    DicomTestWriter rawHeader(int tag, String vr, long length) {
        return add(tag, out -> out.header(tag, vr, length));
    }

    /**
     * A sequence of undefined length whose items are the given writers' elements, each item of undefined
     * length (delimited by FFFE,E00D) unless definedItems. With vr "UN" the content is implicit VR little
     * endian whatever the transfer syntax, as the standard requires.
     */
    DicomTestWriter sequence(int tag, String vr, boolean definedItems, DicomTestWriter... items) {
        return add(tag, out -> {
            out.header(tag, vr, DicomReader.UNDEFINED);
            Out inner = vr.equals("UN") ? new Out(false, ByteOrder.LITTLE_ENDIAN) : new Out(out.explicit, out.order);
            for (DicomTestWriter item : items) {
                Out content = new Out(inner.explicit, inner.order);
                item.writeElements(content);
                byte[] c = content.bytes.toByteArray();
                inner.header(DicomReader.ITEM, null, definedItems ? c.length : DicomReader.UNDEFINED);
                inner.bytes.writeBytes(c);
                if (!definedItems) {
                    inner.header(DicomReader.ITEM_END, null, 0);
                }
            }
            inner.header(DicomReader.SEQUENCE_END, null, 0);
            out.bytes.writeBytes(inner.bytes.toByteArray());
        });
    }

    DicomTestWriter transferSyntax(String uid) {
        this.transferSyntax = uid;
        return this;
    }

    /** Without preamble and "DICM"; without the meta group too when meta is false. */
    DicomTestWriter noPreamble(boolean keepMeta) {
        this.preamble = false;
        this.meta = keepMeta;
        return this;
    }

    private DicomTestWriter add(int tag, Consumer<Out> writer) {
        parts.add(new Part(tag, writer));
        return this;
    }

    /** Writes the elements in ascending (unsigned) tag order; equal tags keep their order. */
    private void writeElements(Out out) {
        parts.stream().sorted((a, b) -> Integer.compareUnsigned(a.tag(), b.tag()))
                .forEach(p -> p.writer().accept(out));
    }

    byte[] bytes() {
        Out data = new Out(syntax.explicit, syntax.order);
        writeElements(data);
        byte[] body = data.bytes.toByteArray();
        if (syntax == Syntax.DEFLATED) {
            Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            d.setInput(body);
            d.finish();
            ByteArrayOutputStream z = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            while (!d.finished()) {
                z.write(buf, 0, d.deflate(buf));
            }
            d.end();
            body = z.toByteArray();
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        if (preamble) {
            file.writeBytes(new byte[128]);
            file.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        }
        if (meta) {
            Out m = new Out(true, ByteOrder.LITTLE_ENDIAN); // the meta group is always explicit little endian
            m.element(DicomReader.TRANSFER_SYNTAX, "UI", padded(transferSyntax, 0));
            byte[] group = m.bytes.toByteArray();
            Out len = new Out(true, ByteOrder.LITTLE_ENDIAN);
            len.element(0x00020000, "UL", ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(group.length)
                    .array());
            file.writeBytes(len.bytes.toByteArray());
            file.writeBytes(group);
        }
        file.writeBytes(body);
        return file.toByteArray();
    }

    Path write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, bytes());
        return file;
    }

    private static byte[] padded(String s, int pad) {
        byte[] v = s.getBytes(StandardCharsets.ISO_8859_1);
        if (v.length % 2 == 0) {
            return v;
        }
        byte[] p = java.util.Arrays.copyOf(v, v.length + 1);
        p[v.length] = (byte) pad;
        return p;
    }

    /** The bytes of a data set being written, in one VR mode and byte order. */
    private static final class Out {
        final boolean explicit;
        final ByteOrder order;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Out(boolean explicit, ByteOrder order) {
            this.explicit = explicit;
            this.order = order;
        }

        void element(int tag, String vr, byte[] value) {
            header(tag, vr, value.length);
            bytes.writeBytes(value);
        }

        /** Items and delimiters (vr null, group FFFE) never carry a VR. */
        void header(int tag, String vr, long length) {
            ByteBuffer h = ByteBuffer.allocate(12).order(order);
            h.putShort((short) (tag >>> 16)).putShort((short) tag);
            if (!explicit || vr == null) {
                h.putInt((int) length);
            } else if (DicomReader.LONG_VRS.contains(vr)) {
                h.put(vr.getBytes(StandardCharsets.US_ASCII)).putShort((short) 0).putInt((int) length);
            } else {
                h.put(vr.getBytes(StandardCharsets.US_ASCII)).putShort((short) length);
            }
            bytes.write(h.array(), 0, h.position());
        }
    }
}
