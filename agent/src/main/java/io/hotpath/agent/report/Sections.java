package io.hotpath.agent.report;

import io.hotpath.agent.alert.AlertsView;
import io.hotpath.agent.analyze.AnalysisView;
import io.hotpath.agent.optimize.AuditEntry;
import io.hotpath.agent.optimize.Optimizer;
import java.util.List;
import java.util.function.Consumer;

/**
 * The dump's sections one at a time, for the narrower reads of the operator surfaces: each is a JSON object holding
 * exactly the member(s) of that name the dump has ({@code docs/dump-format.md}), written by the same code.
 */
public final class Sections {
    private Sections() {}

    /** {@code {"probes":[...],"probe_table":{...}}}. */
    public static String probes(Report r) {
        return object(w -> JsonDump.probes(w, r));
    }

    /** {@code {"health":{...}}}. */
    public static String health(AnalysisView v) {
        return object(w -> AnalysisJson.health(w, v));
    }

    /** {@code {"findings":[...]}}. */
    public static String findings(AnalysisView v) {
        return object(w -> AnalysisJson.findings(w, v));
    }

    /** {@code {"incidents":[...]}}. */
    public static String incidents(AnalysisView v) {
        return object(w -> AnalysisJson.incidents(w, v));
    }

    /** {@code {"pipeline":{"stages":[...],"edges":[...],"edge_overflow":N}}}. */
    public static String pipeline(AnalysisView v) {
        return object(w -> AnalysisJson.pipeline(w, v.pipeline()));
    }

    /** {@code {"alerts":{...}}}. */
    public static String alerts(AlertsView a) {
        return object(w -> AnalysisJson.alerts(w, a));
    }

    /** {@code {"mode":"...","tunables":[...]}}. */
    public static String tunables(Optimizer.Report r) {
        return object(w -> OptimizerJson.tunables(w, r));
    }

    /** {@code {"audit_total":N,"audit":[...]}}. */
    public static String audit(long total, List<AuditEntry> entries) {
        return object(w -> OptimizerJson.audit(w, total, entries));
    }

    /** {@code {"self":{...}}}, or {@code {}} before the agent measured itself. */
    public static String self() {
        return object(JsonDump::self);
    }

    private static String object(Consumer<JsonWriter> members) {
        final StringBuilder b = new StringBuilder(256);
        final JsonWriter w = new JsonWriter(b);
        w.beginObject();
        members.accept(w);
        w.endObject();
        return b.append('\n').toString();
    }
}
