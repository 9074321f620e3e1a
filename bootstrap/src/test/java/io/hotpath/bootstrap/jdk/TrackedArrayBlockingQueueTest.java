package io.hotpath.bootstrap.jdk;

import static io.hotpath.bootstrap.jdk.Counters.assertCounts;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import org.junit.jupiter.api.Test;

class TrackedArrayBlockingQueueTest extends TrackedBlockingQueueContract<TrackedArrayBlockingQueue<Integer>> {
    TrackedArrayBlockingQueueTest() {
        super(
                BlockingQueueKind.ABQ,
                (c, id) -> new TrackedArrayBlockingQueue<>(10, false, c, id),
                TrackedArrayBlockingQueue::hotpathProbeId);
    }

    @Test
    void fairConstructorWorksAndCountsNothing() {
        final TrackedArrayBlockingQueue<Integer> q = new TrackedArrayBlockingQueue<>(4, true, probe.id());
        assertThat(q.remainingCapacity()).isEqualTo(4);
        assertCounts(probe, "");
    }

    /**
     * With a live iterator, ArrayBlockingQueue.removeIf falls back to Collection.removeIf, which removes through
     * iterator(): each removal must still count once, not once by the filter and again by the iterator.
     */
    @Test
    void bulkRemovalWithALiveIteratorCountsEachRemovalOnce() {
        final TrackedArrayBlockingQueue<Integer> q = new TrackedArrayBlockingQueue<>(16, probe.id());
        q.addAll(range(1, 10));
        final Iterator<Integer> live = q.iterator();
        assertThat(live.next()).isEqualTo(1);
        assertThat(q.removeIf(e -> e % 2 == 0)).isTrue();
        assertThat(q.removeAll(java.util.List.of(3, 5))).isTrue();
        assertThat(q.retainAll(java.util.List.of(1, 7))).isTrue();
        assertThat(q).containsExactly(1, 7);
        live.remove(); // removes 1 through the application's iterator: counted
        assertThat(q).containsExactly(7);
        assertCounts(probe, "in=10 removed=9");
    }

    @Test
    void serializedCopyKeepsTheCapacity() throws Exception {
        final TrackedArrayBlockingQueue<Integer> q = new TrackedArrayBlockingQueue<>(5, true, probe.id());
        q.add(1);
        @SuppressWarnings("unchecked")
        final ArrayBlockingQueue<Integer> back = (ArrayBlockingQueue<Integer>) Counters.roundTrip(q);
        assertThat(back.remainingCapacity()).isEqualTo(4);
        assertThat(back).containsExactly(1);
    }
}
