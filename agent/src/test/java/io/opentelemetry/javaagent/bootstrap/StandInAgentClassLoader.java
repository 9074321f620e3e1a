package io.opentelemetry.javaagent.bootstrap;

/** A loader named like the OpenTelemetry Java agent's own, for {@code ClassFilterTest}. */
public final class StandInAgentClassLoader extends ClassLoader {
    public StandInAgentClassLoader() {
        super(null);
    }
}
