package io.hotpath.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.Snapshot;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SelfCostTest {
    private static volatile byte[] sink;

    private static Snapshot snapshot(long nanoTime, long calls, long in) {
        final long[] counters = new long[Slot.COUNT];
        counters[Slot.CALLS] = calls;
        counters[Slot.IN] = in;
        final long[] gauges = new long[Gauge.COUNT];
        Arrays.fill(gauges, Gauge.ABSENT);
        final ProbeSample p =
                new ProbeSample(1, "test.self", PathKind.METHOD, counters, new long[Dist.COUNT][], gauges);
        return new Snapshot(nanoTime, System.currentTimeMillis(), List.of(p), 0);
    }

    @Test
    void countsTheGroupsThreadsIncludingEndedOnesAndEstimatesRecordingFromOperations() throws Exception {
        final ThreadGroup group = new ThreadGroup("self-cost-test");
        final CountDownLatch stop = new CountDownLatch(1);
        final CountDownLatch worked = new CountDownLatch(1);
        final java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        final Thread busy = new Thread(
                group,
                () -> {
                    long x = 0;
                    // Until this thread itself has used 100 ms of CPU, however busy the machine.
                    while (bean.getCurrentThreadCpuTime() < 100_000_000L) {
                        sink = new byte[64]; // both CPU and allocation (kept, so not optimised away)
                        x += sink.length;
                    }
                    worked.countDown();
                    try {
                        stop.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    if (x == 42) {
                        System.out.println(x);
                    }
                },
                "self-cost-busy");
        busy.start();
        worked.await();
        final long start = System.nanoTime() - 1_000_000_000L;
        final SelfCost cost = new SelfCost(group, start);
        cost.update(snapshot(System.nanoTime(), 1_000, 500), true);
        final SelfCost.View first = SelfCost.latest();
        assertThat(first.cpuSeconds()).isGreaterThanOrEqualTo(0.1);
        assertThat(first.allocatedBytes()).isGreaterThan(1_000_000);
        assertThat(first.operations()).isEqualTo(1_500);
        assertThat(first.nanosPerOperation()).isPositive();
        assertThat(first.recordingSeconds()).isCloseTo(1_500 * first.nanosPerOperation() / 1e9, within(1e-12));

        // The thread ends: its figures stay counted, not lost and not counted twice.
        stop.countDown();
        busy.join();
        cost.update(snapshot(System.nanoTime(), 1_000, 500), true);
        final SelfCost.View after = SelfCost.latest();
        assertThat(after.cpuSeconds()).isGreaterThanOrEqualTo(first.cpuSeconds());
        assertThat(after.cpuSeconds()).isLessThan(first.cpuSeconds() + 0.05);
    }

    /**
     * While no probe moves the background loop ticks once a second, and a tick may come a little under a second after
     * the last reading: it must read, or readings (which the overhead budget counts as seconds) would come every two.
     */
    @Test
    void aTickALittleUnderASecondAfterTheLastReadingReadsAgain() {
        final long t0 = System.nanoTime();
        final SelfCost cost = new SelfCost(new ThreadGroup("self-cost-cadence"), t0 - 1_000_000_000L);
        cost.update(snapshot(t0, 1, 0), false);
        final SelfCost.View first = SelfCost.latest();
        assertThat(first).isNotNull();
        cost.update(snapshot(t0 + 500_000_000L, 2, 0), false);
        assertThat(SelfCost.latest()).as("half a second later: no reading").isSameAs(first);
        cost.update(snapshot(t0 + 980_000_000L, 3, 0), false);
        assertThat(SelfCost.latest()).as("980 ms later: a reading").isNotSameAs(first);
        assertThat(SelfCost.latest().operations()).isEqualTo(3);
    }
}
