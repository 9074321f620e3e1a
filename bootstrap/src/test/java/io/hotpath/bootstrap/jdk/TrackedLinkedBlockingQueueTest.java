package io.hotpath.bootstrap.jdk;

import static io.hotpath.bootstrap.jdk.Counters.assertCounts;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

class TrackedLinkedBlockingQueueTest extends TrackedBlockingQueueContract<TrackedLinkedBlockingQueue<Integer>> {
    TrackedLinkedBlockingQueueTest() {
        super(BlockingQueueKind.LBQ, TrackedLinkedBlockingQueue::new, TrackedLinkedBlockingQueue::hotpathProbeId);
    }

    @Test
    void defaultConstructorIsUnbounded() throws Exception {
        final TrackedLinkedBlockingQueue<Integer> q = new TrackedLinkedBlockingQueue<>(probe.id());
        assertThat(q.remainingCapacity()).isEqualTo(Integer.MAX_VALUE);
        q.put(1);
        @SuppressWarnings("unchecked")
        final LinkedBlockingQueue<Integer> back = (LinkedBlockingQueue<Integer>) Counters.roundTrip(q);
        assertThat(back.remainingCapacity()).isEqualTo(Integer.MAX_VALUE - 1);
        assertCounts(probe, "in=1");
    }
}
