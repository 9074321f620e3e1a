package io.hotpath.agent.report;

import io.hotpath.agent.analyze.AnalysisView;
import io.hotpath.agent.analyze.Incident;
import io.hotpath.agent.analyze.finding.Finding;
import io.hotpath.agent.optimize.Optimizer;
import io.hotpath.agent.optimize.whatif.Prediction;
import io.hotpath.agent.optimize.whatif.WhatIf;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.exporter.Severity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A compact plain-text block for stderr: a header, then the busiest probes of the last interval, one aligned line
 * each, then how many were left out. No colours or other escape sequences, and control characters in probe names are
 * replaced, so the block is safe in any terminal and in log files. Lines stay within {@link #MAX_WIDTH} columns.
 *
 * <pre>
 * hotpath 2025-06-01T12:00:49Z  uptime 2.12s  interval 1.01s  probes 4
 * kind      name                                          rate/s                 p50      p99    depth  refused/s
 * method    com.acme.Codec#encode(Lcom/acme/Status;)[B    calls 118k           807ns   20.7µs        -          -
 * queue     com.acme.StatusBroadcaster.&lt;init&gt;:57          in 40.6k out 29.6k  27.9µs    174µs    22.4k       11.8
 * executor  com.acme.Server.&lt;init&gt;:88 ThreadPoolExecutor  in 4.93k out 4.91k   680µs   1.06ms       20          0
 * </pre>
 *
 * <p>Columns (docs/dump-format.md, "The terminal summary"): the rate is in and out per second, or calls for probes
 * that count no messages (methods). The percentiles are of the last interval: for queues of the wait (time a consumer
 * waited) when the interval has any, else of the latency (time a blocked producer waited), else, when elements were
 * dequeued and no consumer had to wait (an overloaded queue: every take found an element), the mean time in the
 * queue by Little's law as p50 ({@code ~} depth / take rate; p99 {@code -}); for everything else of the latency;
 * {@code -} when the interval recorded nothing. Depth is the {@link Gauge#DEPTH}
 * gauge; refused/s the rate of refused work, the counter each kind names for it ({@link KindCounters}): offers a full
 * queue refused ({@code dropped}), tasks an executor rejected or handed back to the caller ({@code rejected} + {@code
 * caller_ran}), sends the transport back-pressured
 * ({@code back_pressured}), broadcast recipients whose write failed ({@code failed}); {@code -} for kinds without one.
 * Like the dump, the summary reads only the counters {@link KindCounters} lists for the probe's kind.
 */
public final class TerminalSummary {
    /** The widest a line gets: kind, the widest name, and every column. */
    static final int MAX_WIDTH = 120;

    /** Names longer than this are cut from the left, keeping the end, where the class and method are. */
    static final int NAME_WIDTH = 48;

    private static final int KIND_WIDTH = 9;
    private static final int RATE_WIDTH = 18; // "in 99.9k out 99.9k": Units.rate never exceeds 5 characters
    private static final int VALUE_WIDTH = 7;
    private static final int REFUSED_WIDTH = 9; // "refused/s"
    private static final String ELLIPSIS = "...";
    private static final String CONTINUATION = "    ";

    private TerminalSummary() {}

    /**
     * Formats the report, listing at most {@code top} probes, busiest first (by in + out + calls per second over the
     * interval, then by cumulative activity). Probes that have never counted anything are not listed.
     */
    public static String format(Report r, int top) {
        return format(r, top, null);
    }

    /**
     * Like {@link #format(Report, int)}, followed by the analyzer's block when {@code analysis} is not null: one line
     * with overall health and the count of active findings by severity, then each active incident (its root finding,
     * the chain of consequences and one short line per consequence, folded under it), then the findings in no incident
     * (info), at most {@code top} entries, most severe first, wrapped at word boundaries within {@link #MAX_WIDTH}, continuation lines indented:
     *
     * <pre>
     * health 0.42 unhealthy  findings 3 active (2 critical, 1 warning, 0 info)
     *   critical incident: saturation com.acme.Broadcaster.inbox is saturated: arrivals 41k/s &gt; drain 30k/s,
     *     depth +11k/s over the last second
     *     chain: Ingress.queue saturation+queue_depth &#8592; Broadcaster.inbox saturation
     *     &#8627; critical saturation on com.acme.Ingress.queue
     * </pre>
     */
    public static String format(Report r, int top, AnalysisView analysis) {
        return format(r, top, analysis, List.of());
    }

    /**
     * Like {@link #format(Report, int, AnalysisView)}, with the optimizer's estimates of its claimed steps ({@code
     * optimizer.estimates} in the dump) each under the finding that claimed it, beside the analyzer's pool estimate:
     * "what if batch 1 -> 2: 4.00k/s -> 8.00k/s (batch amortisation estimate), p99 3.20ms".
     */
    public static String format(Report r, int top, AnalysisView analysis, List<Optimizer.Estimate> estimates) {
        final String probes = formatProbes(r, top);
        if (analysis == null) {
            return probes;
        }
        final StringBuilder sb = new StringBuilder(probes);
        final List<Finding> active = analysis.active();
        int critical = 0;
        int warning = 0;
        int info = 0;
        for (Finding f : active) {
            if (f.severity() == Severity.CRITICAL) {
                critical++;
            } else if (f.severity() == Severity.WARNING) {
                warning++;
            } else {
                info++;
            }
        }
        sb.append(String.format(
                java.util.Locale.ROOT,
                "health %.2f %s  findings %d active (%d critical, %d warning, %d info)%n",
                analysis.health(),
                analysis.state().label(),
                active.size(),
                critical,
                warning,
                info));
        // Incidents first: each root with its consequences folded under it, one line per consequence.
        final java.util.Set<String> inIncident = new java.util.HashSet<>();
        final java.util.Map<String, Finding> byKey = new java.util.HashMap<>();
        for (Finding f : active) {
            byKey.put(f.key(), f);
        }
        int shown = 0;
        final List<Incident> incidents = analysis.activeIncidents();
        for (Incident i : incidents) {
            final Finding root = byKey.get(i.root());
            if (root == null) {
                continue;
            }
            inIncident.add(root.key());
            inIncident.addAll(i.consequences());
            if (shown++ >= top) {
                continue;
            }
            wrap(
                    sb,
                    "  " + i.severity().label() + " incident: " + root.kind().label() + " "
                            + printable(root.message()));
            if (!i.consequences().isEmpty()) {
                wrap(sb, "    chain: " + printable(i.chain()));
                for (String k : i.consequences()) {
                    final Finding c = byKey.get(k);
                    if (c != null) {
                        wrap(
                                sb,
                                "    \u21b3 " + c.severity().label() + " "
                                        + c.kind().label() + " on " + printable(c.probe()));
                    }
                }
            }
        }
        for (Finding f : active) {
            if (inIncident.contains(f.key())) {
                continue;
            }
            if (shown++ >= top) {
                continue;
            }
            wrap(
                    sb,
                    "  " + f.severity().label() + " " + f.kind().label() + " " + printable(f.message())
                            + (f.root() == null ? "" : " [caused by " + printable(f.root()) + "]"));
            final String whatIf = whatIf(f);
            if (whatIf != null) {
                wrap(sb, "    " + whatIf);
            }
            for (Optimizer.Estimate e : estimates) {
                // The analyzer's line already gives the pool's M/M/c estimate for one more thread.
                if (e.kind().equals(f.kind().label())
                        && e.probe().equals(f.probe())
                        && (whatIf == null || !e.prediction().model().equals(WhatIf.POOL_MODEL))) {
                    wrap(sb, "    " + whatIf(e));
                }
            }
        }
        if (shown > top) {
            sb.append("  (+").append(shown - top).append(" more)\n");
        }
        return sb.toString();
    }

    /**
     * The what-if line of a pool's finding ({@code what_if} in the dump): "what if pool size 2 -> 3: 1.00k/s -> 1.50k/s
     * (model), p99 4.61ms"; null when the finding has none.
     */
    static String whatIf(Finding f) {
        final Map<String, Double> e = f.evidence();
        final Double to = e.get(AnalysisJson.WHAT_IF + "pool_size_to");
        if (to == null) {
            return null;
        }
        final Double p99 = e.get(AnalysisJson.WHAT_IF + "p99_s");
        return "what if pool size "
                + e.get(AnalysisJson.WHAT_IF + "pool_size_from").longValue() + " -> "
                + to.longValue() + ": " + Units.rate(e.get(AnalysisJson.WHAT_IF + "throughput_per_s_now")) + "/s -> "
                + Units.rate(e.get(AnalysisJson.WHAT_IF + "throughput_per_s")) + "/s (" + WhatIf.POOL_MODEL
                + " estimate)"
                + (p99 == null ? ", still saturated" : ", p99 " + Units.duration((long) (p99 * 1e9)));
    }

    /**
     * The line of one of the optimizer's estimates: "what if batch 1 -> 2: 4.00k/s -> 8.00k/s (batch amortisation
     * estimate), p99 3.20ms", or "..., still the constraint" when the model cannot tell a p99.
     */
    static String whatIf(Optimizer.Estimate e) {
        final Prediction p = e.prediction();
        return "what if " + printable(e.tunable()) + " " + e.from() + " -> " + e.to() + ": "
                + Units.rate(p.throughputNowPerS()) + "/s -> " + Units.rate(p.throughputPerS()) + "/s ("
                + p.model() + " estimate)"
                + (Double.isFinite(p.p99Millis())
                        ? ", p99 " + Units.duration((long) (p.p99Millis() * 1e6))
                        : ", still the constraint");
    }

    /**
     * Appends {@code line} in lines of at most {@link #MAX_WIDTH}, broken at spaces (a number is never cut) and
     * continued with {@link #CONTINUATION}; a word longer than a whole line is cut where it must be.
     */
    static void wrap(StringBuilder sb, String line) {
        String rest = line;
        while (rest.length() > MAX_WIDTH) {
            int cut = rest.lastIndexOf(' ', MAX_WIDTH);
            if (cut <= CONTINUATION.length()) {
                cut = MAX_WIDTH;
            }
            sb.append(rest, 0, cut).append('\n');
            rest = CONTINUATION + rest.substring(cut).stripLeading();
        }
        sb.append(rest).append('\n');
    }

    private static String formatProbes(Report r, int top) {
        final List<ProbeReport> active = new ArrayList<>();
        for (ProbeReport p : r.probes()) {
            if (everCounted(p)) {
                active.add(p);
            }
        }
        active.sort(Comparator.comparingDouble(ProbeReport::activity)
                .thenComparingLong(TerminalSummary::cumulativeActivity)
                .reversed()
                .thenComparingInt(ProbeReport::id));
        final List<ProbeReport> shown = active.subList(0, Math.max(0, Math.min(top, active.size())));

        final StringBuilder sb = new StringBuilder();
        sb.append("hotpath ")
                .append(Instant.ofEpochMilli(r.epochMillis()).truncatedTo(ChronoUnit.SECONDS))
                .append("  uptime ")
                .append(Units.elapsed(r.uptimeSeconds()))
                .append("  interval ")
                .append(Units.elapsed(r.intervalSeconds()))
                .append("  probes ")
                .append(r.probes().size());
        if (r.rejectedRegistrations() > 0) {
            sb.append("  rejected ").append(r.rejectedRegistrations());
        }
        sb.append('\n');
        if (active.isEmpty()) {
            return sb.append("(no activity recorded)\n").toString();
        }

        int nameWidth = 4;
        for (ProbeReport p : shown) {
            nameWidth = Math.max(nameWidth, Math.min(NAME_WIDTH, p.name().length()));
        }
        if (!shown.isEmpty()) {
            row(sb, nameWidth, "kind", "name", "rate/s", "p50", "p99", "depth", "refused/s");
        }
        for (ProbeReport p : shown) {
            final Percentiles timing = timing(p);
            final long depth = p.gauge(Gauge.DEPTH);
            row(
                    sb,
                    nameWidth,
                    p.kind().label(),
                    abbreviate(printable(p.name()), nameWidth),
                    rate(p),
                    timing == null ? untimed(p, depth) : Units.duration(timing.p50()),
                    timing == null ? "-" : Units.duration(timing.p99()),
                    depth == Gauge.ABSENT ? "-" : Units.count(depth),
                    lists(p.kind(), Slot.DROPPED)
                            ? Units.rate(p.rate(Slot.DROPPED)
                                    + (lists(p.kind(), Slot.CALLER_RAN) ? p.rate(Slot.CALLER_RAN) : 0))
                            : "-");
        }
        if (active.size() > shown.size()) {
            sb.append("(+").append(active.size() - shown.size()).append(" more probes)\n");
        }
        notRecording(sb, r);
        return sb.toString();
    }

    /** Probes turned off (by the operator or their module) or failed: one line, the first few named. */
    private static void notRecording(StringBuilder sb, Report r) {
        int count = 0;
        for (ProbeReport p : r.probes()) {
            if (!"on".equals(p.state())) {
                if (count == 0) {
                    sb.append("not recording:");
                }
                if (count < NOT_RECORDING_NAMED) {
                    sb.append(' ')
                            .append(printable(p.name()))
                            .append(" (")
                            .append(p.state())
                            .append(')');
                }
                count++;
            }
        }
        if (count > NOT_RECORDING_NAMED) {
            sb.append(" and ").append(count - NOT_RECORDING_NAMED).append(" more");
        }
        if (count > 0) {
            sb.append('\n');
        }
    }

    /** Probes not recording named in the summary's line; the rest are counted. */
    private static final int NOT_RECORDING_NAMED = 5;

    private static void row(
            StringBuilder sb,
            int nameWidth,
            String kind,
            String name,
            String rate,
            String p50,
            String p99,
            String depth,
            String refused) {
        final int start = sb.length();
        pad(sb, kind, KIND_WIDTH, false).append(' ');
        pad(sb, name, nameWidth, false).append("  ");
        pad(sb, rate, RATE_WIDTH, false).append(' ');
        pad(sb, p50, VALUE_WIDTH, true).append("  ");
        pad(sb, p99, VALUE_WIDTH, true).append("  ");
        pad(sb, depth, VALUE_WIDTH, true).append("  ");
        pad(sb, refused, REFUSED_WIDTH, true);
        // Right-aligned last column: nothing trails; left-aligned text never ends a row.
        assert sb.length() - start <= MAX_WIDTH;
        sb.append('\n');
    }

    private static StringBuilder pad(StringBuilder sb, String text, int width, boolean right) {
        final int gap = Math.max(0, width - text.length());
        if (right) {
            sb.append(" ".repeat(gap)).append(text);
        } else {
            sb.append(text).append(" ".repeat(gap));
        }
        return sb;
    }

    /**
     * In and out per second; calls instead for kinds that count no messages (methods, batches) and for probes that
     * counted none (sends where only calls are counted), so that a method does not read as "in 0 out 0".
     */
    private static String rate(ProbeReport p) {
        if (!lists(p.kind(), Slot.IN) || (p.counter(Slot.IN) == 0 && p.counter(Slot.OUT) == 0)) {
            return "calls " + Units.rate(p.rate(Slot.CALLS));
        }
        return "in " + Units.rate(p.rate(Slot.IN)) + " out " + Units.rate(p.rate(Slot.OUT));
    }

    /**
     * The p50 cell of a probe that timed nothing in the interval. A queue whose consumers took elements without ever
     * finding it empty is the overloaded case, where the time that matters is the time an element spends waiting in
     * it: no element carries a timestamp, so this is Little's law's mean, depth over the rate of takes, marked
     * {@code ~} (0 when nothing waits).
     */
    private static String untimed(ProbeReport p, long depth) {
        final double out = p.rate(Slot.OUT);
        if (p.kind() != PathKind.QUEUE || out <= 0 || depth == Gauge.ABSENT) {
            return "-";
        }
        return "~" + Units.duration((long) (Math.max(0L, depth) / out * 1e9));
    }

    /** The interval distribution the timing columns show, or null when it recorded nothing. */
    private static Percentiles timing(ProbeReport p) {
        if (p.kind() == PathKind.QUEUE) {
            final ProbeReport.Distribution wait = p.dist(Dist.WAIT);
            if (wait != null && wait.interval().count() > 0) {
                return wait.interval();
            }
        }
        final ProbeReport.Distribution latency = p.dist(Dist.LATENCY);
        return latency != null && latency.interval().count() > 0 ? latency.interval() : null;
    }

    /** Whether {@code slot} is one of the counters {@link KindCounters} lists for {@code kind}. */
    private static boolean lists(PathKind kind, int slot) {
        for (int s : KindCounters.slots(kind)) {
            if (s == slot) {
                return true;
            }
        }
        return false;
    }

    private static boolean everCounted(ProbeReport p) {
        for (int slot : KindCounters.slots(p.kind())) {
            if (p.counter(slot) != 0) {
                return true;
            }
        }
        return false;
    }

    private static long cumulativeActivity(ProbeReport p) {
        return p.counter(Slot.IN) + p.counter(Slot.OUT) + p.counter(Slot.CALLS);
    }

    /** Keeps the end of a long name, where the class and method are: {@code ...ker.StatusBroadcaster#publish}. */
    static String abbreviate(String name, int width) {
        if (name.length() <= width) {
            return name;
        }
        return ELLIPSIS + name.substring(name.length() - (width - ELLIPSIS.length()));
    }

    /** Replaces control characters, so that a probe name cannot move the cursor or start an escape sequence. */
    static String printable(String name) {
        StringBuilder sb = null;
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                if (sb == null) {
                    sb = new StringBuilder(name);
                }
                sb.setCharAt(i, '?');
            }
        }
        return sb == null ? name : sb.toString();
    }
}
