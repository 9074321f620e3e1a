package io.hotpath.agent.instrument.aeron;

import io.hotpath.bootstrap.ipc.Publications;
import java.lang.reflect.Method;
import java.util.function.ToLongFunction;

/**
 * Reads each tracked publication's position on the agent's thread, once per snapshot, and hands it to
 * {@link Publications#advanced}, which adds the bytes the stream carried since the last read to its probe. The stream
 * probes are registered after the operation probe that tracks the publications, so a snapshot reads them after this
 * reader ran and shows the bytes of the same tick. Reports 1 per live publication (the probe's {@code instances}).
 *
 * <p>{@code position()} is looked up once per concrete class through the public {@code io.aeron.Publication}: the
 * agent has no Aeron of its own and reads whichever version the application brings.
 */
final class PositionReader implements ToLongFunction<Object> {
    private static final String PUBLICATION = "io.aeron.Publication";

    private final ClassValue<Method> positions = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                if (c.getName().equals(PUBLICATION)) {
                    try {
                        return c.getMethod("position");
                    } catch (NoSuchMethodException e) {
                        return null;
                    }
                }
            }
            return null;
        }
    };

    @Override
    public long applyAsLong(Object publication) {
        final Method m = positions.get(publication.getClass());
        if (m == null) {
            return -1L;
        }
        try {
            Publications.advanced(publication, (Long) m.invoke(publication));
            return 1L;
        } catch (ReflectiveOperationException e) {
            return -1L;
        }
    }
}
