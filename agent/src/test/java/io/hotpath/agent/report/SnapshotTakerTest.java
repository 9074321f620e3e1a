package io.hotpath.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hotpath.bootstrap.BucketHistogram;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.Snapshot;
import io.hotpath.bootstrap.snapshot.SnapshotTaker;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SnapshotTakerTest {
    private static final AtomicInteger UNIQUE = new AtomicInteger();
    private static final int ALL_DISTS = Dist.bit(Dist.LATENCY) | Dist.bit(Dist.WAIT) | Dist.bit(Dist.SIZE);

    private static Probe register(PathKind kind, int distBits) {
        return Probes.register("test.report." + System.nanoTime() + "." + UNIQUE.incrementAndGet(), kind, distBits);
    }

    private static ProbeSample find(Snapshot s, Probe p) {
        return s.probes().stream().filter(x -> x.id() == p.id()).findFirst().orElseThrow();
    }

    private static ProbeReport find(Report r, Probe p) {
        return r.probes().stream().filter(x -> x.id() == p.id()).findFirst().orElseThrow();
    }

    @Test
    void queueCountersRatesDepthAndPercentiles() {
        final Probe queue = register(PathKind.QUEUE, ALL_DISTS);
        final long start = System.nanoTime();
        final SnapshotTaker taker = new SnapshotTaker();

        queue.add(Slot.IN, 100);
        queue.add(Slot.OUT, 40);
        for (int i = 1; i <= 100; i++) {
            queue.record(Dist.WAIT, i * 1_000L);
        }
        final Snapshot first = taker.take();

        queue.add(Slot.IN, 1_000);
        queue.add(Slot.OUT, 900);
        queue.add(Slot.REMOVED, 10);
        queue.add(Slot.DROPPED, 5);
        for (int i = 0; i < 50; i++) {
            queue.record(Dist.WAIT, 1_000_000L);
        }
        queue.record(Dist.SIZE, 7);
        final Snapshot second = taker.takeFull(); // as the agent takes a report's snapshot

        final ProbeSample sample = find(second, queue);
        assertThat(sample.kind()).isEqualTo(PathKind.QUEUE);
        assertThat(sample.counter(Slot.IN)).isEqualTo(1_100);
        assertThat(sample.gauge(Gauge.DEPTH)).isEqualTo(1_100 - 940 - 10);
        assertThat(sample.gauge(Gauge.ACTIVE)).isEqualTo(-1);
        assertThat(sample.gauge(Gauge.POOL_SIZE)).isEqualTo(-1);
        assertThat(sample.gauge(Gauge.INSTANCES)).isZero();
        assertThat(find(first, queue).gauge(Gauge.DEPTH)).isEqualTo(60);

        final Report report = Report.of(second, first, start);
        final double seconds = (second.nanoTime() - first.nanoTime()) / 1e9;
        assertThat(report.intervalSeconds()).isEqualTo(seconds);
        assertThat(report.uptimeSeconds()).isEqualTo((second.nanoTime() - start) / 1e9);
        assertThat(report.epochMillis()).isEqualTo(second.epochMillis());

        final ProbeReport p = find(report, queue);
        assertThat(p.rate(Slot.IN)).isCloseTo(1_000 / seconds, within(1e-6 * 1_000 / seconds));
        assertThat(p.rate(Slot.OUT)).isCloseTo(900 / seconds, within(1e-6 * 900 / seconds));
        assertThat(p.rate(Slot.DROPPED)).isCloseTo(5 / seconds, within(1e-6 * 5 / seconds));
        assertThat(p.rate(Slot.CALLS)).isZero();
        assertThat(p.countersByName())
                .containsEntry("in", 1_100L)
                .containsEntry("removed", 10L)
                .doesNotContainKey("calls");
        assertThat(p.gauge(Gauge.DEPTH)).isEqualTo(150);

        final ProbeReport.Distribution wait = p.dist(Dist.WAIT);
        assertThat(wait.cumulative().count()).isEqualTo(150);
        assertThat(wait.interval().count()).isEqualTo(50);
        assertThat(wait.interval().p50()).isCloseTo(1_000_000L, within(25_000L));
        assertThat(wait.cumulative().p50()).isCloseTo(75_000L, within(2_000L));
        assertThat(p.dist(Dist.SIZE).interval().count()).isEqualTo(1);
        assertThat(p.dist(Dist.SIZE).interval().max()).isEqualTo(7);
        assertThat(p.dist(Dist.LATENCY).cumulative()).isEqualTo(Percentiles.EMPTY);
    }

    @Test
    void withoutPreviousRatesCoverTheTimeSinceStart() {
        final Probe method = register(PathKind.METHOD, Dist.bit(Dist.LATENCY));
        method.add(Slot.CALLS, 3_000);
        final long start = System.nanoTime() - 3_000_000_000L; // "started" three seconds ago
        final Snapshot now = new SnapshotTaker().take();

        final Report report = Report.of(now, null, start);
        final double seconds = (now.nanoTime() - start) / 1e9;
        assertThat(report.intervalSeconds()).isEqualTo(seconds).isEqualTo(report.uptimeSeconds());
        final ProbeReport p = find(report, method);
        assertThat(p.rate(Slot.CALLS)).isCloseTo(3_000 / seconds, within(1e-9));
        assertThat(p.dist(Dist.WAIT)).isNull();
        assertThat(p.gauge(Gauge.DEPTH)).isEqualTo(-1);
        assertThat(p.gauge(Gauge.INSTANCES)).isEqualTo(-1);
    }

    @Test
    void probeRegisteredAfterThePreviousSnapshotCountsEverythingInTheInterval() {
        final SnapshotTaker taker = new SnapshotTaker();
        final Snapshot first = taker.take();
        final Probe late = register(PathKind.QUEUE, ALL_DISTS);
        late.add(Slot.IN, 42);
        late.record(Dist.WAIT, 500);
        final Snapshot second = taker.take();

        final ProbeReport p = find(Report.of(second, first, first.nanoTime()), late);
        final double seconds = (second.nanoTime() - first.nanoTime()) / 1e9;
        assertThat(p.rate(Slot.IN)).isCloseTo(42 / seconds, within(1e-6 * 42 / seconds));
        assertThat(p.dist(Dist.WAIT).interval().count()).isEqualTo(1);
    }

    @Test
    void idleProbesShareArraysBetweenSnapshots() {
        final Probe idle = register(PathKind.QUEUE, ALL_DISTS);
        idle.add(Slot.IN, 1);
        idle.record(Dist.WAIT, 10);
        final SnapshotTaker taker = new SnapshotTaker();
        final Snapshot first = taker.take();
        final Snapshot second = taker.take();
        final ProbeSample a = find(first, idle);
        final ProbeSample b = find(second, idle);
        assertThat(b.counters()).isSameAs(a.counters());
        assertThat(b.dist(Dist.WAIT)).isSameAs(a.dist(Dist.WAIT));
        assertThat(b.gauges()).isSameAs(a.gauges());

        idle.add(Slot.IN, 1);
        final ProbeSample c = find(taker.take(), idle);
        assertThat(c.counters()).isNotSameAs(b.counters());
        assertThat(b.counter(Slot.IN)).isEqualTo(1); // the older snapshot is untouched
        assertThat(c.counter(Slot.IN)).isEqualTo(2);

        final ProbeReport r = find(Report.of(second, first, first.nanoTime()), idle);
        assertThat(r.dist(Dist.WAIT).interval()).isEqualTo(Percentiles.EMPTY);
        assertThat(r.dist(Dist.WAIT).cumulative().count()).isEqualTo(1);
    }

    @Test
    void idleProbeKeepsItsSampleAndAMovedDistributionLeavesOlderSnapshotsAlone() {
        final Probe probe = register(PathKind.QUEUE, ALL_DISTS);
        probe.add(Slot.IN, 1);
        probe.record(Dist.WAIT, 10);
        final SnapshotTaker taker = new SnapshotTaker(1); // every take reads every distribution
        final ProbeSample first = find(taker.take(), probe);
        final ProbeSample second = find(taker.take(), probe);
        assertThat(second).isSameAs(first);

        probe.record(Dist.WAIT, 20);
        final ProbeSample third = find(taker.take(), probe);
        assertThat(third).isNotSameAs(second);
        assertThat(third.counters()).isSameAs(second.counters());
        assertThat(third.dist(Dist.LATENCY)).isSameAs(second.dist(Dist.LATENCY));
        assertThat(third.dist(Dist.WAIT)[BucketHistogram.SUM_INDEX]).isEqualTo(30);
        assertThat(second.dist(Dist.WAIT)[BucketHistogram.SUM_INDEX]).isEqualTo(10);
        assertThat(first.dist(Dist.WAIT)[BucketHistogram.SUM_INDEX]).isEqualTo(10);
        // The swapped buffers keep the history exact over more takes than there are buffers.
        for (int i = 0; i < 5; i++) {
            probe.add(Slot.IN, 1);
            assertThat(find(taker.take(), probe).counter(Slot.IN)).isEqualTo(2 + i);
        }
    }

    @Test
    void aReusingTakerReadsEveryTakeWholeIntoTheArraysOfThePreviousTake() {
        final Probe probe = register(PathKind.QUEUE, ALL_DISTS);
        probe.add(Slot.IN, 1);
        probe.record(Dist.WAIT, 10);
        final SnapshotTaker taker = SnapshotTaker.reusing();
        final ProbeSample first = find(taker.take(), probe);
        final long[] wait = first.dist(Dist.WAIT);
        assertThat(wait[BucketHistogram.SUM_INDEX]).isEqualTo(10);

        // A value recorded with no counted event is read by the very next take, into the same array.
        probe.record(Dist.WAIT, 20);
        probe.record(Dist.SIZE, 3);
        final ProbeSample second = find(taker.take(), probe);
        assertThat(second.dist(Dist.WAIT)).isSameAs(wait);
        assertThat(second.dist(Dist.WAIT)[BucketHistogram.SUM_INDEX]).isEqualTo(30);
        assertThat(second.dist(Dist.SIZE)[BucketHistogram.SUM_INDEX]).isEqualTo(3);
        assertThat(second.dist(Dist.WAIT)[BucketHistogram.bucketOf(20)]).isEqualTo(1);

        for (int i = 1; i <= 5; i++) {
            probe.add(Slot.IN, 1);
            probe.record(Dist.LATENCY, 1_000);
            final ProbeSample s = find(taker.take(), probe);
            assertThat(s.counter(Slot.IN)).isEqualTo(1 + i);
            assertThat(s.dist(Dist.LATENCY)[BucketHistogram.SUM_INDEX]).isEqualTo(1_000L * i);
            assertThat(s.dist(Dist.LATENCY)[BucketHistogram.bucketOf(1_000)]).isEqualTo(i);
            assertThat(s.dist(Dist.WAIT)).isSameAs(wait);
        }
    }

    @Test
    void idleDistributionsAreReadAtTheLatestOnTheNextFullRead() {
        final Probe probe = register(PathKind.QUEUE, ALL_DISTS);
        final SnapshotTaker taker = new SnapshotTaker(4);
        final SnapshotTaker exact = new SnapshotTaker(1);
        probe.add(Slot.IN, 1);
        taker.take(); // full read
        taker.take(); // counters moved in the previous take: still read
        exact.take();

        // A value recorded with no counted event: the exact taker sees it at once, the default one by the next
        // full read (take 4 of every 4) at the latest.
        probe.record(Dist.WAIT, 777);
        assertThat(find(exact.take(), probe).dist(Dist.WAIT)[BucketHistogram.SUM_INDEX])
                .isEqualTo(777);
        // Takes 3 and 4 skip the idle probe and keep its previous distributions.
        assertThat(find(taker.take(), probe).dist(Dist.WAIT)[BucketHistogram.SUM_INDEX])
                .isZero();
        assertThat(find(taker.take(), probe).dist(Dist.WAIT)[BucketHistogram.SUM_INDEX])
                .isZero();
        assertThat(find(taker.take(), probe).dist(Dist.WAIT)[BucketHistogram.SUM_INDEX])
                .isEqualTo(777); // take 5 (index 4) is a full read

        // A counted event makes the next take read the per-tick distributions again, full read or not.
        probe.record(Dist.LATENCY, 1_000);
        probe.add(Slot.OUT, 1);
        assertThat(find(taker.take(), probe).dist(Dist.LATENCY)[BucketHistogram.SUM_INDEX])
                .isEqualTo(1_000);
    }

    @Test
    void aMovingProbeReadsLatencyEveryTakeAndSizesAndQueueWaitsOnFullReads() {
        final Probe queue = register(PathKind.QUEUE, ALL_DISTS);
        final Probe pool = register(PathKind.EXECUTOR, ALL_DISTS);
        final SnapshotTaker taker = new SnapshotTaker(3);
        taker.take(); // take 1 of 3: a full read
        for (Probe p : new Probe[] {queue, pool}) {
            p.add(Slot.IN, 1);
            p.record(Dist.LATENCY, 100);
            p.record(Dist.WAIT, 200);
            p.record(Dist.SIZE, 3);
        }
        final Snapshot second = taker.take();
        assertThat(find(second, queue).dist(Dist.LATENCY)[BucketHistogram.SUM_INDEX])
                .isEqualTo(100);
        assertThat(find(second, queue).dist(Dist.WAIT)[BucketHistogram.SUM_INDEX])
                .isZero();
        assertThat(find(second, queue).dist(Dist.SIZE)[BucketHistogram.SUM_INDEX])
                .isZero();
        // An executor's queue wait is analyzed every tick like latency.
        assertThat(find(second, pool).dist(Dist.WAIT)[BucketHistogram.SUM_INDEX])
                .isEqualTo(200);
        assertThat(find(second, pool).dist(Dist.SIZE)[BucketHistogram.SUM_INDEX])
                .isZero();

        // A report's take reads everything at once; so does the next scheduled full read.
        final Snapshot full = taker.takeFull();
        assertThat(find(full, queue).dist(Dist.WAIT)[BucketHistogram.SUM_INDEX]).isEqualTo(200);
        assertThat(find(full, queue).dist(Dist.SIZE)[BucketHistogram.SUM_INDEX]).isEqualTo(3);
        assertThat(find(full, pool).dist(Dist.SIZE)[BucketHistogram.SUM_INDEX]).isEqualTo(3);
        queue.add(Slot.IN, 1);
        queue.record(Dist.SIZE, 4);
        assertThat(find(taker.take(), queue).dist(Dist.SIZE)[BucketHistogram.SUM_INDEX])
                .isEqualTo(7); // take 4 of every 3: full

        // Whatever was read and when, the counts match an exact taker's after a full read.
        final Snapshot exact = new SnapshotTaker(1).take();
        final Snapshot last = taker.takeFull();
        for (Probe p : new Probe[] {queue, pool}) {
            for (int d = 0; d < Dist.COUNT; d++) {
                assertThat(find(last, p).dist(d)).isEqualTo(find(exact, p).dist(d));
            }
        }
    }

    @Test
    void executorGaugesFromCountersAndTrackedPools() throws Exception {
        final Probe executor = register(PathKind.EXECUTOR, Dist.bit(Dist.LATENCY) | Dist.bit(Dist.WAIT));
        final ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 4, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
        final ThreadPoolExecutor other = new ThreadPoolExecutor(1, 3, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
        final Object notAPool = new Object();
        try {
            executor.track(pool);
            executor.track(other);
            executor.track(notAPool);
            final CountDownLatch running = new CountDownLatch(2);
            final CountDownLatch release = new CountDownLatch(1);
            for (int i = 0; i < 2; i++) {
                pool.execute(() -> {
                    running.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            running.await();

            executor.add(Slot.IN, 20); // accepted
            executor.add(Slot.STARTED, 12);
            executor.add(Slot.OUT, 9); // finished
            executor.add(Slot.REMOVED, 1);
            final ProbeSample s = find(new SnapshotTaker().take(), executor);
            release.countDown();

            assertThat(s.gauge(Gauge.DEPTH)).isEqualTo(20 - 12 - 1);
            assertThat(s.gauge(Gauge.ACTIVE)).isEqualTo(12 - 9);
            assertThat(s.gauge(Gauge.INSTANCES)).isEqualTo(3);
            assertThat(s.gauge(Gauge.POOL_SIZE)).isEqualTo(2 + 0);
            assertThat(s.gauge(Gauge.CORE_POOL_SIZE)).isEqualTo(2 + 1);
            assertThat(s.gauge(Gauge.MAX_POOL_SIZE)).isEqualTo(4 + 3);
        } finally {
            pool.shutdownNow();
            other.shutdownNow();
        }
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void depthIsNeverNegative() {
        final Probe queue = register(PathKind.QUEUE, 0);
        queue.add(Slot.OUT, 5); // e.g. a queue tracked after elements were already in it
        final ProbeSample s = find(new SnapshotTaker().take(), queue);
        assertThat(s.gauge(Gauge.DEPTH)).isZero();
        assertThat(java.util.Arrays.asList(s.dists())).containsOnlyNulls();
    }

    @Test
    void snapshotListsProbesInIdOrderWithTheProbeTable() {
        register(PathKind.IPC, 0);
        final Snapshot s = new SnapshotTaker().take();
        assertThat(s.probes()).hasSize(Probes.count());
        assertThat(s.probes()).extracting(ProbeSample::id).isSorted();
        assertThat(s.probes().get(0).name()).isEqualTo(Probes.OVERFLOW_NAME);
        assertThat(s.rejectedRegistrations()).isEqualTo(Probes.rejectedRegistrations());
    }
}
