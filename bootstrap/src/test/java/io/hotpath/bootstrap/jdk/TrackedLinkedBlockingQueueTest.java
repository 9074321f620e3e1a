package io.hotpath.bootstrap.jdk;

import static io.hotpath.bootstrap.jdk.Counters.assertCounts;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

class TrackedLinkedBlockingQueueTest extends TrackedBlockingQueueContract<TrackedLinkedBlockingQueue<Integer>> {
    @Override
    TrackedLinkedBlockingQueue<Integer> create(int capacity, int probeId) {
        return new TrackedLinkedBlockingQueue<>(capacity, probeId);
    }

    @Override
    TrackedLinkedBlockingQueue<Integer> createWith(Collection<Integer> c, int probeId) {
        return new TrackedLinkedBlockingQueue<>(c, probeId);
    }

    @Override
    BlockingQueue<Integer> createPlain(int capacity) {
        return new LinkedBlockingQueue<>(capacity);
    }

    @Override
    Class<?> plainType() {
        return LinkedBlockingQueue.class;
    }

    @Override
    int reportedProbeId(TrackedLinkedBlockingQueue<Integer> q) {
        return q.hotpathProbeId();
    }

    @Override
    boolean bounded() {
        return true;
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
