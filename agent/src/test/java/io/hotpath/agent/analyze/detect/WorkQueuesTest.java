package io.hotpath.agent.analyze.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.jdk.TrackedArrayBlockingQueue;
import io.hotpath.bootstrap.jdk.TrackedThreadPoolExecutor;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a pool is paired with its own work queue: by name, and by the live instances the probes track. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WorkQueuesTest {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private static ProbeState state(int id, String name, PathKind kind) {
        final long[] gauges = new long[Gauge.COUNT];
        Arrays.fill(gauges, Gauge.ABSENT);
        return new ProbeState(
                new ProbeSample(id, name, kind, new long[Slot.COUNT], new long[Dist.COUNT][], gauges), 10, 0.01);
    }

    @Test
    void aQueueNamedAfterItsPoolIsItsWorkQueue() {
        final ProbeState[] states = {
            state(0, "com.acme.D.pool", PathKind.EXECUTOR),
            state(1, "com.acme.D.pool.queue", PathKind.QUEUE),
            state(2, "com.acme.D.other.queue", PathKind.QUEUE),
            state(3, "com.acme.D.inbox", PathKind.QUEUE)
        };
        WorkQueues.pair(states);
        assertThat(states[1].workQueueOf()).isSameAs(states[0]);
        assertThat(states[0].workQueue).isSameAs(states[1]);
        assertThat(states[2].workQueueOf()).isNull();
        assertThat(states[3].workQueueOf()).isNull();
    }

    @Test
    void aQueueBuiltElsewhereIsPairedByTheInstanceThePoolHolds() throws Exception {
        final int n = SEQ.incrementAndGet();
        final Probe poolProbe = Probes.register("test.wq.pool" + n, PathKind.EXECUTOR, 0);
        final Probe queueProbe = Probes.register("test.wq.Site.<init>:58#" + n, PathKind.QUEUE, 0);
        final Probe otherProbe = Probes.register("test.wq.Site.<init>:60#" + n, PathKind.QUEUE, 0);
        final ArrayBlockingQueue<Runnable> queue = new TrackedArrayBlockingQueue<>(4, queueProbe.id());
        final ArrayBlockingQueue<Runnable> other = new TrackedArrayBlockingQueue<>(4, otherProbe.id());
        final ThreadPoolExecutor pool = new TrackedThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, queue, poolProbe.id());
        try {
            final int size = Math.max(poolProbe.id(), Math.max(queueProbe.id(), otherProbe.id())) + 1;
            final ProbeState[] states = new ProbeState[size];
            states[poolProbe.id()] = state(poolProbe.id(), poolProbe.name(), PathKind.EXECUTOR);
            states[queueProbe.id()] = state(queueProbe.id(), queueProbe.name(), PathKind.QUEUE);
            states[otherProbe.id()] = state(otherProbe.id(), otherProbe.name(), PathKind.QUEUE);
            WorkQueues.pair(states);
            assertThat(states[queueProbe.id()].workQueueOf()).isSameAs(states[poolProbe.id()]);
            assertThat(states[otherProbe.id()].workQueueOf()).isNull();
            assertThat(other).isEmpty();

            // A state whose name is not the registry's (a replayed or synthetic snapshot) is never paired.
            final ProbeState[] strangers = new ProbeState[size];
            strangers[poolProbe.id()] = state(poolProbe.id(), "x.pool", PathKind.EXECUTOR);
            strangers[queueProbe.id()] = state(queueProbe.id(), "y.queue", PathKind.QUEUE);
            WorkQueues.pair(strangers);
            assertThat(strangers[queueProbe.id()].workQueueOf()).isNull();
        } finally {
            pool.shutdownNow();
        }
    }
}
