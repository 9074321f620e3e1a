package io.hotpath.bootstrap.jdk;

import static io.hotpath.bootstrap.jdk.Counters.assertCounts;
import static io.hotpath.bootstrap.jdk.Counters.distCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Slot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** The blocking methods every tracked {@link BlockingQueue} must count: waits, timeouts, interrupts, drains. */
abstract class TrackedBlockingQueueContract<Q extends BlockingQueue<Integer>> extends TrackedQueueContract<Q> {

    /** The plain JDK queue with the same capacity, to compare behaviour with. */
    private final IntFunction<BlockingQueue<Integer>> plain;

    TrackedBlockingQueueContract(BlockingQueueKind kind, Filled<Q> filled, ToIntFunction<Q> probeIdOf) {
        super(kind.bounded, sized(kind), filled, probeIdOf);
        this.plain = kind.plain;
    }

    // One list of factories serves every class, so they return the interface; each class's test names its own kind.
    @SuppressWarnings("unchecked")
    private static <Q> Sized<Q> sized(BlockingQueueKind kind) {
        return (capacity, probeId) -> (Q) kind.tracked.create(capacity, probeId);
    }

    /** One call on a queue, for comparing tracked and plain behaviour. */
    interface Op {
        Object apply(BlockingQueue<Integer> q) throws Exception;
    }

    /** A named call made on a queue prepared in a given state. */
    static final class Scenario {
        final String name;
        final int initialSize; // -1: full
        final Op op;

        Scenario(String name, int initialSize, Op op) {
            this.name = name;
            this.initialSize = initialSize;
            this.op = op;
        }
    }

    /** The blocking calls to check with an interrupted caller; subclasses add their own. */
    List<Scenario> interruptScenarios() {
        final List<Scenario> s = new ArrayList<>();
        s.add(new Scenario("put", 0, q -> {
            q.put(9);
            return "put";
        }));
        s.add(new Scenario("timed offer", 0, q -> q.offer(9, 1, TimeUnit.SECONDS)));
        s.add(new Scenario("take (available)", 1, BlockingQueue::take));
        s.add(new Scenario("take (empty)", 0, BlockingQueue::take));
        s.add(new Scenario("timed poll (available)", 1, q -> q.poll(1, TimeUnit.SECONDS)));
        s.add(new Scenario("timed poll (empty)", 0, q -> q.poll(1, TimeUnit.SECONDS)));
        s.add(new Scenario("zero-timeout poll (empty)", 0, q -> q.poll(0, TimeUnit.SECONDS)));
        if (bounded()) {
            s.add(new Scenario("put (full)", -1, q -> {
                q.put(9);
                return "put";
            }));
            s.add(new Scenario("timed offer (full)", -1, q -> q.offer(9, 1, TimeUnit.SECONDS)));
        }
        return s;
    }

    private static void fill(BlockingQueue<Integer> q, int initialSize) {
        if (initialSize < 0) {
            while (q.offer(1)) {
                // until full
            }
        } else {
            for (int i = 0; i < initialSize; i++) {
                q.offer(1);
            }
        }
    }

    private static String outcome(BlockingQueue<Integer> q, Op op) {
        String result;
        Thread.currentThread().interrupt();
        try {
            result = String.valueOf(op.apply(q));
        } catch (Exception e) {
            result = e.getClass().getSimpleName();
        }
        final boolean stillInterrupted = Thread.interrupted();
        return result + " interrupted=" + stillInterrupted + " size=" + q.size();
    }

    @Test
    void interruptedCallersSeeExactlyWhatTheJdkQueueDoes() {
        long expectedBalance = 0;
        for (Scenario s : interruptScenarios()) {
            final Q tracked = create(2, probe.id());
            final BlockingQueue<Integer> jdk = plain.apply(2);
            fill(tracked, s.initialSize);
            fill(jdk, s.initialSize);
            assertThat(outcome(tracked, s.op)).as(s.name).isEqualTo(outcome(jdk, s.op));
            expectedBalance += tracked.size();
        }
        // Nothing waited (an interrupted caller never waits); every element is accounted for.
        assertThat(probe.total(Slot.BLOCKED) + probe.total(Slot.WAITED)).isZero();
        assertThat(probe.total(Slot.IN) - probe.total(Slot.OUT) - probe.total(Slot.REMOVED))
                .isEqualTo(expectedBalance);
    }

