package org.dgquantum.engine.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a local of a float64 kernel template that stays {@code double} in the generated float32
 * kernel (a Math result, a matrix of {@link CircuitProgram}, an accumulator of rounded terms).
 * Every other {@code double} of a template is the working precision. The generator
 * (Float32Sources, engine tests) keeps exactly the {@code double} that follows this annotation,
 * and refuses templates that declare locals with {@code var}, whose type it cannot see.
 */
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.LOCAL_VARIABLE)
public @interface Wide {
}
