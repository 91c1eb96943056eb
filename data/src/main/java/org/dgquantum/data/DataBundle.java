package org.dgquantum.data;

import java.util.Objects;

/**
 * What a data source yields: {@code source}, the training centers (the trainer splits its validation set off
 * it with {@link Dataset#split}), and {@code target}, the unseen test centers (or a held-out part where a
 * source has no centers of its own; see each source).
 */
public record DataBundle(String name, Dataset source, Dataset target) {
    public DataBundle {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
    }
}
