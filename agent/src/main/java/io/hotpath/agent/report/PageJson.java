package io.hotpath.agent.report;

import io.hotpath.agent.alert.Alert;
import io.hotpath.agent.alert.AlertsView;
import io.hotpath.agent.analyze.AnalysisView;
import io.hotpath.agent.analyze.finding.Finding;
import io.hotpath.agent.optimize.AuditEntry;
import io.hotpath.agent.optimize.Optimizer;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live page's document ({@code GET /api/page}, schema {@value #SCHEMA}, docs/http-api.md): what the dashboard
 * shows and nothing more. The dump carries every probe with every percentile (about 0.9 MB and tens of milliseconds
 * of percentile work at 1,000 probes); the page charts a handful. So this document ranks all probes by rate from their
 * counters alone (no histogram is read), and builds the percentiles of the chosen probes only: the {@code top}
 * busiest, plus every probe a finding or an alert names, plus those whose health is below 1. Each chosen probe is one
 * small object with the three figures a chart plots (rate, p99 and depth) and the rates the table shows; of its
 * histograms only the one interval percentile the chart plots is computed.
 */
public final class PageJson {
    /** The value of the top-level {@code schema} member. */
    public static final String SCHEMA = "hotpath.page/1";

    /** Busiest probes sent when the request does not say. */
    public static final int TOP_DEFAULT = 16;

    /** Most busiest probes one request may ask for. */
    public static final int TOP_MAX = 100;

    /**
     * Probes named by findings and alerts that are sent beside the busiest; the analyzer keeps findings and alerts
     * bounded already, this bounds the document whatever they hold.
     */
    static final int NAMED_MAX = 100;

    /** Newest optimizer audit entries sent (the page's table shows this many). */
    public static final int AUDIT_MAX = 100;

    private static final int DECIMALS = 3;
    private static final double NANOS_PER_SECOND = 1e9;

    private PageJson() {}

    /**
     * The page document.
     *
     * @param now the newest snapshot
     * @param base the snapshot rates run from, or null (then from {@code startNanoTime})
     * @param startNanoTime the agent's start
     * @param meta the dump's {@code meta} pairs
     * @param analysis the analyzer's view, or null when it is off
     * @param alerts the alerter's view, or null when alerts are off
     * @param optimizer the optimizer's report, or null when it is off
     * @param top how many of the busiest probes to send, 1 to {@link #TOP_MAX}
     */
    public static String toJson(
            Snapshot now,
            Snapshot base,
            long startNanoTime,
            Map<String, String> meta,
            AnalysisView analysis,
            AlertsView alerts,
            Optimizer.Report optimizer,
            int top) {
        if (top < 1 || top > TOP_MAX) {
            throw new IllegalArgumentException("top " + top + " not allowed; allowed: 1 to " + TOP_MAX);
        }
        final long fromNanos = base == null ? startNanoTime : base.nanoTime();
        final double seconds = Math.max(0L, now.nanoTime() - fromNanos) / NANOS_PER_SECOND;
        final ProbeSample[] before = base == null ? new ProbeSample[0] : byId(base.probes());
        final List<ProbeSample> samples = now.probes();

        // Rank by activity (in + out + calls per second) from the counters alone: a bounded selection of the top
        // ones, O(probes x top), with no sort of the whole table and no histogram read.
        final int n = samples.size();
        final int[] best = new int[top];
        final double[] bestRate = new double[top];
        int kept = 0;
        int shown = 0;
        for (int i = 0; i < n; i++) {
            final ProbeSample s = samples.get(i);
            shown++;
            if (s.id() == 0) {
                continue; // hotpath.overflow, the probe every site shares once the table is full: never charted
            }
            final double rate = activity(s, s.id() < before.length ? before[s.id()] : null, seconds);
            if (rate <= 0 || (kept == top && rate <= bestRate[kept - 1])) {
                continue;
            }
            int at = kept == top ? top - 1 : kept++;
            while (at > 0 && bestRate[at - 1] < rate) {
                best[at] = best[at - 1];
                bestRate[at] = bestRate[at - 1];
                at--;
            }
            best[at] = i;
            bestRate[at] = rate;
        }
        final Set<String> named = named(analysis, alerts);
        final List<ProbeSample> chosen = new ArrayList<>(kept + named.size());
        final Set<String> taken = new HashSet<>();
        for (int k = 0; k < kept; k++) {
            final ProbeSample s = samples.get(best[k]);
            chosen.add(s);
            taken.add(s.name());
        }
        if (!named.isEmpty()) {
            for (ProbeSample s : samples) {
                if (named.contains(s.name()) && taken.add(s.name())) {
                    chosen.add(s);
                }
            }
        }

        final StringBuilder sb = new StringBuilder(2048 + 384 * chosen.size());
        final JsonWriter w = new JsonWriter(sb);
        w.beginObject();
        w.name("schema").value(SCHEMA);
        w.name("time").value(Instant.ofEpochMilli(now.epochMillis()).toString());
        w.name("uptime_s").value(Math.max(0L, now.nanoTime() - startNanoTime) / NANOS_PER_SECOND, DECIMALS);
        w.name("interval_s").value(seconds, DECIMALS);
        w.name("meta").beginObject();
        for (Map.Entry<String, String> e : meta.entrySet()) {
            w.name(e.getKey()).value(e.getValue());
        }
        w.endObject();
        w.name("probe_count").value(shown);
        w.name("top").value(top);
        final Percentiles.Calculator calculator = new Percentiles.Calculator();
        w.name("probes").beginArray();
        for (ProbeSample s : chosen) {
            w.newline();
            probe(w, s, s.id() < before.length ? before[s.id()] : null, seconds, calculator);
        }
        if (!chosen.isEmpty()) {
            w.newline();
        }
        w.endArray();
        JsonDump.self(w);
        if (analysis != null) {
            AnalysisJson.health(w, analysis);
            AnalysisJson.findings(w, analysis);
            if (alerts != null) {
                AnalysisJson.alerts(w, alerts);
            }
        }
        if (optimizer != null) {
            w.name("optimizer").beginObject();
            OptimizerJson.tunables(w, optimizer);
            final List<AuditEntry> audit = optimizer.audit();
            OptimizerJson.audit(
                    w, optimizer.auditTotal(), audit.subList(Math.max(0, audit.size() - AUDIT_MAX), audit.size()));
            w.endObject();
        }
        w.endObject();
        return sb.append('\n').toString();
    }

