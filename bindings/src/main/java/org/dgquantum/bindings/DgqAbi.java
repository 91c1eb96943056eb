package org.dgquantum.bindings;

import java.lang.foreign.MemorySegment;
import org.dgquantum.engine.Circuit;
import org.dgquantum.engine.Gradient;

/** Constants and structures of the C ABI in kernels/include/dgq/dgq.h (DGQ_ABI_VERSION 2). */
@SuppressWarnings("restricted") // Panama FFM: needs --enable-native-access=ALL-UNNAMED
final class DgqAbi {
    static final int ABI_VERSION = 2;
    static final int MAX_ROT = 8;
    static final int CPU_MAX_QUBITS = 24;
    static final int CUDA_MAX_QUBITS = 20;
    static final int CIRCUIT_INTS = 5 + MAX_ROT; // dgq_circuit: 13 int32, 52 bytes

    static final int OK = 0;
    static final int ERR_INVALID = 1;
    static final int ERR_UNSUPPORTED = 2;
    static final int ERR_NOMEM = 3;
    static final int ERR_CUDA = 4;

    private DgqAbi() {
    }

    /**
     * The dgq_circuit struct as int32 values. The C ABI needs L >= 1; a circuit with L = 0 (encoding
     * then readout) is passed as one layer of RY(0) (the identity) without entangler: see {@link #needsZeroLayer}.
     */
    static int[] encode(Circuit c, String backendName) {
        if (c.rotationsPerQubit() > MAX_ROT) {
            throw new IllegalArgumentException("rotations: " + c.rotationsPerQubit() + " per qubit exceeds the "
                    + backendName + " backend's limit of " + MAX_ROT);
        }
        int[] s = new int[CIRCUIT_INTS];
        s[0] = c.qubits();
        s[2] = c.encoding().ordinal(); // Gate: RX 0, RY 1, RZ 2 = DGQ_RX, DGQ_RY, DGQ_RZ
        if (needsZeroLayer(c)) {
            s[1] = 1;
            s[3] = 2; // DGQ_ENT_NONE
            s[4] = 1;
            s[5] = 1; // RY(0)
            return s;
        }
        s[1] = c.layers();
        s[3] = c.entangler().ordinal(); // RING 0, LINEAR 1, NONE 2 = DGQ_ENT_*
        s[4] = c.rotationsPerQubit();
        for (int k = 0; k < c.rotationsPerQubit(); k++) {
            s[5 + k] = c.rotations().get(k).ordinal();
        }
        return s;
    }

    /** True for L = 0, which the C ABI expresses as one identity layer with n zero weights. */
    static boolean needsZeroLayer(Circuit c) {
        return c.layers() == 0;
    }

    static int method(Gradient g) {
        return g == Gradient.ADJOINT ? 0 : 1;
    }

    static String codeName(int code) {
        return switch (code) {
            case OK -> "DGQ_OK";
            case ERR_INVALID -> "DGQ_ERR_INVALID";
            case ERR_UNSUPPORTED -> "DGQ_ERR_UNSUPPORTED";
            case ERR_NOMEM -> "DGQ_ERR_NOMEM";
            case ERR_CUDA -> "DGQ_ERR_CUDA";
            default -> "error " + code;
        };
    }

    /** Reads a NUL-terminated C string returned by the library ("" for NULL). */
    static String string(MemorySegment p) {
        if (p == null || p.equals(MemorySegment.NULL)) {
            return "";
        }
        return p.reinterpret(Long.MAX_VALUE).getString(0);
    }
}
