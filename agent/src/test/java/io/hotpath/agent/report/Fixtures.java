package io.hotpath.agent.report;

import io.hotpath.bootstrap.BucketHistogram;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.Snapshot;
import java.util.Arrays;
import java.util.List;

/** Hand-built snapshots, so that output tests do not depend on what else the JVM registered. */
final class Fixtures {
    static final long START = 1_000_000_000L;
    static final long EPOCH = 1_717_243_200_000L; // 2024-06-01T12:00:00Z

    private Fixtures() {}

    /** A sample with {@code in}/{@code out}/{@code calls}/{@code dropped} counters and waits/latencies of one value. */
    static ProbeSample sample(int id, String name, PathKind kind, long scale, int distBits, long timing) {
        final long[] counters = new long[Slot.COUNT];
        // Methods and batches count calls only, as instrumented methods do (docs/dump-format.md lists no in/out).
        final boolean callsOnly = kind == PathKind.METHOD || kind == PathKind.BATCH;
        counters[Slot.IN] = callsOnly ? 0 : 10 * scale;
        counters[Slot.OUT] = callsOnly ? 0 : 9 * scale;
        counters[Slot.CALLS] = callsOnly || kind == PathKind.EXECUTOR ? 5 * scale : 0;
        counters[Slot.DROPPED] = scale / 10;
        final long[][] dists = new long[Dist.COUNT][];
        for (int d = 0; d < Dist.COUNT; d++) {
            if ((distBits & Dist.bit(d)) != 0) {
                final BucketHistogram h = new BucketHistogram();
                for (int i = 0; i < scale; i++) {
                    h.record(timing);
                }
                dists[d] = PercentilesTest.read(h);
            }
        }
        final long[] gauges = new long[Gauge.COUNT];
        Arrays.fill(gauges, Gauge.ABSENT);
        if (kind == PathKind.QUEUE) {
            gauges[Gauge.DEPTH] = counters[Slot.IN] - counters[Slot.OUT];
            gauges[Gauge.INSTANCES] = 1;
        }
        return new ProbeSample(id, name, kind, counters, dists, gauges);
    }

    /** A report over one second in which every probe's counters grew from zero. */
    static Report report(List<ProbeSample> samples) {
        final Snapshot previous = new Snapshot(START, EPOCH - 1000, List.of(), 0);
        final Snapshot now = new Snapshot(START + 1_000_000_000L, EPOCH, samples, 2);
        return Report.of(now, previous, START - 60_000_000_000L);
    }
}