    @Test
    void putAndTakeThatNeedNotWaitCountOnlyInAndOut() throws Exception {
        final Q q = create();
        q.put(1);
        assertThat(q.take()).isEqualTo(1);
        assertCounts(probe, "in=1 out=1");
    }

    @Test
    void timedOfferAndPollThatNeedNotWaitCountOnlyInAndOut() throws Exception {
        final Q q = create();
        assertThat(q.offer(1, 1, TimeUnit.SECONDS)).isTrue();
        assertThat(q.poll(1, TimeUnit.SECONDS)).isEqualTo(1);
        assertCounts(probe, "in=1 out=1");
    }

    @Test
    void zeroTimeoutPollOnEmptyIsNotAWait() throws Exception {
        final Q q = create();
        assertThat(q.poll(0, TimeUnit.SECONDS)).isNull();
        assertThat(q.poll(-5, TimeUnit.MILLISECONDS)).isNull();
        assertCounts(probe, "");
    }

    @Test
    void takeOnEmptyCountsOneWaitAndItsTime() throws Exception {
        final Q q = create();
        final Counters.Call<Integer> consumer = Counters.inBackground(q::take);
        Counters.awaitTotal(probe, Slot.WAITED, 1);
        q.put(7);
        assertThat(consumer.returned()).isEqualTo(7);
        assertCounts(probe, "in=1 out=1 waited=1");
        assertThat(distCount(probe, Dist.WAIT)).isEqualTo(1);
    }

    @Test
    void timedPollThatTimesOutCountsAWaitAndNoOut() throws Exception {
        final Q q = create();
        assertThat(q.poll(20, TimeUnit.MILLISECONDS)).isNull();
        assertCounts(probe, "waited=1");
        assertThat(distCount(probe, Dist.WAIT)).isEqualTo(1);
    }

    @Test
    void timedPollThatGetsAnElementWhileWaiting() throws Exception {
        final Q q = create();
        final Counters.Call<Integer> consumer = Counters.inBackground(() -> q.poll(10, TimeUnit.SECONDS));
        Counters.awaitTotal(probe, Slot.WAITED, 1);
        q.offer(3);
        assertThat(consumer.returned()).isEqualTo(3);
        assertCounts(probe, "in=1 out=1 waited=1");
    }

    @Test
    void interruptDuringAWaitRecordsTheTimeButNoOutcome() throws Exception {
        final Q q = create();
        final Counters.Call<Integer> consumer = Counters.inBackground(q::take);
        Counters.awaitTotal(probe, Slot.WAITED, 1);
        Counters.awaitParked(consumer.thread);
        consumer.thread.interrupt();
        assertThat(consumer.threw()).isInstanceOf(InterruptedException.class);
        assertCounts(probe, "waited=1");
        assertThat(distCount(probe, Dist.WAIT)).isEqualTo(1);
    }

    @Test
    void drainToCountsOneBatchPerNonEmptyDrain() {
        final Q q = create();
        q.addAll(range(1, 5));
        final List<Integer> sink = new ArrayList<>();
        assertThat(q.drainTo(sink)).isEqualTo(5);
        assertThat(q.drainTo(sink)).isZero();
        q.addAll(range(6, 8));
        assertThat(q.drainTo(sink, 2)).isEqualTo(2);
        assertThat(q.drainTo(sink, 0)).isZero();
        assertThat(sink).hasSize(7);
        assertThatThrownBy(() -> q.drainTo(q)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> q.drainTo(null)).isInstanceOf(NullPointerException.class);
        assertCounts(probe, "in=8 out=7 batches=2 batch_items=7");
        assertThat(distCount(probe, Dist.SIZE)).isEqualTo(2);
    }

    // ---------------------------------------------------------------- bounded queues

    @Test
    void offerOnAFullQueueIsDroppedAndAddThrows() {
        assumeTrue(bounded());
        final Q q = create(2, probe.id());
        assertThat(q.offer(1)).isTrue();
        assertThat(q.offer(2)).isTrue();
        assertThat(q.offer(3)).isFalse();
        assertThatThrownBy(() -> q.add(4)).isInstanceOf(IllegalStateException.class);
        assertCounts(probe, "in=2 dropped=2");
    }

