package org.dgquantum.trainer.model;

import java.util.Arrays;
import java.util.Locale;

/** The image encoders: DG-Quantum's MobileNetV2 and the baselines of docs/architecture.md. */
public enum EncoderType {
    MOBILENETV2("mobilenetv2"),
    RESNET18("resnet18"),
    EFFICIENTNET_B0("efficientnet-b0"),
    SIMPLE_CNN("simplecnn");

    private final String id;

    EncoderType(String id) {
        this.id = id;
    }

    /** Name used on the command line and in JSON, e.g. "mobilenetv2", "efficientnet-b0". */
    public String id() {
        return id;
    }

    /**
     * Parses an id, case-insensitively; '_' and '-' are interchangeable and may be left out
     * ("efficientnet_b0", "EfficientNetB0", "simple-cnn" all work).
     *
     * @throws IllegalArgumentException naming the field, the value and the accepted ids
     */
    public static EncoderType parse(String name, String field) {
        if (name != null) {
            String key = squash(name);
            for (EncoderType t : values()) {
                if (squash(t.id).equals(key) || squash(t.name()).equals(key)) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException(field + ": unknown model '" + name + "' (expected one of "
                + Arrays.stream(values()).map(EncoderType::id).toList() + ")");
    }

    private static String squash(String s) {
        return s.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }
}
