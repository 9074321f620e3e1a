package io.hotpath.agent.alert;

import io.hotpath.agent.report.JsonWriter;
import io.hotpath.exporter.Severity;
import java.util.Map;
import java.util.TreeMap;

/**
 * One alert, as sent to every channel.
 *
 * @param key the cooldown key: {@code <finding key>:<severity>}, {@code <finding key>:recovered} or
 *     {@code health:<state>}
 * @param type {@code finding} (a finding raised or escalated), {@code recovery} (a finding that was alerted is
 *     resolved) or {@code health} (overall health changed band)
 * @param severity info, warning or critical
 * @param kind the finding's kind, or {@code health}
 * @param probe the probe name, {@code jvm}, or empty for health alerts
 * @param message one line for a person
 * @param recommendation what to change, or empty
 * @param health overall health 0..1 when the alert was raised
 * @param evidence the finding's numbers
 * @param epochMillis when it was raised
 */
public record Alert(
        String key,
        String type,
        Severity severity,
        String kind,
        String probe,
        String message,
        String recommendation,
        double health,
        Map<String, Double> evidence,
        long epochMillis) {

    /** Copies the evidence. */
    public Alert {
        evidence = Map.copyOf(evidence);
    }

    /** The alert as one JSON object (the webhook body); evidence sorted by name, numbers to 4 places. */
    public String toJson() {
        final StringBuilder out = new StringBuilder(256);
        final JsonWriter w = new JsonWriter(out);
        w.beginObject();
        w.name("source").value("hotpath");
        w.name("key").value(orEmpty(key));
        w.name("type").value(orEmpty(type));
        w.name("severity").value(severity.label());
        w.name("kind").value(orEmpty(kind));
        w.name("probe").value(orEmpty(probe));
        w.name("message").value(orEmpty(message));
        w.name("recommendation").value(orEmpty(recommendation));
        w.name("health").value(health, 4);
        w.name("time_ms").value(epochMillis);
        w.name("evidence").beginObject();
        for (Map.Entry<String, Double> e : new TreeMap<>(evidence).entrySet()) {
            w.name(e.getKey()).value(e.getValue(), 4);
        }
        w.endObject().endObject();
        return out.toString();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
