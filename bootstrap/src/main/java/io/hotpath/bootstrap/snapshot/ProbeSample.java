package io.hotpath.bootstrap.snapshot;

import io.hotpath.bootstrap.BucketHistogram;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;

/**
 * One probe as read by one {@link SnapshotTaker#take()}: cumulative counters and distributions, and gauges derived at
 * that moment.
 *
 * <p>The arrays are never modified after the sample is built, and a {@link SnapshotTaker} hands the same array to
 * consecutive samples while a probe is idle, so treat them as read-only. (Record equality compares them by identity.)
 *
 * @param id the probe id
 * @param name the probe's stable name
 * @param kind what the probe measures
 * @param counters cumulative totals by {@link Slot} index, {@link Slot#COUNT} long
 * @param dists by {@link Dist} index: cumulative bucket counts ({@link BucketHistogram#LENGTH} long: the buckets, then
 *     the sum at {@link BucketHistogram#SUM_INDEX}), or null when the probe has no such distribution
 * @param gauges by {@link Gauge} index, {@link Gauge#COUNT} long; {@link Gauge#ABSENT} (-1) where not applicable
 * @param state why the probe did not record when read, 0 while it records ({@link io.hotpath.bootstrap.Probe#state()})
 */
public record ProbeSample(
        int id, String name, PathKind kind, long[] counters, long[][] dists, long[] gauges, int state) {

    /** A sample of a probe that records (state 0). */
    public ProbeSample(int id, String name, PathKind kind, long[] counters, long[][] dists, long[] gauges) {
        this(id, name, kind, counters, dists, gauges, 0);
    }

    /** {@code on}, {@code failed}, {@code off} or {@code module-off}: see {@link io.hotpath.bootstrap.Probe#state()}. */
    public String stateWord() {
        return io.hotpath.bootstrap.Probe.stateWord(state);
    }

    /** A cumulative counter by {@link Slot} index. */
    public long counter(int slot) {
        return counters[slot];
    }

    /** The cumulative bucket counts of a distribution by {@link Dist} index, or null when the probe has none. */
    public long[] dist(int dist) {
        return dists[dist];
    }

    /** A gauge by {@link Gauge} index; -1 when not applicable. */
    public long gauge(int gauge) {
        return gauges[gauge];
    }
}
