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
 * refused), {@code caller_ran} (tasks a pool handed back to the submitting thread), {@code blocked} (producers waiting
 * on a full queue) and {@code partial} (writes that took less than offered: sockets, Netty channels, Aeron
 * publications). A finding when their share of what was offered over the short window ({@link
 * ProbeState#offeredW()}: accepted plus refused) reaches {@code back-pressure.warning}.
 */
public final class BackPressureDetector implements ProbeDetector {
    /** Fewest pushed-back arrivals in the window for a share to mean anything. */
    static final int MIN_EVENTS = 5;

    /** Share of the window's ticks with a channel unwritable from which the finding is critical. */
    static final double UNWRITABLE_CRITICAL = 0.9;

    /**
     * Share of a probe's writes that came back partial, with nothing refused, from which partial writes alone are
     * back-pressure (warning), and from which they are critical. A non-blocking writer (a Netty event loop, a selector
     * loop) gets a partial write whenever the kernel's send buffer is momentarily full, keeps the rest and waits to be
     * told the socket is writable again: that is the socket's flow control, and with small send buffers a few percent
     * of the writes of a peer that keeps up come back partial. A reader slower than the writer keeps the send buffer
     * full, so most writes come back partial.
     */
    static final double PARTIAL_WARNING = 0.5;

    static final double PARTIAL_CRITICAL = 0.9;

    @Override
    public void detect(ProbeState p, AnalyzerConfig c, List<Observation> out) {
        if (unwritable(p, out)) {
            return; // one back-pressure observation per probe and tick
        }
        final long pressure = p.pressureW();
        // Refused work is offered work too: the share is refused / (accepted + refused), never refused / accepted.
        // An Aeron publication counts only its refused offers (a successful one is read from Aeron's position as
        // bytes, not messages): with no arrivals counted, the pushed-back ones are all the offers known.
        final long offered = p.offeredW();
        // The window gives the share; the last tick must show pressure too, or one burst of drops would hold for a
        // whole window and pass for a sustained condition.
        if (pressure < MIN_EVENTS || offered <= 0 || p.pressureTick == 0) {
            return;
        }
        final double share = p.pushedBackShare();
        final boolean partialOnly = p.partialW == pressure;
        if (share < (partialOnly ? PARTIAL_WARNING : c.backPressureWarning())) {
            return;
        }
        final Evidence evidence = new Evidence()
                .put("share", share)
                .put("dropped_per_s", p.rate(p.droppedW))
                .put("blocked_per_s", p.rate(p.blockedW))
                .put("partial_per_s", p.rate(p.partialW))
                .put("offered_per_s", p.rate(offered));
        if (p.kind == PathKind.EXECUTOR) {
            evidence.put("caller_ran_per_s", p.rate(p.callerRanW));
        }
        final String workQueue = WorkQueueEvidence.add(p, evidence);
        WhatIfEvidence.pool(p, evidence);
        String message;
        if (p.kind == PathKind.EXECUTOR && p.callerRanW > 0 && p.droppedW == 0) {
            // Nothing was lost: the pool's caller-runs policy ran the tasks on the threads that submitted them.
            message = p.callerRanW + " tasks ran on the submitting thread (" + Units.fixed(share * 100, 1)
                    + "% of those offered to " + p.name + " in " + Units.fixed(p.windowSeconds, 1)
                    + " s): the pool pushed back onto its callers";
        } else {
            message = Units.fixed(share * 100, 1) + "% of offers to " + p.name + " pushed back (" + describe(p) + ")";
        }
        message += workQueue;
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
                share >= (partialOnly ? PARTIAL_CRITICAL : c.backPressureCritical())
                        ? Severity.CRITICAL
                        : Severity.WARNING,
                Evidence.clamp01(share / (partialOnly ? PARTIAL_CRITICAL : Math.max(1e-9, c.backPressureCritical()))),
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
        append(sb, p.callerRanW, "ran by the caller", p);
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
            case EXECUTOR ->
                p.droppedW == 0 && p.callerRanW > 0
                        ? "the submitting threads run the work " + p.name + " cannot take, which slows them down:"
                                + " raise the pool size or the work-queue capacity of " + p.name
                                + ", or shorten its tasks"
                        : "tasks are rejected: raise the pool size or the work-queue capacity of " + p.name;
            case IPC ->
                "the peer or the network is slower than " + p.name + " writes: batch writes, raise the send"
                        + " buffer or the publication window, or slow the producer";
            case BROADCAST ->
                "writes to recipients of " + p.name + " fail: find the closed or failing channels; retries"
                        + " upstream amplify the load";
            case QUEUE ->
                "the consumer of " + p.name + " cannot keep up: add consumers or raise the drain batch size; a"
                        + " bigger capacity only delays the overflow";
            case BATCH, METHOD ->
                "the work behind " + p.name + " cannot keep up: raise the batch size or shorten the flush"
                        + " interval of " + p.name;
        };
    }
}
