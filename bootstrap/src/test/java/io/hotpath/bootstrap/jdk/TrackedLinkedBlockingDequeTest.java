package io.hotpath.bootstrap.jdk;

import static io.hotpath.bootstrap.jdk.Counters.assertCounts;
import static io.hotpath.bootstrap.jdk.Counters.distCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Slot;
import java.lang.reflect.Method;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TrackedLinkedBlockingDequeTest extends TrackedBlockingQueueContract<TrackedLinkedBlockingDeque<Integer>> {
    TrackedLinkedBlockingDequeTest() {
        super(BlockingQueueKind.LBD, TrackedLinkedBlockingDeque::new, TrackedLinkedBlockingDeque::hotpathProbeId);
    }

    @Override
    List<Scenario> interruptScenarios() {
        final List<Scenario> s = super.interruptScenarios();
        // putFirst/putLast/takeFirst/takeLast lock uninterruptibly: an interrupted caller that need not wait succeeds.
        s.add(new Scenario("putFirst", 0, q -> {
            ((BlockingDeque<Integer>) q).putFirst(9);
            return "put";
        }));
        s.add(new Scenario("putLast (full)", -1, q -> {
            ((BlockingDeque<Integer>) q).putLast(9);
            return "put";
        }));
        s.add(new Scenario("takeLast (available)", 1, q -> ((BlockingDeque<Integer>) q).takeLast()));
        s.add(new Scenario("takeFirst (empty)", 0, q -> ((BlockingDeque<Integer>) q).takeFirst()));
        s.add(new Scenario(
                "timed offerFirst", 0, q -> ((BlockingDeque<Integer>) q).offerFirst(9, 1, TimeUnit.SECONDS)));
        s.add(new Scenario(
                "timed pollLast (available)", 1, q -> ((BlockingDeque<Integer>) q).pollLast(1, TimeUnit.SECONDS)));
        return s;
    }

    @Test
    void everyProducerMethodAtEitherEndCountsOnce() throws Exception {
        final TrackedLinkedBlockingDeque<Integer> q = create();
        assertThat(q.offerFirst(1)).isTrue();
        assertThat(q.offerLast(2)).isTrue();
        q.addFirst(3);
        q.addLast(4);
        q.push(5);
        q.putFirst(6);
        q.putLast(7);
        assertThat(q.offerFirst(8, 1, TimeUnit.SECONDS)).isTrue();
        assertThat(q.offerLast(9, 1, TimeUnit.SECONDS)).isTrue();
        assertThat(q.offer(10)).isTrue();
        assertThat(q.add(11)).isTrue();
        q.put(12);
        assertThat(q.offer(13, 1, TimeUnit.SECONDS)).isTrue();
        assertThat(q).hasSize(13);
        assertCounts(probe, "in=13");
    }

    @Test
    void everyConsumerMethodAtEitherEndCountsOnce() throws Exception {
        final TrackedLinkedBlockingDeque<Integer> q = create();
        q.addAll(range(1, 13));
        assertThat(q.pollFirst()).isEqualTo(1);
        assertThat(q.pollLast()).isEqualTo(13);
        assertThat(q.removeFirst()).isEqualTo(2);
        assertThat(q.removeLast()).isEqualTo(12);
        assertThat(q.pop()).isEqualTo(3);
        assertThat(q.takeFirst()).isEqualTo(4);
        assertThat(q.takeLast()).isEqualTo(11);
        assertThat(q.pollFirst(1, TimeUnit.SECONDS)).isEqualTo(5);
        assertThat(q.pollLast(1, TimeUnit.SECONDS)).isEqualTo(10);
        assertThat(q.remove()).isEqualTo(6);
        assertThat(q.poll()).isEqualTo(7);
        assertThat(q.take()).isEqualTo(8);
        assertThat(q.poll(1, TimeUnit.SECONDS)).isEqualTo(9);
        assertThat(q).isEmpty();
        assertThat(q.pollFirst()).isNull();
        assertThat(q.pollLast()).isNull();
        assertThatThrownBy(q::removeFirst).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(q::removeLast).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(q::pop).isInstanceOf(NoSuchElementException.class);
        assertCounts(probe, "in=13 out=13");
    }

    @Test
    void occurrenceRemovalsAndDescendingIteratorCountRemoved() {
        final TrackedLinkedBlockingDeque<Integer> q = create();
        q.addAll(List.of(1, 2, 1, 2, 3, 4));
        assertThat(q.removeFirstOccurrence(1)).isTrue();
        assertThat(q.removeLastOccurrence(2)).isTrue();
        assertThat(q.removeFirstOccurrence(99)).isFalse();
        assertThat(q.removeLastOccurrence(null)).isFalse();
        assertThat(q.remove((Object) 1)).isTrue(); // 2 3 4 left
        for (Iterator<Integer> it = q.descendingIterator(); it.hasNext(); ) {
            if (it.next() == 4) {
                it.remove();
            }
        }
        assertThat(q).containsExactly(2, 3);
        assertCounts(probe, "in=6 removed=4");
    }

    @Test
    void fullDequeFirstEndOfferIsDroppedAndAddFirstThrows() {
        final TrackedLinkedBlockingDeque<Integer> q = create(1, probe.id());
        q.push(1);
        assertThat(q.offerFirst(2)).isFalse();
        assertThatThrownBy(() -> q.addFirst(3)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> q.push(4)).isInstanceOf(IllegalStateException.class);
        assertCounts(probe, "in=1 dropped=3");
    }

    @Test
    void putFirstOnAFullDequeBlocksAndTakeLastOnEmptyWaits() throws Exception {
        final TrackedLinkedBlockingDeque<Integer> q = create(1, probe.id());
        q.putFirst(1);
        final Counters.Call<Void> producer = Counters.inBackground(() -> q.putFirst(2));
        Counters.awaitTotal(probe, Slot.BLOCKED, 1);
        assertThat(q.takeLast()).isEqualTo(1);
        producer.returned();
        assertThat(q.takeLast()).isEqualTo(2);
        final Counters.Call<Integer> consumer = Counters.inBackground(q::takeLast);
        Counters.awaitTotal(probe, Slot.WAITED, 1);
        q.offerLast(3);
        assertThat(consumer.returned()).isEqualTo(3);
        assertCounts(probe, "in=3 out=3 blocked=1 waited=1");
        assertThat(distCount(probe, Dist.LATENCY)).isEqualTo(1);
        assertThat(distCount(probe, Dist.WAIT)).isEqualTo(1);
    }

    @Test
    void addAllThatFitsIsCountedOnceAndFallbackIsCountedPerElement() {
        final TrackedLinkedBlockingDeque<Integer> q = create(5, probe.id());
        assertThat(q.addAll(range(1, 3))).isTrue(); // one atomic append
        assertCounts(probe, "in=3");
        assertThatThrownBy(() -> q.addAll(range(4, 7))).isInstanceOf(IllegalStateException.class); // falls back
        assertThat(q).containsExactly(1, 2, 3, 4, 5);
        assertCounts(probe, "in=5 dropped=1");
    }

    /** The reversed view of JDK 21+ goes through the deque's public methods and iterators. */
    @Test
    void reversedViewIsCountedOnJdk21AndLater() throws Exception {
        final Method reversed;
        try {
            reversed = Deque.class.getMethod("reversed");
        } catch (NoSuchMethodException e) {
            assumeTrue(false, "Deque.reversed() needs JDK 21+");
            return;
        }
        final TrackedLinkedBlockingDeque<Integer> q = create();
        @SuppressWarnings("unchecked")
        final Deque<Integer> view = (Deque<Integer>) reversed.invoke(q);
        view.add(1); // addFirst of the deque
        view.offer(2);
        view.addAll(List.of(3, 4));
        view.push(5); // addLast of the deque
        assertThat(q).containsExactly(4, 3, 2, 1, 5);
        assertThat(view.poll()).isEqualTo(5); // pollLast of the deque
        assertThat(view.remove((Object) 3)).isTrue(); // through the descending iterator
        assertThat(view.removeIf(e -> e == 2)).isTrue(); // through the descending iterator
        assertThat(view.removeAll(List.of(1))).isTrue();
        view.clear();
        assertThat(q).isEmpty();
        assertCounts(probe, "in=5 out=1 removed=4");
    }

    @Test
    void serializedCopyKeepsTheCapacity() throws Exception {
        final TrackedLinkedBlockingDeque<Integer> q = create(4, probe.id());
        q.addAll(range(1, 3));
        @SuppressWarnings("unchecked")
        final LinkedBlockingDeque<Integer> back = (LinkedBlockingDeque<Integer>) Counters.roundTrip(q);
        assertThat(back).containsExactly(1, 2, 3);
        assertThat(back.remainingCapacity()).isEqualTo(1);
    }
}
