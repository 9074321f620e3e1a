package io.hotpath.agent.report;

import io.hotpath.agent.alert.Alert;
import io.hotpath.agent.alert.AlertsView;
import io.hotpath.agent.analyze.AnalysisView;
import io.hotpath.agent.analyze.finding.Finding;
import java.util.Map;

/** The analyzer's sections of the dump: {@code health}, {@code findings}, {@code alerts}, {@code analyzer}. */
final class AnalysisJson {
    private static final int DECIMALS = 3;

    private AnalysisJson() {}

    static void write(JsonWriter w, AnalysisView v, AlertsView alerts) {
        health(w, v);
        findings(w, v);
        if (alerts != null) {
            alerts(w, alerts);
        }
        analyzer(w, v);
    }

    /** The {@code health} member. */
    static void health(JsonWriter w, AnalysisView v) {
        w.name("health").beginObject();
        w.name("score").value(v.health(), DECIMALS);
        w.name("state").value(v.state().label());
        w.name("probes").beginObject();
        for (Map.Entry<String, Double> e : new java.util.TreeMap<>(v.probeHealth()).entrySet()) {
            w.name(e.getKey()).value(e.getValue(), DECIMALS);
        }
        w.endObject();
        w.endObject();
    }

    /** The {@code findings} member. */
    static void findings(JsonWriter w, AnalysisView v) {
        w.name("findings").beginArray();
        for (Finding f : v.findings()) {
            w.newline();
            finding(w, f);
        }
        if (!v.findings().isEmpty()) {
            w.newline();
        }
        w.endArray();
    }

    /** The {@code alerts} member, with each alert's id and acknowledgement when the alerter keeps them. */
    static void alerts(JsonWriter w, AlertsView alerts) {
        w.name("alerts").beginObject();
        w.name("sent").value(alerts.sent());
        w.name("suppressed_cooldown").value(alerts.suppressedCooldown());
        w.name("suppressed_rate_limit").value(alerts.suppressedRateLimit());
        w.name("failed").value(alerts.failed());
        w.name("recent").beginArray();
        for (Alert a : alerts.recent()) {
            w.newline();
            w.beginObject();
            w.name("key").value(a.key());
            w.name("type").value(a.type());
            w.name("severity").value(a.severity().label());
            w.name("kind").value(a.kind());
            w.name("probe").value(a.probe());
            w.name("message").value(a.message());
            w.name("time_ms").value(a.epochMillis());
            if (alerts.acks() != null) {
                alerts.acks().write(w, a);
            }
            w.endObject();
        }
        w.endArray();
        w.endObject();
    }

    /** The {@code analyzer} member. */
    static void analyzer(JsonWriter w, AnalysisView v) {
        w.name("analyzer").beginObject();
        w.name("probes").value(v.probes());
        w.name("last_tick_us").value(v.tickNanos() / 1000.0, DECIMALS);
        w.name("dropped_observations").value(v.droppedObservations());
        w.endObject();
    }

    private static void finding(JsonWriter w, Finding f) {
        w.beginObject();
        w.name("key").value(f.key());
        w.name("kind").value(f.kind().label());
        w.name("probe").value(f.probe());
        w.name("severity").value(f.severity().label());
        w.name("peak_severity").value(f.peakSeverity().label());
        w.name("recurring").value(f.recurring());
        w.name("impact").value(f.impact(), DECIMALS);
        w.name("confidence").value(f.confidence(), DECIMALS);
        w.name("message").value(f.message());
        w.name("recommendation").value(f.recommendation());
        w.name("evidence").beginObject();
        for (Map.Entry<String, Double> e : f.evidence().entrySet()) {
            w.name(e.getKey()).value(e.getValue(), DECIMALS);
        }
        w.endObject();
        w.name("first_seen_ms").value(f.firstSeenMillis());
        w.name("detected_ms").value(f.detectedMillis());
        w.name("last_seen_ms").value(f.lastSeenMillis());
        w.name("resolved_ms").value(f.resolvedMillis());
        w.name("root").value(f.root());
        w.name("linked").beginArray();
        for (String k : f.linked()) {
            w.value(k);
        }
        w.endArray();
        w.endObject();
    }
}
