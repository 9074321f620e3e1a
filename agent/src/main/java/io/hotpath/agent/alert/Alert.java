package io.hotpath.agent.alert;

import io.hotpath.exporter.Severity;
import java.util.Map;

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

    /** The alert as one JSON object (the webhook body). */
    public String toJson() {
        final StringBuilder sb = new StringBuilder(256);
        sb.append('{');
        field(sb, "source", "hotpath").append(',');
        field(sb, "key", key).append(',');
        field(sb, "type", type).append(',');
        field(sb, "severity", severity.label()).append(',');
        field(sb, "kind", kind).append(',');
        field(sb, "probe", probe).append(',');
        field(sb, "message", message).append(',');
        field(sb, "recommendation", recommendation).append(',');
        sb.append("\"health\":").append(number(health)).append(',');
        sb.append("\"time_ms\":").append(epochMillis).append(',');
        sb.append("\"evidence\":{");
        boolean first = true;
        for (Map.Entry<String, Double> e : new java.util.TreeMap<>(evidence).entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            quote(sb, e.getKey()).append(':').append(number(e.getValue()));
        }
        return sb.append("}}").toString();
    }

    private static StringBuilder field(StringBuilder sb, String name, String value) {
        return quote(quote(sb, name).append(':'), value == null ? "" : value);
    }

    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "0";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }

    static StringBuilder quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }
}
