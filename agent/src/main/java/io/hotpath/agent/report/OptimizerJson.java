package io.hotpath.agent.report;

import io.hotpath.agent.optimize.AuditEntry;
import io.hotpath.agent.optimize.Optimizer;
import io.hotpath.agent.optimize.tunable.TunableRegistry;
import io.hotpath.agent.optimize.whatif.Outcome;
import java.util.Map;

/**
 * The optimizer's section of the dump, {@code "optimizer": {"mode", "tunables": [...], "audit": [...]}}, written by
 * {@link JsonDump} whenever the optimizer runs (not with {@code hotpath.optimizer.mode=off}).
 */
final class OptimizerJson {
    private OptimizerJson() {}

    static void write(JsonWriter w, Optimizer.Report r) {
        w.name("optimizer").beginObject();
        tunables(w, r);
        audit(w, r.auditTotal(), r.audit());
        estimates(w, r.estimates());
        w.endObject();
    }

    /**
     * The {@code estimates} member: per tunable a finding claimed in the last window, what its nominal step (pool +1,
     * batch ×2, flush interval ÷2 or ×2) is estimated to do, beside the finding (docs/optimizer.md, "What-if"); in
     * the order the optimizer tries them.
     */
    static void estimates(JsonWriter w, java.util.List<Optimizer.Estimate> estimates) {
        w.name("estimates").beginArray();
        for (Optimizer.Estimate e : estimates) {
            w.newline();
            w.beginObject();
            w.name("tunable").value(e.tunable());
            w.name("finding_kind").value(e.kind());
            w.name("probe").value(e.probe());
            w.name("from").value(e.from());
            w.name("to").value(e.to());
            w.name("model").value(e.prediction().model());
            finite(w, "throughput_now_per_s", e.prediction().throughputNowPerS());
            finite(w, "throughput_per_s", e.prediction().throughputPerS());
            finite(w, "p99_ms", e.prediction().p99Millis());
            w.endObject();
        }
        if (!estimates.isEmpty()) {
            w.newline();
        }
        w.endArray();
    }

    /** The {@code mode} and {@code tunables} members. */
    static void tunables(JsonWriter w, Optimizer.Report r) {
        w.name("mode").value(r.mode());
        w.name("tunables").beginArray();
        for (TunableRegistry.Row t : r.tunables()) {
            w.newline();
            w.beginObject();
            w.name("name").value(t.name());
            w.name("role").value(t.role());
            w.name("owner").value(t.owner());
            w.name("field").value(t.field());
            w.name("min").value(t.min());
            w.name("max").value(t.max());
            w.name("current");
            if (t.current().isPresent()) {
                w.value(t.current().getAsLong());
            } else {
                w.value((String) null);
            }
            w.name("original");
            if (t.original().isPresent()) {
                w.value(t.original().getAsLong());
            } else {
                w.value((String) null);
            }
            w.name("value_from").value(t.overridden() ? "optimizer" : "application");
            w.endObject();
        }
        if (!r.tunables().isEmpty()) {
            w.newline();
        }
        w.endArray();
    }

    /** The {@code audit_total} and {@code audit} members. */
    static void audit(JsonWriter w, long total, java.util.List<AuditEntry> entries) {
        w.name("audit_total").value(total);
        w.name("audit").beginArray();
        for (AuditEntry e : entries) {
            w.newline();
            w.beginObject();
            w.name("time_ms").value(e.epochMillis());
            w.name("action").value(e.action());
            w.name("tunable").value(e.tunable());
            w.name("from");
            if (e.from() != null) {
                w.value(e.from().longValue());
            } else {
                w.value((String) null);
            }
            w.name("to");
            if (e.to() != null) {
                w.value(e.to().longValue());
            } else {
                w.value((String) null);
            }
            w.name("mode").value(e.mode());
            w.name("reason").value(e.reason());
            whatIf(w, e.whatIf());
            w.endObject();
        }
        if (!entries.isEmpty()) {
            w.newline();
        }
        w.endArray();
    }

    /**
     * An audit entry's {@code what_if} object (docs/dump-format.md): the estimate on a change or recommendation, the
     * estimate and what was observed on the verdict that ends its evaluation. Nothing when the entry has none; an
     * unknown figure is left out, not written as 0.
     */
    static void whatIf(JsonWriter w, Outcome o) {
        if (o == null) {
            return;
        }
        w.name("what_if").beginObject();
        w.name("model").value(o.model());
        for (Map.Entry<String, Number> f : o.figures().entrySet()) {
            if (f.getValue() instanceof Integer n) {
                w.name(f.getKey()).value(n.longValue());
            } else {
                w.name(f.getKey()).value(f.getValue().doubleValue(), 3);
            }
        }
        w.endObject();
    }

    private static void finite(JsonWriter w, String name, double v) {
        if (Double.isFinite(v)) {
            w.name(name).value(v, 3);
        }
    }
}
