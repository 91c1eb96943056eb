package org.dgquantum.trainer.train;

/**
 * An invalid field of a {@link TrainConfig}: names the field as in config.json, the value and what was
 * expected. Front ends rename the field to what their user typed (the CLI: {@code --layers} for
 * {@code circuitLayers}), see {@link #describe(String)}.
 */
public final class ConfigException extends TrainerException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final String value;
    private final String expected;

    public ConfigException(String field, Object value, String expected) {
        super(field + ": " + value + " (expected " + expected + ")");
        this.field = field;
        this.value = String.valueOf(value);
        this.expected = expected;
    }

    /** The config.json field, e.g. "circuitLayers". */
    public String field() {
        return field;
    }

    public String value() {
        return value;
    }

    public String expected() {
        return expected;
    }

    /** The problem with the field called {@code name} where the user gave it, e.g. "--layers -1: expected >= 1". */
    public String describe(String name) {
        return name + " " + value + ": expected " + expected;
    }
}
