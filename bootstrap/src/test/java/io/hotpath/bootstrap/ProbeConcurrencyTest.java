package io.hotpath.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Eight threads hammer probes while a reader takes snapshots: totals are exact, and the intervals the reader computes
 * add up to the totals, so no call is lost or counted twice across intervals.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProbeConcurrencyTest {
    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 2_000_000;

    @Test
    void eightThreadsOnOneProbeAreCountedExactlyAndIntervalsAddUp() throws Exception {
        final Probe p = Probes.register("test.concurrency.one", PathKind.METHOD, Dist.bit(Dist.LATENCY));
        p.sampleMask(63);
        final List<long[]> intervals = new ArrayList<>();
        final AtomicBoolean writing = new AtomicBoolean(true);
        final Thread reader = new Thread(() -> {
            long[] before = new long[Slot.COUNT];
            long[] histBefore = new long[BucketHistogram.LENGTH];
            while (writing.get()) {
                final long[] now = new long[Slot.COUNT];
                final long[] hist = new long[BucketHistogram.LENGTH];
                p.readCounters(now);
                p.readDist(Dist.LATENCY, hist);
                intervals.add(new long[] {
                    now[Slot.CALLS] - before[Slot.CALLS],
                    now[Slot.ERRORS] - before[Slot.ERRORS],
                    sum(hist) - sum(histBefore)
                });
                for (int i = 0; i < Slot.COUNT; i++) {
                    assertThat(now[i]).isGreaterThanOrEqualTo(before[i]); // cumulative counts never go back
                }
                before = now;
                histBefore = hist;
                Thread.onSpinWait();
            }
            final long[] last = new long[Slot.COUNT];
            final long[] hist = new long[BucketHistogram.LENGTH];
            p.readCounters(last);
            p.readDist(Dist.LATENCY, hist);
            intervals.add(new long[] {
                last[Slot.CALLS] - before[Slot.CALLS],
                last[Slot.ERRORS] - before[Slot.ERRORS],
                sum(hist) - sum(histBefore)
            });
        });
        reader.start();
        runThreads(i -> {
            for (int c = 0; c < CALLS_PER_THREAD; c++) {
                final long start = p.begin();
                if ((c & 7) == 0) {
                    p.endWithError(start);
                } else {
                    p.end(start);
                }
            }
        });
        writing.set(false);
        reader.join();

        final long expectedCalls = (long) THREADS * CALLS_PER_THREAD;
        assertThat(p.total(Slot.CALLS)).isEqualTo(expectedCalls);
        assertThat(p.total(Slot.ERRORS)).isEqualTo(expectedCalls / 8);
        assertThat(intervals.stream().mapToLong(a -> a[0]).sum()).isEqualTo(expectedCalls);
        assertThat(intervals.stream().mapToLong(a -> a[1]).sum()).isEqualTo(expectedCalls / 8);
        // Timed calls: one in 64 per stripe; every one recorded exactly once across intervals.
        final long[] hist = new long[BucketHistogram.LENGTH];
        p.readDist(Dist.LATENCY, hist);
        assertThat(intervals.stream().mapToLong(a -> a[2]).sum()).isEqualTo(sum(hist));
        assertThat(sum(hist)).isBetween(expectedCalls / 64, expectedCalls / 64 + Stripes.COUNT * 2L);
        assertThat(intervals).isNotEmpty();
    }

    @Test
    void eightThreadsOverSeveralProbesAndSlotsAreExact() throws Exception {
        final Probe[] probes = new Probe[5];
        for (int i = 0; i < probes.length; i++) {
            probes[i] = Probes.register("test.concurrency.many." + i, PathKind.QUEUE, Dist.bit(Dist.SIZE));
        }
        runThreads(t -> {
            for (int c = 0; c < CALLS_PER_THREAD / 2; c++) {
                final Probe p = probes[(c + t) % probes.length];
                p.increment(Slot.IN);
                p.add(Slot.BATCH_ITEMS, 3);
                if ((c & 15) == 0) {
                    p.record(Dist.SIZE, c & 1023);
                }
            }
        });
        long in = 0;
        long items = 0;
        long sizes = 0;
        for (Probe p : probes) {
            in += p.total(Slot.IN);
            items += p.total(Slot.BATCH_ITEMS);
            final long[] h = new long[BucketHistogram.LENGTH];
            p.readDist(Dist.SIZE, h);
            sizes += sum(h);
            assertThat(p.total(Slot.OUT)).isZero();
        }
        final long calls = (long) THREADS * (CALLS_PER_THREAD / 2);
        assertThat(in).isEqualTo(calls);
        assertThat(items).isEqualTo(3 * calls);
        assertThat(sizes).isEqualTo(THREADS * ((CALLS_PER_THREAD / 2 + 15) / 16L));
    }

    @Test
    void aFailedProbeStopsRecordingAndKeepsTheFirstCause() {
        final Probe p = Probes.register("test.concurrency.fault", PathKind.METHOD, Dist.bit(Dist.LATENCY));
        p.increment(Slot.CALLS);
        final IllegalStateException first = new IllegalStateException("first");
        p.fail(first);
        p.fail(new IllegalStateException("second"));
        p.increment(Slot.CALLS);
        assertThat(p.begin()).isZero();
        assertThat(p.total(Slot.CALLS)).isEqualTo(1);
        assertThat(p.disabled()).isTrue();
        assertThat(p.fault()).isSameAs(first);
    }

    @Test
    void registryReturnsTheSameProbeForANameAndFindsItById() {
        final Probe a = Probes.register("test.concurrency.same", PathKind.QUEUE, 0);
        final Probe b = Probes.register("test.concurrency.same", PathKind.METHOD, Dist.bit(Dist.LATENCY));
        assertThat(b).isSameAs(a);
        assertThat(Probes.get(a.id())).isSameAs(a);
        assertThat(Probes.get(-1)).isSameAs(Probes.overflow());
        assertThat(Probes.get(Integer.MAX_VALUE)).isSameAs(Probes.overflow());
        assertThat(a.has(Dist.LATENCY)).isFalse();
    }

    interface Body {
        void run(int thread) throws Exception;
    }

    private static void runThreads(Body body) throws Exception {
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        final List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            final int id = t;
            final Thread th = new Thread(() -> {
                try {
                    start.await();
                    body.run(id);
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            th.start();
            threads.add(th);
        }
        start.countDown();
        for (Thread th : threads) {
            th.join();
        }
        assertThat(failures).isEmpty();
    }

    private static long sum(long[] hist) {
        long s = 0;
        for (int i = 0; i < BucketHistogram.BUCKETS; i++) {
            s += hist[i];
        }
        return s;
    }
}