    /** Probes that findings and alerts name (at most {@link #NAMED_MAX}). */
    private static Set<String> named(AnalysisView analysis, AlertsView alerts) {
        final Set<String> names = new HashSet<>();
        if (analysis != null) {
            for (Finding f : analysis.findings()) {
                if (names.size() < NAMED_MAX && f.probe() != null) {
                    names.add(f.probe());
                }
            }
            for (String p : analysis.probeHealth().keySet()) {
                if (names.size() < NAMED_MAX) {
                    names.add(p);
                }
            }
        }
        if (alerts != null) {
            for (Alert a : alerts.recent()) {
                if (names.size() < NAMED_MAX && a.probe() != null) {
                    names.add(a.probe());
                }
            }
        }
        return names;
    }

    private static double activity(ProbeSample now, ProbeSample before, double seconds) {
        if (seconds <= 0) {
            return 0;
        }
        long delta = 0;
        delta += Math.max(0L, now.counter(Slot.IN) - (before == null ? 0L : before.counter(Slot.IN)));
        delta += Math.max(0L, now.counter(Slot.OUT) - (before == null ? 0L : before.counter(Slot.OUT)));
        delta += Math.max(0L, now.counter(Slot.CALLS) - (before == null ? 0L : before.counter(Slot.CALLS)));
        return delta / seconds;
    }

    /**
     * One probe as the page shows it: its rates by the dump's counter keys, the p99 a chart plots (a queue's consumer
     * wait when a consumer waited in the interval, else its latency; the latency of every other kind) and its depth.
     * Only that one interval percentile is computed, not the dump's cumulative and interval sets of every distribution.
     */
    private static void probe(
            JsonWriter w, ProbeSample now, ProbeSample before, double seconds, Percentiles.Calculator calculator) {
        w.beginObject();
        w.name("id").value(now.id());
        w.name("name").value(now.name());
        w.name("kind").value(now.kind().label());
        w.name("rates").beginObject();
        for (int slot : KindCounters.slots(now.kind())) {
            final long delta = now.counter(slot) - (before == null ? 0L : before.counter(slot));
            // As in the dump: counters only grow, and no interval means no rate.
            w.name(KindCounters.key(now.kind(), slot))
                    .value(seconds > 0 ? Math.max(0L, delta) / seconds : 0.0, DECIMALS);
        }
        w.endObject();
        Percentiles p99 = null;
        if (now.kind() == PathKind.QUEUE) {
            p99 = interval(now, before, Dist.WAIT, calculator);
        }
        if (p99 == null) {
            p99 = interval(now, before, Dist.LATENCY, calculator);
        }
        w.name("p99_ns");
        if (p99 != null) {
            w.value(p99.p99());
        } else {
            w.value((String) null);
        }
        final long depth = now.gauge(Gauge.DEPTH);
        w.name("depth");
        if (depth != Gauge.ABSENT) {
            w.value(depth);
        } else {
            w.value((String) null);
        }
        w.endObject();
    }

    /** The distribution's percentiles over the interval, or null when nothing was recorded in it. */
    private static Percentiles interval(
            ProbeSample now, ProbeSample before, int dist, Percentiles.Calculator calculator) {
        final long[] counts = now.dist(dist);
        if (counts == null) {
            return null;
        }
        final long[] earlier = before == null ? null : before.dist(dist);
        if (earlier == counts) {
            return null; // idle: the taker shares the unchanged array
        }
        final Percentiles p = calculator.between(counts, earlier);
        return p.count() == 0 ? null : p;
    }

    private static ProbeSample[] byId(List<ProbeSample> samples) {
        int maxId = -1;
        for (ProbeSample s : samples) {
            maxId = Math.max(maxId, s.id());
        }
        final ProbeSample[] out = new ProbeSample[maxId + 1];
        for (ProbeSample s : samples) {
            out[s.id()] = s;
        }
        return out;
    }
}
