package io.hotpath.agent.analyze.detect;

import io.hotpath.agent.analyze.AnalyzerConfig;
import io.hotpath.agent.analyze.Laggards;
import io.hotpath.agent.analyze.finding.Evidence;
import io.hotpath.agent.analyze.finding.FindingKind;
import io.hotpath.agent.analyze.finding.Observation;
import io.hotpath.agent.report.KindCounters;
import io.hotpath.agent.report.Units;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import io.hotpath.exporter.Severity;
import java.util.List;

/**
 * Arrivals that met back-pressure, for every kind alike: {@code dropped} (queue overflow, rejected tasks, sends
 * refused), {@code blocked} (producers waiting on a full queue) and {@code partial} (writes that took less than
 * offered: sockets, Netty channels, Aeron publications). A finding when their share of arrivals over the short window
 * reaches {@code back-pressure.warning}.
 */
public final class BackPressureDetector implements ProbeDetector {
    /** Fewest pushed-back arrivals in the window for a share to mean anything. */
    static final int MIN_EVENTS = 5;

    /** Share of the window's ticks with a channel unwritable from which the finding is critical. */
    static final double UNWRITABLE_CRITICAL = 0.9;

    @Override
    public void detect(ProbeState p, AnalyzerConfig c, List<Observation> out) {
        if (unwritable(p, out)) {
            return; // one back-pressure observation per probe and tick
        }
        final long pressure = p.pressureW();
        // An Aeron publication counts only its refused offers (a successful one is read from Aeron's position as
        // bytes, not messages): with no arrivals counted, the pushed-back ones are all the arrivals known.
        final long arrivals = Math.max(p.arrivalsW(), pressure);
        // The window gives the share; the last tick must show pressure too, or one burst of drops would hold for a
        // whole window and pass for a sustained condition.
        if (pressure < MIN_EVENTS || arrivals <= 0 || p.pressureTick == 0) {
            return;
        }
        final double share = Math.min(1.0, (double) pressure / arrivals);
        if (share < c.backPressureWarning()) {
            return;
        }
        final Evidence evidence = new Evidence()
                .put("share", share)
                .put("dropped_per_s", p.rate(p.droppedW))
                .put("blocked_per_s", p.rate(p.blockedW))
                .put("partial_per_s", p.rate(p.partialW))
                .put("arrivals_per_s", p.rate(arrivals));
        String message =
                Units.fixed(share * 100, 1) + "% of arrivals at " + p.name + " pushed back (" + describe(p) + ")";
        String recommendation = recommendation(p);
        // A stream whose subscribers the agent reads (Aeron): the publisher waits for the slowest one, so name it.
        final Laggards.Laggard laggard = p.kind == PathKind.IPC ? Laggards.of(p.name) : null;
        if (laggard != null && laggard.lagBytes() > 0) {
            evidence.put("lag_bytes", (double) laggard.lagBytes())
                    .put("window_bytes", (double) laggard.windowBytes())
                    .put("subscribers", (double) laggard.count());
            message += "; slowest subscriber " + laggard.subscriber() + " is " + laggard.lagBytes()
                    + " B behind" + (laggard.windowBytes() <= 0 ? ", the publisher is at its limit" : "")
                    + (laggard.count() > 1 ? " (" + laggard.subscribers() + ")" : "");
            recommendation = laggard.subscriber() + " holds the publisher back: speed up its poll loop (bigger"
                    + " fragment limit, less work per fragment) or hand its work to another thread; a bigger term"
                    + " length only delays the back-pressure";
        }
        out.add(new Observation(
                FindingKind.BACK_PRESSURE,
                p.name,
                share >= c.backPressureCritical() ? Severity.CRITICAL : Severity.WARNING,
                Evidence.clamp01(share / Math.max(1e-9, c.backPressureCritical())),
                Evidence.clamp01(pressure / 50.0),
                evidence.map(),
                message,
                recommendation));
    }

    /**
     * Netty channels unwritable (outbound buffer over its high-water mark): a condition in time, not a share of
     * arrivals (a channel turns unwritable once and stays so while its peer reads slowly). Holds at a tick when a
     * channel is unwritable then or turned unwritable during the tick; the tracker confirms it over half the window
     * like any other condition, so a short episode in a burst is not a finding.
     */
    private static boolean unwritable(ProbeState p, List<Observation> out) {
        if ((p.unwritableBits & 1) == 0) {
            return false;
        }
        final double share = p.unwritableShare();
        out.add(new Observation(
                FindingKind.BACK_PRESSURE,
                p.name,
                share >= UNWRITABLE_CRITICAL ? Severity.CRITICAL : Severity.WARNING,
                Evidence.clamp01(share),
                Evidence.clamp01(p.windowTicks() * share / 5.0),
                new Evidence()
                        .put("unwritable_share", share)
                        .put("unwritable_channels", (double) p.unwritableOpen)
                        .put("arrivals_per_s", p.rate(p.arrivalsW()))
                        .put("completions_per_s", p.rate(p.outW))
                        .map(),
                p.unwritableOpen + " channel(s) at " + p.name + " unwritable, " + Units.fixed(share * 100, 0)
                        + "% of the last " + Units.fixed(p.windowSeconds, 1)
                        + " s: the peer reads slower than it is written to",
                "a peer of " + p.name + " reads too slowly: find the slow reader, shed or coalesce its messages, or"
                        + " raise the write-buffer high-water mark only to ride out bursts"));
        return true;
    }

    private static String describe(ProbeState p) {
        final StringBuilder sb = new StringBuilder();
        // The refused work in the dump's word for the kind: dropped, rejected, failed or back-pressured.
        append(sb, p.droppedW, KindCounters.key(p.kind, Slot.DROPPED).replace('_', '-'), p);
        append(sb, p.blockedW, "blocked", p);
        append(sb, p.partialW, "partial writes", p);
        return sb.toString();
    }

    private static void append(StringBuilder sb, long n, String what, ProbeState p) {
        if (n > 0) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(what).append(' ').append(Units.rate(p.rate(n))).append("/s");
        }
    }

    private static String recommendation(ProbeState p) {
        return switch (p.kind) {
            case EXECUTOR -> "tasks are rejected: raise the pool size or the work-queue capacity of " + p.name;
            case IPC ->
                "the peer or the network is slower than " + p.name + " writes: batch writes, raise the send"
                        + " buffer or the publication window, or slow the producer";
            default ->
                "the consumer of " + p.name + " cannot keep up: add consumers or raise the batch size; a"
                        + " bigger capacity only delays the overflow";
        };
    }
}
