package io.hotpath.bootstrap.jdk;

import static io.hotpath.bootstrap.jdk.Counters.assertCounts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Slot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every tracked queue must count, method by method, own and inherited: each element counted once, in the right
 * counter, and the queue behaving as the JDK one. A class's test hands over its constructors and probe-id accessor and
 * adds only what is specific to the class.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class TrackedQueueContract<Q extends Queue<Integer>> {
    Probe probe;

    /** Makes a queue of the class under test; unbounded classes ignore {@code capacity}. */
    interface Sized<Q> {
        Q create(int capacity, int probeId);
    }

    /** The class's collection constructor. */
    interface Filled<Q> {
        Q create(Collection<Integer> c, int probeId);
    }

    private final boolean bounded;
    private final Sized<Q> sized;
    private final Filled<Q> filled;
    private final ToIntFunction<Q> probeIdOf;

    TrackedQueueContract(boolean bounded, Sized<Q> sized, Filled<Q> filled, ToIntFunction<Q> probeIdOf) {
        this.bounded = bounded;
        this.sized = sized;
        this.filled = filled;
        this.probeIdOf = probeIdOf;
    }

    final Q create(int capacity, int probeId) {
        return sized.create(capacity, probeId);
    }

    final boolean bounded() {
        return bounded;
    }

    Q create() {
        return create(64, probe.id());
    }

    @BeforeEach
    void registerProbe() {
        probe = Counters.queueProbe(getClass().getSimpleName());
    }

    static List<Integer> range(int fromInclusive, int toInclusive) {
        return IntStream.rangeClosed(fromInclusive, toInclusive).boxed().collect(Collectors.toList());
    }

    static List<Object> sorted(Object[] elements) {
        final List<Object> l = new ArrayList<>(Arrays.asList(elements));
        l.sort(null);
        return l;
    }

    @Test
    void reportsItsProbeAndIsTracked() {
        final Q q = create();
        assertThat(probeIdOf.applyAsInt(q)).isEqualTo(probe.id());
        final List<Object> seen = new ArrayList<>();
        probe.forEachInstance(seen::add);
        assertThat(seen).containsExactly(q);
    }

    @Test
    void offerCountsInAndPollCountsOut() {
        final Q q = create();
        assertThat(q.offer(1)).isTrue();
        assertThat(q.offer(2)).isTrue();
        assertThat(q.offer(3)).isTrue();
        assertThat(q.poll()).isNotNull();
        assertThat(q.poll()).isNotNull();
        assertThat(q.poll()).isNotNull();
        assertThat(q.poll()).isNull();
        assertCounts(probe, "in=3 out=3");
    }

    @Test
    void addIsCountedOnce() {
        final Q q = create();
        assertThat(q.add(1)).isTrue();
        assertThat(q.add(2)).isTrue();
        assertCounts(probe, "in=2");
    }

    @Test
    void addAllCountsEachElementOnce() {
        final Q q = create();
        assertThat(q.addAll(range(1, 5))).isTrue();
        assertThat(q.addAll(List.of())).isFalse();
        assertThatThrownBy(() -> q.addAll(q)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> q.addAll(Arrays.asList(6, null))).isInstanceOf(NullPointerException.class);
        // AbstractQueue.addAll adds 6 before failing on null; the chain-building addAll of LinkedBlockingDeque and
        // ConcurrentLinkedQueue fails before adding anything. Either way what went in is what was counted.
        assertThat(q.size()).isBetween(5, 6);
        assertThat(probe.total(Slot.IN)).isEqualTo(q.size());
    }

    @Test
    void removeHeadCountsOutAndThrowsWhenEmpty() {
        final Q q = create();
        q.add(1);
        assertThat(q.remove()).isEqualTo(1);
        assertThatThrownBy(q::remove).isInstanceOf(NoSuchElementException.class);
        assertCounts(probe, "in=1 out=1");
    }

    @Test
    void removeObjectCountsOnlyWhatItFound() {
        final Q q = create();
        q.add(1);
        q.add(2);
        assertThat(q.remove((Object) 1)).isTrue();
        assertThat(q.remove((Object) 9)).isFalse();
        assertThat(q.remove((Object) null)).isFalse();
        assertCounts(probe, "in=2 removed=1");
    }

    @Test
    void clearCountsWhatItRemoved() {
        final Q q = create();
        q.addAll(range(1, 4));
        q.clear();
        assertThat(q).isEmpty();
        q.clear();
        assertCounts(probe, "in=4 removed=4");
        q.add(5); // still usable after clear
        assertThat(q.poll()).isEqualTo(5);
        assertCounts(probe, "in=5 out=1 removed=4");
    }

    @Test
    void bulkRemovalsCountTheirMatches() {
        final Q q = create();
        q.addAll(range(1, 10));
        assertThat(q.removeIf(e -> e % 2 == 0)).isTrue(); // 1 3 5 7 9 left
        assertThat(q.removeIf(e -> e > 100)).isFalse();
        assertThat(q.removeAll(List.of(1, 3, 99))).isTrue(); // 5 7 9
        assertThat(q.retainAll(List.of(5, 7))).isTrue(); // 5 7
        assertThat(sorted(q.toArray())).containsExactly(5, 7);
        assertThatThrownBy(() -> q.removeIf(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> q.removeAll(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> q.retainAll(null)).isInstanceOf(NullPointerException.class);
        assertCounts(probe, "in=10 removed=8");
    }

    @Test
    void iteratorRemoveCountsRemoved() {
        final Q q = create();
        q.addAll(range(1, 4));
        for (Iterator<Integer> it = q.iterator(); it.hasNext(); ) {
            if (it.next() % 2 == 1) {
                it.remove();
            }
        }
        assertThat(sorted(q.toArray())).containsExactly(2, 4);
        final Iterator<Integer> it = q.iterator();
        assertThatThrownBy(it::remove).isInstanceOf(IllegalStateException.class);
        assertCounts(probe, "in=4 removed=2");
    }

    @Test
    void readsCountNothing() {
        final Q q = create();
        q.add(1);
        assertThat(q.peek()).isEqualTo(1);
        assertThat(q.element()).isEqualTo(1);
        assertThat(q.contains(1)).isTrue();
        assertThat(q.containsAll(List.of(1))).isTrue();
        assertThat(q.size()).isEqualTo(1);
        assertThat(q.isEmpty()).isFalse();
        assertThat(q.toArray()).containsExactly(1);
        assertThat(q.toArray(new Integer[0])).containsExactly(1);
        assertThat(q.stream().count()).isEqualTo(1);
        assertThat(q.spliterator().estimateSize()).isGreaterThanOrEqualTo(1);
        q.forEach(e -> {});
        assertThat(q.toString()).isEqualTo("[1]");
        for (Integer ignored : q) {
            // traversal only
        }
        assertCounts(probe, "in=1");
    }

    @Test
    void collectionConstructorCountsTheInitialElements() {
        final Q q = filled.create(range(1, 3), probe.id());
        assertThat(q).hasSize(3);
        assertCounts(probe, "in=3");
        q.poll();
        assertCounts(probe, "in=3 out=1");
        assertThat(probeIdOf.applyAsInt(q)).isEqualTo(probe.id());
    }

    @Test
    void serializesAsThePlainJdkQueue() throws Exception {
        final Q q = create(8, probe.id());
        q.addAll(range(1, 3));
        final Object back = Counters.roundTrip(q);
        // Every tracked class extends the JDK class directly and writes itself as that class.
        assertThat(back.getClass()).isEqualTo(q.getClass().getSuperclass());
        @SuppressWarnings("unchecked")
        final Queue<Integer> plain = (Queue<Integer>) back;
        assertThat(sorted(plain.toArray())).isEqualTo(sorted(q.toArray()));
        if (bounded()) {
            assertThat(((BlockingQueue<?>) plain).remainingCapacity())
                    .isEqualTo(((BlockingQueue<?>) q).remainingCapacity());
        }
        assertCounts(probe, "in=3"); // serializing reads, it does not dequeue
    }

    @Test
    void disabledProbeStopsCountingButTheQueueWorks() {
        final Q q = create();
        probe.fail(new IllegalStateException("test fault"));
        q.add(1);
        q.offer(2);
        assertThat(q.poll()).isEqualTo(1);
        q.clear();
        assertThat(q).isEmpty();
        assertCounts(probe, "");
    }

    @Test
    void countersBalanceAfterARandomMix() {
        final Q q = create(32, probe.id());
        final SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 5_000; i++) {
            switch (rnd.nextInt(10)) {
                case 0:
                case 1:
                case 2:
                    q.offer(rnd.nextInt(100));
                    break;
                case 3:
                    try {
                        q.add(rnd.nextInt(100));
                    } catch (IllegalStateException full) {
                        // bounded and full: counted as dropped
                    }
                    break;
                case 4:
                case 5:
                    q.poll();
                    break;
                case 6:
                    q.remove((Object) rnd.nextInt(100));
                    break;
                case 7:
                    q.removeIf(e -> e % 7 == 0);
                    break;
                case 8:
                    for (Iterator<Integer> it = q.iterator(); it.hasNext(); ) {
                        if (it.next() % 11 == 0) {
                            it.remove();
                        }
                    }
                    break;
                default:
                    if (rnd.nextInt(20) == 0) {
                        q.clear();
                    }
            }
        }
        assertThat(probe.total(Slot.IN)).isEqualTo(probe.total(Slot.OUT) + probe.total(Slot.REMOVED) + q.size());
        assertThat(probe.total(Slot.BLOCKED) + probe.total(Slot.WAITED)).isZero();
    }
}
