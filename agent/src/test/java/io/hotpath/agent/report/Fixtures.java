package io.hotpath.agent.report;

import io.hotpath.agent.optimize.AuditTrail;
import io.hotpath.agent.optimize.Mode;
import io.hotpath.agent.optimize.Optimizer;
import io.hotpath.agent.optimize.control.GuardrailConfig;
import io.hotpath.agent.optimize.control.Objective;
import io.hotpath.agent.optimize.tunable.PoolSizeTunable;
import io.hotpath.agent.optimize.tunable.TunableRegistry;
import io.hotpath.bootstrap.BucketHistogram;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.Snapshot;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

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

    /**
     * The report of an advise-mode optimizer with one pool-size tunable, {@code pool.core:<site>}, that was set from
     * 1 to 2 once (audited at time 42).
     */
    static Optimizer.Report optimizerReport(String site) {
        final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 2, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        try {
            final TunableRegistry registry = new TunableRegistry(List.of());
            registry.add(new PoolSizeTunable(site, PoolSizeTunable.Size.CORE, () -> List.of(pool)));
            final Optimizer o = new Optimizer(
                    Mode.ADVISE,
                    registry,
                    List.of(),
                    new Objective(100),
                    GuardrailConfig.defaults(),
                    new Random(1),
                    new AuditTrail(() -> 42L, false),
                    null);
            final String problem = o.set("pool.core:" + site, 2, "test");
            if (problem != null) {
                throw new IllegalStateException(problem);
            }
            return o.report();
        } finally {
            pool.shutdownNow();
        }
    }
}