    @Test
    void putOnAFullQueueCountsOneBlockAndItsTime() throws Exception {
        assumeTrue(bounded());
        final Q q = create(1, probe.id());
        q.put(1);
        final Counters.Call<Void> producer = Counters.inBackground(() -> q.put(2));
        Counters.awaitTotal(probe, Slot.BLOCKED, 1);
        assertThat(q.take()).isEqualTo(1);
        producer.returned();
        assertThat(q.take()).isEqualTo(2);
        assertCounts(probe, "in=2 out=2 blocked=1");
        assertThat(distCount(probe, Dist.LATENCY)).isEqualTo(1);
    }

    @Test
    void timedOfferOnAFullQueueThatTimesOutIsBlockedThenDropped() throws Exception {
        assumeTrue(bounded());
        final Q q = create(1, probe.id());
        q.put(1);
        assertThat(q.offer(2, 20, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(q.offer(2, 0, TimeUnit.MILLISECONDS)).isFalse(); // does not wait: dropped, not blocked
        assertCounts(probe, "in=1 blocked=1 dropped=2");
        assertThat(distCount(probe, Dist.LATENCY)).isEqualTo(1);
    }

    @Test
    void interruptWhileBlockedRecordsTheTimeButNoOutcome() throws Exception {
        assumeTrue(bounded());
        final Q q = create(1, probe.id());
        q.put(1);
        final Counters.Call<Void> producer = Counters.inBackground(() -> q.put(2));
        Counters.awaitTotal(probe, Slot.BLOCKED, 1);
        Counters.awaitParked(producer.thread);
        producer.thread.interrupt();
        assertThat(producer.threw()).isInstanceOf(InterruptedException.class);
        assertCounts(probe, "in=1 blocked=1");
        assertThat(distCount(probe, Dist.LATENCY)).isEqualTo(1);
    }

    @Test
    void addAllBeyondCapacityCountsWhatWentIn() {
        assumeTrue(bounded());
        final Q q = create(3, probe.id());
        assertThatThrownBy(() -> q.addAll(range(1, 5))).isInstanceOf(IllegalStateException.class);
        assertThat(q).hasSize(3);
        assertCounts(probe, "in=3 dropped=1");
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void producersAndConsumersAreCountedExactly() throws Exception {
        final int producers = 4;
        final int consumers = 4;
        final int perProducer = 50_000;
        final int poison = Integer.MAX_VALUE; // last in priority order too
        final Q q = create(16, probe.id());
        final AtomicLong sum = new AtomicLong();
        final AtomicLong taken = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            final int base = p * perProducer;
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perProducer; i++) {
                        if (i % 4 == 0) {
                            if (!q.offer(base + i, 10, TimeUnit.SECONDS)) {
                                throw new AssertionError("offer timed out");
                            }
                        } else {
                            q.put(base + i);
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        final List<Thread> consumerThreads = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            consumerThreads.add(new Thread(() -> {
                try {
                    start.await();
                    for (int j = 0; ; j++) {
                        final Integer v = j % 4 == 0 ? q.poll(10, TimeUnit.SECONDS) : q.take();
                        if (v == null) {
                            throw new AssertionError("poll timed out");
                        }
                        if (v == poison) {
                            return;
                        }
                        sum.addAndGet(v);
                        taken.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        threads.forEach(Thread::start);
        consumerThreads.forEach(Thread::start);
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        for (int c = 0; c < consumers; c++) {
            q.put(poison);
        }
        for (Thread t : consumerThreads) {
            t.join();
        }
        assertThat(failure.get()).isNull();
        final long n = (long) producers * perProducer;
        assertThat(taken.get()).isEqualTo(n);
        assertThat(sum.get()).isEqualTo(n * (n - 1) / 2);
        assertThat(q).isEmpty();
        assertThat(probe.total(Slot.IN)).isEqualTo(n + consumers);
        assertThat(probe.total(Slot.OUT)).isEqualTo(n + consumers);
        assertThat(probe.total(Slot.DROPPED) + probe.total(Slot.REMOVED)).isZero();
        assertThat(distCount(probe, Dist.LATENCY)).isEqualTo(probe.total(Slot.BLOCKED));
        assertThat(distCount(probe, Dist.WAIT)).isEqualTo(probe.total(Slot.WAITED));
        if (bounded()) {
            assertThat(probe.total(Slot.BLOCKED)).isPositive();
        } else {
            assertThat(probe.total(Slot.BLOCKED)).isZero();
        }
    }
}
