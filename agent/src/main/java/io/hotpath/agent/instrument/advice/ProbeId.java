package io.hotpath.agent.instrument.advice;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an advice parameter that receives the probe id of the instrumented method as a constant. The id is
 * registered when the method is instrumented ({@link ProbeIdMapping}), so advice finds its probe with one array read.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface ProbeId {}
