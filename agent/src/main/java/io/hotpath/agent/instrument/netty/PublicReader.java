package io.hotpath.agent.instrument.netty;

import java.lang.reflect.Method;
import java.util.function.ToLongFunction;

/**
 * Reads a number from a library object through one of its public, argument-less methods, on the agent's thread only
 * (snapshot gauges). The method is looked up once per concrete class, on the named public class the library declares
 * it in, so a non-public subclass (an application's own event loop) is read through its public ancestor. An object
 * without the method reads as -1 (nothing).
 */
final class PublicReader implements ToLongFunction<Object> {
    private final String declaringClass;
    private final String method;
    private final ClassValue<Method> methods = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                if (c.getName().equals(declaringClass)) {
                    try {
                        return c.getMethod(method);
                    } catch (NoSuchMethodException e) {
                        return null;
                    }
                }
            }
            return null;
        }
    };

    /** Reads {@code declaringClass.method()} (returning int or long) of each object. */
    PublicReader(String declaringClass, String method) {
        this.declaringClass = declaringClass;
        this.method = method;
    }

    @Override
    public long applyAsLong(Object instance) {
        final Method m = methods.get(instance.getClass());
        if (m == null) {
            return -1L;
        }
        try {
            return ((Number) m.invoke(instance)).longValue();
        } catch (ReflectiveOperationException e) {
            return -1L;
        }
    }
}
