package io.hotpath.bootstrap.jdk;

import static io.hotpath.bootstrap.jdk.Counters.assertCounts;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TrackedPriorityBlockingQueueTest extends TrackedBlockingQueueContract<TrackedPriorityBlockingQueue<Integer>> {
    TrackedPriorityBlockingQueueTest() {
        super(BlockingQueueKind.PBQ, TrackedPriorityBlockingQueue::new, TrackedPriorityBlockingQueue::hotpathProbeId);
    }

    /** put, add and timed offer all go through offer(e) and never block. */
    @Test
    void everyProducerMethodCountsOnceAndNeverBlocks() throws Exception {
        final TrackedPriorityBlockingQueue<Integer> q = new TrackedPriorityBlockingQueue<>(1, probe.id());
        q.put(3);
        q.add(1);
        assertThat(q.offer(2, 1, TimeUnit.SECONDS)).isTrue();
        assertThat(q.offer(4)).isTrue();
        assertThat(q.take()).isEqualTo(1);
        assertThat(q.poll()).isEqualTo(2);
        assertCounts(probe, "in=4 out=2");
    }

    @Test
    void comparatorIsKeptAndSerialized() throws Exception {
        final TrackedPriorityBlockingQueue<Integer> q =
                new TrackedPriorityBlockingQueue<>(4, Comparator.reverseOrder(), probe.id());
        q.addAll(range(1, 5));
        assertThat(q.peek()).isEqualTo(5);
        @SuppressWarnings("unchecked")
        final PriorityBlockingQueue<Integer> back = (PriorityBlockingQueue<Integer>) Counters.roundTrip(q);
        assertThat(back.poll()).isEqualTo(5);
        assertThat(back.poll()).isEqualTo(4);
        assertCounts(probe, "in=5");
    }
}
