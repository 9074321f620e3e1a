package io.hotpath.agent.alert;

import io.hotpath.exporter.Event;
import io.hotpath.exporter.Events;
import java.util.Map;

/**
 * Alerts as OTLP log events through the exporter ({@code Events.emit}), event name {@value #EVENT}: critical maps to
 * ERROR, warning to WARN, info to INFO; attributes {@code hotpath.alert.*}, {@code hotpath.finding.kind},
 * {@code hotpath.probe.name}, and the evidence as {@code hotpath.evidence.<name>}. {@code Events.emit} never blocks:
 * before the exporter is up events wait in its small bounded buffer.
 */
final class OtlpAlertChannel implements AlertChannel {
    /** The event name of an alert. */
    public static final String EVENT = "hotpath.alert";

    @Override
    public String name() {
        return "otlp";
    }

    @Override
    public void send(Alert a) {
        final Event.Builder b = Event.builder(EVENT, a.severity(), a.message())
                .attribute("hotpath.alert.key", a.key())
                .attribute("hotpath.alert.type", a.type())
                .attribute("hotpath.alert.severity", a.severity().label())
                .attribute("hotpath.finding.kind", a.kind())
                .attribute("hotpath.health", a.health())
                .epochNanos(a.epochMillis() * 1_000_000L);
        if (!a.probe().isEmpty()) {
            b.attribute("hotpath.probe.name", a.probe());
        }
        if (!a.recommendation().isEmpty()) {
            b.attribute("hotpath.alert.recommendation", a.recommendation());
        }
        for (Map.Entry<String, Double> e : a.evidence().entrySet()) {
            b.attribute("hotpath.evidence." + e.getKey(), e.getValue());
        }
        Events.emit(b.build());
    }
}
