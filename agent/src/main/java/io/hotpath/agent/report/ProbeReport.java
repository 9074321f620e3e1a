package io.hotpath.agent.report;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One probe in a {@link Report}: cumulative counters, their rates over the report's interval, percentiles of each
 * distribution the probe has (cumulative and over the interval), and gauges. Arrays are indexed by {@link Slot},
 * {@link Dist} and {@link Gauge} and are read-only.
 *
 * @param id the probe id
 * @param name the probe's stable name
 * @param kind what the probe measures
 * @param counters cumulative totals by {@link Slot} index
 * @param rates per second over the interval by {@link Slot} index; finite, never negative
 * @param dists by {@link Dist} index, null where the probe has no such distribution
 * @param gauges by {@link Gauge} index, -1 where not applicable
 * @param state {@code on}, {@code off} (by the operator), {@code module-off} or {@code failed}
 */
record ProbeReport(
        int id,
        String name,
        PathKind kind,
        long[] counters,
        double[] rates,
        Distribution[] dists,
        long[] gauges,
        String state) {

    /**
     * The statistics of one distribution.
     *
     * @param cumulative over everything recorded since the probe was registered
     * @param interval over the report's interval only
     */
    public record Distribution(Percentiles cumulative, Percentiles interval) {}

    /** A cumulative counter by {@link Slot} index. */
    public long counter(int slot) {
        return counters[slot];
    }

    /** A counter's rate per second over the interval, by {@link Slot} index. */
    public double rate(int slot) {
        return rates[slot];
    }

    /** A distribution by {@link Dist} index, or null when the probe has none. */
    public Distribution dist(int dist) {
        return dists[dist];
    }

    /** A gauge by {@link Gauge} index; -1 when not applicable. */
    public long gauge(int gauge) {
        return gauges[gauge];
    }

    /** The counters meaningful for this probe's kind, by {@link KindCounters#key}, in output order. */
    public Map<String, Long> countersByName() {
        final Map<String, Long> byName = new LinkedHashMap<>();
        for (int slot : KindCounters.slots(kind)) {
            byName.put(KindCounters.key(kind, slot), counters[slot]);
        }
        return Collections.unmodifiableMap(byName);
    }

    /** The rates of the counters meaningful for this probe's kind, by {@link KindCounters#key}, in output order. */
    public Map<String, Double> ratesByName() {
        final Map<String, Double> byName = new LinkedHashMap<>();
        for (int slot : KindCounters.slots(kind)) {
            byName.put(KindCounters.key(kind, slot), rates[slot]);
        }
        return Collections.unmodifiableMap(byName);
    }

    /** The events per second that rank probes by activity: in + out + calls over the interval. */
    public double activity() {
        return rates[Slot.IN] + rates[Slot.OUT] + rates[Slot.CALLS];
    }

    /**
     * Builds the report of one probe.
     *
     * @param before the same probe in the earlier snapshot, or null when it was not there (all its counts are then
     *     taken as recorded within {@code seconds})
     * @param seconds the length of the interval; rates are 0 when it is not positive
     */
    static ProbeReport of(ProbeSample now, ProbeSample before, double seconds, Percentiles.Calculator calculator) {
        final double[] rates = new double[Slot.COUNT];
        if (seconds > 0) {
            for (int slot = 0; slot < Slot.COUNT; slot++) {
                final long delta = now.counter(slot) - (before == null ? 0L : before.counter(slot));
                // Counters only grow; a negative delta can only mean snapshots passed in the wrong order.
                rates[slot] = Math.max(0L, delta) / seconds;
            }
        }
        final Distribution[] dists = new Distribution[Dist.COUNT];
        for (int d = 0; d < Dist.COUNT; d++) {
            final long[] counts = now.dist(d);
            if (counts != null) {
                final long[] earlier = before == null ? null : before.dist(d);
                final Percentiles cumulative = calculator.between(counts, null);
                // With no earlier read the interval is everything; an idle interval (the taker shares the unchanged
                // array) is common and needs no histogram at all.
                final Percentiles interval;
                if (earlier == null) {
                    interval = cumulative;
                } else if (earlier == counts) {
                    interval = Percentiles.EMPTY;
                } else {
                    interval = calculator.between(counts, earlier);
                }
                dists[d] = new Distribution(cumulative, interval);
            }
        }
        return new ProbeReport(
                now.id(), now.name(), now.kind(), now.counters(), rates, dists, now.gauges(), now.stateWord());
    }
}
