package io.hotpath.exporter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One agent event — a finding, an alert, a tuning action, the agent starting, a probe stopping — that becomes one OTLP
 * log record: {@code name} is the record's event name, {@code body} its human-readable text, and {@code attributes}
 * its structured attributes.
 *
 * <p>Attribute values are {@link String}, {@link Long} (or {@link Integer}, stored as a long), {@link Double} or
 * {@link Boolean}; anything else is rejected when the event is built, so a bad value is a bug found at its source, not
 * a lost record. Names follow OpenTelemetry conventions: an event name like {@code hotpath.probe.disabled}, attribute
 * keys like {@code hotpath.probe.name}.
 *
 * @param name the event name, e.g. {@code hotpath.agent.started}
 * @param severity how serious it is
 * @param body one human-readable sentence
 * @param attributes structured detail, in insertion order (unmodifiable)
 * @param epochNanos when it happened, nanoseconds since the epoch
 */
public record Event(String name, Severity severity, String body, Map<String, Object> attributes, long epochNanos) {

    /** Checks the name and every attribute value, and freezes the attributes. */
    public Event {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(body, "body");
        if (name.isBlank()) {
            throw new IllegalArgumentException("event name is blank");
        }
        final Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey(), "attribute key"), checked(e.getKey(), e.getValue()));
        }
        attributes = Collections.unmodifiableMap(copy);
    }

    /** Starts an event happening now. */
    public static Builder builder(String name, Severity severity, String body) {
        return new Builder(name, severity, body);
    }

    private static Object checked(String key, Object value) {
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean) {
            return value;
        }
        throw new IllegalArgumentException(
                "attribute " + key + " must be a String, Long, Integer, Double or Boolean, not "
                        + (value == null ? "null" : value.getClass().getName()));
    }

    /** Collects the attributes of an {@link Event}. Not thread-safe; build and emit on one thread. */
    public static final class Builder {
        private final String name;
        private final Severity severity;
        private final String body;
        private final Map<String, Object> attributes = new LinkedHashMap<>();
        private long epochNanos = -1;

        private Builder(String name, Severity severity, String body) {
            this.name = name;
            this.severity = severity;
            this.body = body;
        }

        /** Adds a string attribute. */
        public Builder attribute(String key, String value) {
            attributes.put(key, value);
            return this;
        }

        /** Adds an integer attribute. */
        public Builder attribute(String key, long value) {
            attributes.put(key, value);
            return this;
        }

        /** Adds a floating-point attribute. */
        public Builder attribute(String key, double value) {
            attributes.put(key, value);
            return this;
        }

        /** Adds a boolean attribute. */
        public Builder attribute(String key, boolean value) {
            attributes.put(key, value);
            return this;
        }

        /** Sets when it happened; by default, when {@link #build} is called. */
        public Builder epochNanos(long epochNanos) {
            this.epochNanos = epochNanos;
            return this;
        }

        /** The event. */
        public Event build() {
            final long when = epochNanos >= 0 ? epochNanos : nowEpochNanos();
            return new Event(name, severity, body, attributes, when);
        }
    }

    static long nowEpochNanos() {
        final java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
