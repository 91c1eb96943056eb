package org.dgquantum.nd4j.layers;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/** Copies a DL4J layer configuration's settings into an instance of a subclass (DL4J's builders build only their own class). */
final class LayerSettings {
    private LayerSettings() {
    }

    /** Every instance field that {@code base} and its superclasses declare, from {@code from} to {@code to}. */
    static <T, S extends T> S copy(Class<T> base, T from, S to) {
        try {
            for (Class<?> k = base; k != Object.class; k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers())) {
                        f.setAccessible(true);
                        f.set(to, f.get(from));
                    }
                }
            }
            return to;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot copy the settings of DL4J's " + base.getSimpleName(), e);
        }
    }
}
