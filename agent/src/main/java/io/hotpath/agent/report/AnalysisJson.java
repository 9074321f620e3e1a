package io.hotpath.agent.report;

import io.hotpath.agent.alert.Alert;
import io.hotpath.agent.alert.AlertsView;
import io.hotpath.agent.analyze.AnalysisView;
import io.hotpath.agent.analyze.Incident;
import io.hotpath.agent.analyze.Pipeline;
import io.hotpath.agent.analyze.finding.Finding;
import java.util.Map;

/**
 * The analyzer's sections of the dump: {@code health}, {@code findings}, {@code incidents}, {@code pipeline}, {@code
 * alerts}, {@code analyzer}.
 */
final class AnalysisJson {
    private static final int DECIMALS = 3;

    /** Evidence members under this prefix are written as one {@code what_if} object. */
    static final String WHAT_IF = "what_if.";

    private AnalysisJson() {}

    static void write(JsonWriter w, AnalysisView v, AlertsView alerts) {
        health(w, v);
        findings(w, v);
        incidents(w, v);
        pipeline(w, v.pipeline());
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

    /** The {@code incidents} member. */
    static void incidents(JsonWriter w, AnalysisView v) {
        w.name("incidents").beginArray();
        for (Incident i : v.incidents()) {
            w.newline();
            w.beginObject();
            w.name("key").value(i.key());
            w.name("root").value(i.root());
            w.name("kind").value(i.kind());
            w.name("probe").value(i.probe());
            w.name("severity").value(i.severity().label());
            w.name("peak_severity").value(i.peakSeverity().label());
            w.name("chain").value(i.chain());
            w.name("consequences").beginArray();
            for (String k : i.consequences()) {
                w.value(k);
            }
            w.endArray();
            w.name("opened_ms").value(i.openedMillis());
            w.name("resolved_ms").value(i.resolvedMillis());
            w.endObject();
        }
        if (!v.incidents().isEmpty()) {
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
        boolean whatIf = false;
        for (Map.Entry<String, Double> e : f.evidence().entrySet()) {
            if (e.getKey().startsWith(WHAT_IF)) {
                whatIf = true;
            } else {
                w.name(e.getKey()).value(e.getValue(), DECIMALS);
            }
        }
        if (whatIf) {
            // The estimate of what a change would do (docs/analyzer.md, "What-if"), one object beside the figures.
            w.name("what_if").beginObject();
            for (Map.Entry<String, Double> e : f.evidence().entrySet()) {
                if (e.getKey().startsWith(WHAT_IF)) {
                    w.name(e.getKey().substring(WHAT_IF.length())).value(e.getValue(), DECIMALS);
                }
            }
            w.endObject();
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

    /** The {@code pipeline} member. */
    static void pipeline(JsonWriter w, Pipeline p) {
        w.name("pipeline").beginObject();
        w.name("stages").beginArray();
        for (Pipeline.Stage s : p.stages()) {
            w.newline();
            w.beginObject();
            w.name("probe").value(s.probe());
            w.name("kind").value(s.kind());
            if (s.stageOf() != null) {
                w.name("stage_of").value(s.stageOf());
            }
            figure(w, "arrival_per_s", s.arrivalRate());
            figure(w, "out_per_s", s.outRate());
            figure(w, "utilisation", s.utilisation());
            figure(w, "service_per_s", s.serviceRate());
            figure(w, "queueing_delay_ms", s.queueingDelayMillis());
            w.endObject();
        }
        if (!p.stages().isEmpty()) {
            w.newline();
        }
        w.endArray();
        w.name("edges").beginArray();
        for (Pipeline.Edge e : p.edges()) {
            w.newline();
            w.beginObject();
            w.name("from").value(e.from());
            w.name("to").value(e.to());
            w.name("samples").value(e.samples());
            figure(w, "rate_per_s", e.rate());
            w.endObject();
        }
        if (!p.edges().isEmpty()) {
            w.newline();
        }
        w.endArray();
        w.name("edge_overflow").value(p.overflow());
        w.endObject();
    }

    /** A figure that cannot be told (NaN) is left out, not written as 0. */
    private static void figure(JsonWriter w, String name, double value) {
        if (Double.isFinite(value)) {
            w.name(name).value(value, DECIMALS);
        }
    }
}
