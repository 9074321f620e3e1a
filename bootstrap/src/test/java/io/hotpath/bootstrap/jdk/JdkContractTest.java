package io.hotpath.bootstrap.jdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Slot;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviours the JSR-166 TCK checks for the blocking queues (interrupts while waiting for the lock and while
 * waiting for space or an element, the order in which waiting threads get in, timed waits, bulk removals racing
 * producers), each run against the JDK class and against the tracked subclass, which must give the same outcome. The
 * outcome of the JDK class is also pinned, so that a scenario that tests nothing (both sides trivially equal) fails.
 *
 * <p>Threads are made to wait in a known order by holding the queue's own lock (read reflectively: surefire opens
 * {@code java.util.concurrent} as the agent does) or by waiting until each thread is parked before starting the next.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdkContractTest {
    private static final int CAPACITY = 8;
    private static final long SHORT_MS = 50;

    /** A call that may wait, made on a queue. */
    interface Call {
        Object run(BlockingQueue<Integer> q) throws InterruptedException;
    }

    static Stream<Arguments> kinds() {
        final List<Arguments> args = new ArrayList<>();
        for (BlockingQueueKind k : BlockingQueueKind.values()) {
            args.add(Arguments.of(k, false));
            args.add(Arguments.of(k, true));
        }
        return args.stream();
    }

    private static BlockingQueue<Integer> create(BlockingQueueKind k, boolean tracked, Probe probe) {
        return tracked ? k.tracked.create(CAPACITY, probe.id()) : k.plain.apply(CAPACITY);
    }

    private static ReentrantLock lock(BlockingQueue<Integer> q, String field) throws ReflectiveOperationException {
        Class<?> owner = q.getClass();
        while (!owner.getName().startsWith("java.util.concurrent.")) {
            owner = owner.getSuperclass();
        }
        return (ReentrantLock) MethodHandles.privateLookupIn(owner, MethodHandles.lookup())
                .findVarHandle(owner, field, ReentrantLock.class)
                .get(q);
    }

    // ---------------------------------------------------------------- interrupt while waiting for the lock

    /**
     * What happens to a caller interrupted while it waits for the queue's lock: the JDK's blocking methods mostly take
     * it interruptibly and throw; the deque's take it uninterruptibly and complete with the interrupt status kept.
     */
    private static String interruptedWhileWaitingForLock(BlockingQueue<Integer> q, String lockField, Call call)
            throws Exception {
        final ReentrantLock lock = lock(q, lockField);
        final AtomicReference<String> outcome = new AtomicReference<>();
        final Thread t = new Thread(() -> {
            try {
                outcome.set("returned " + call.run(q) + ", interrupted="
                        + Thread.currentThread().isInterrupted());
            } catch (InterruptedException e) {
                outcome.set("InterruptedException, interrupted="
                        + Thread.currentThread().isInterrupted());
            }
        });
        lock.lock();
        try {
            t.start();
            awaitQueued(lock, t);
            // Queued is not yet parked: a thread interrupted between joining the queue and parking finds the lock
            // free on its next try (we unlock right after the interrupt) and takes it, where a parked one wakes to
            // the interrupt first. Both are the JDK's behaviour; only the parked case is the one compared here.
            awaitState(t, Thread.State.WAITING);
            t.interrupt();
        } finally {
            lock.unlock();
        }
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        return outcome.get() + ", size=" + q.size();
    }

    @ParameterizedTest(name = "{0} tracked={1}")
    @MethodSource("kinds")
    void putInterruptedWhileWaitingForTheLock(BlockingQueueKind k, boolean tracked) throws Exception {
        assumeTrue(k.putLock != null, "no lock");
        final String outcome = interruptedWhileWaitingForLock(create(k, tracked, probe()), k.putLock, q -> {
            q.put(1);
            return "put";
        });
        assertThat(outcome)
                .isEqualTo(interruptedWhileWaitingForLock(create(k, false, null), k.putLock, q -> {
                    q.put(1);
                    return "put";
                }))
                .isEqualTo(
                        switch (k) {
                            case LBD, PBQ -> "returned put, interrupted=true, size=1"; // lock(): uninterruptible
                            default -> "InterruptedException, interrupted=false, size=0";
                        });
    }

    @ParameterizedTest(name = "{0} tracked={1}")
    @MethodSource("kinds")
    void takeInterruptedWhileWaitingForTheLock(BlockingQueueKind k, boolean tracked) throws Exception {
        assumeTrue(k.takeLock != null, "no lock");
        final BlockingQueue<Integer> q = create(k, tracked, probe());
        q.add(7);
        final BlockingQueue<Integer> plain = create(k, false, null);
        plain.add(7);
        final String outcome = interruptedWhileWaitingForLock(q, k.takeLock, BlockingQueue::take);
        assertThat(outcome)
                .isEqualTo(interruptedWhileWaitingForLock(plain, k.takeLock, BlockingQueue::take))
                .isEqualTo(
                        k == BlockingQueueKind.LBD
                                ? "returned 7, interrupted=true, size=0"
                                : "InterruptedException, interrupted=false, size=1");
    }

    // ---------------------------------------------------------------- interrupt while waiting for space or elements

    private static String interruptedWhileWaiting(BlockingQueue<Integer> q, Call call, Thread.State waiting)
            throws Exception {
        final AtomicReference<String> outcome = new AtomicReference<>();
        final Thread t = new Thread(() -> {
            try {
                outcome.set("returned " + call.run(q));
            } catch (InterruptedException e) {
                outcome.set("InterruptedException, interrupted="
                        + Thread.currentThread().isInterrupted());
            }
        });
        t.start();
        awaitState(t, waiting);
        t.interrupt();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        return outcome.get() + ", size=" + q.size();
    }

    @ParameterizedTest(name = "{0} tracked={1}")
    @MethodSource("kinds")
    void waitingForSpaceIsInterruptible(BlockingQueueKind k, boolean tracked) throws Exception {
        assumeTrue(k.bounded, "unbounded: a producer never waits");
        for (boolean timed : new boolean[] {false, true}) {
            final Call put = timed
                    ? q -> q.offer(99, 30, TimeUnit.SECONDS)
                    : q -> {
                        q.put(99);
                        return "put";
                    };
            final Thread.State state = timed ? Thread.State.TIMED_WAITING : Thread.State.WAITING;
            final BlockingQueue<Integer> q = create(k, tracked, probe());
            final BlockingQueue<Integer> plain = create(k, false, null);
            fill(q);
            fill(plain);
            assertThat(interruptedWhileWaiting(q, put, state))
                    .isEqualTo(interruptedWhileWaiting(plain, put, state))
                    .isEqualTo("InterruptedException, interrupted=false, size=" + CAPACITY);
        }
    }

    @ParameterizedTest(name = "{0} tracked={1}")
    @MethodSource("kinds")
    void waitingForAnElementIsInterruptible(BlockingQueueKind k, boolean tracked) throws Exception {
        for (boolean timed : new boolean[] {false, true}) {
            final Call take = timed ? q -> q.poll(30, TimeUnit.SECONDS) : BlockingQueue::take;
            final Thread.State state = timed ? Thread.State.TIMED_WAITING : Thread.State.WAITING;
            assertThat(interruptedWhileWaiting(create(k, tracked, probe()), take, state))
                    .isEqualTo(interruptedWhileWaiting(create(k, false, null), take, state))
                    .isEqualTo("InterruptedException, interrupted=false, size=0");
        }
    }

    @ParameterizedTest(name = "{0} tracked={1}")
    @MethodSource("kinds")
    void alreadyInterruptedCallers(BlockingQueueKind k, boolean tracked) throws Exception {
        final List<String> got = new ArrayList<>();
        final List<String> want = new ArrayList<>();
        for (int available = 0; available <= 1; available++) {
            for (Call call : List.<Call>of(BlockingQueue::take, q -> q.poll(1, TimeUnit.SECONDS))) {
                got.add(interruptedBefore(create(k, tracked, probe()), available, call));
                want.add(interruptedBefore(create(k, false, null), available, call));
            }
        }
        assertThat(got).isEqualTo(want);
    }

    private static String interruptedBefore(BlockingQueue<Integer> q, int available, Call call) {
        for (int i = 0; i < available; i++) {
            q.add(i);
        }
        Thread.currentThread().interrupt();
        try {
            return "returned " + call.run(q) + ", interrupted=" + Thread.interrupted();
        } catch (InterruptedException e) {
            return "InterruptedException, interrupted=" + Thread.interrupted();
        }
    }

    // ---------------------------------------------------------------- order of waiting threads

    /** Producers queued on the lock in a known order get in in that order (the lock's queue is FIFO). */
    @ParameterizedTest(name = "{0} tracked={1}")
    @MethodSource("kinds")
    void producersQueuedOnTheLockGetInInOrder(BlockingQueueKind k, boolean tracked) throws Exception {
        assumeTrue(k.putLock != null && k != BlockingQueueKind.PBQ, "no lock, or ordered by priority");
        assertThat(producersQueuedOnLock(create(k, tracked, probe()), k.putLock))
                .isEqualTo(producersQueuedOnLock(create(k, false, null), k.putLock))
                .isEqualTo(List.of(0, 1, 2, 3, 4, 5));
    }

    private static List<Integer> producersQueuedOnLock(BlockingQueue<Integer> q, String lockField) throws Exception {
        final ReentrantLock lock = lock(q, lockField);
        final List<Thread> threads = new ArrayList<>();
        lock.lock();
        try {
            for (int i = 0; i < 6; i++) {
                final int v = i;
                final Thread t = new Thread(() -> {
                    try {
                        q.put(v);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                t.start();
                awaitQueued(lock, t);
                threads.add(t);
            }
        } finally {
            lock.unlock();
        }
        joinAll(threads);
        return new ArrayList<>(q);
    }

    /** Producers waiting for space, parked in a known order, get in in that order as space appears. */
    @ParameterizedTest(name = "{0} tracked={1}")
    @MethodSource("kinds")
    void producersWaitingForSpaceGetInInOrder(BlockingQueueKind k, boolean tracked) throws Exception {
        assumeTrue(k.bounded, "unbounded: a producer never waits");
        final List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < CAPACITY; i++) {
            expected.add(-1);
        }
        for (int i = 0; i < 6; i++) {
            expected.add(i);
        }
        assertThat(producersWaitingForSpace(create(k, tracked, probe())))
                .isEqualTo(producersWaitingForSpace(create(k, false, null)))
                .isEqualTo(expected);
    }

    private static List<Integer> producersWaitingForSpace(BlockingQueue<Integer> q) throws Exception {
        while (q.offer(-1)) {
            // until full
        }
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            final int v = i;
            final Thread t = new Thread(() -> {
                try {
                    q.put(v);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            awaitState(t, Thread.State.WAITING);
            threads.add(t);
        }
        final List<Integer> out = new ArrayList<>();
        for (int i = 0; i < CAPACITY + 6; i++) {
            out.add(q.take());
        }
        joinAll(threads);
        return out;
    }

    /** Consumers waiting for elements, parked in a known order, are served in that order. */
    @ParameterizedTest(name = "{0} tracked={1}")
    @MethodSource("kinds")
    void consumersWaitingForElementsAreServedInOrder(BlockingQueueKind k, boolean tracked) throws Exception {
        assertThat(consumersWaiting(create(k, tracked, probe())))
                .isEqualTo(consumersWaiting(create(k, false, null)))
                .isEqualTo(List.of(0, 1, 2, 3, 4, 5));
    }

    private static List<Integer> consumersWaiting(BlockingQueue<Integer> q) throws Exception {
        final int n = 6;
        final Integer[] got = new Integer[n];
        final List<Thread> threads = new ArrayList<>();
        final AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            final int slot = i;
            final Thread t = new Thread(() -> {
                try {
                    got[slot] = q.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.incrementAndGet();
                }
            });
            t.start();
            awaitState(t, Thread.State.WAITING);
            threads.add(t);
        }
        for (int v = 0; v < n; v++) {
            q.put(v);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (done.get() <= v && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }
        joinAll(threads);
        return List.of(got);
    }

    // ---------------------------------------------------------------- timed waits

    @ParameterizedTest(name = "{0} tracked={1}")
    @MethodSource("kinds")
    void timedWaitsTimeOut(BlockingQueueKind k, boolean tracked) throws Exception {
        final BlockingQueue<Integer> q = create(k, tracked, probe());
        long start = System.nanoTime();
        assertThat(q.poll(SHORT_MS, TimeUnit.MILLISECONDS)).isNull();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(SHORT_MS));
        assertThat(q.poll(0, TimeUnit.MILLISECONDS)).isNull();
        assertThat(q.poll(-1, TimeUnit.MILLISECONDS)).isNull();
        if (k.bounded) {
            fill(q);
            start = System.nanoTime();
            assertThat(q.offer(99, SHORT_MS, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(SHORT_MS));
            assertThat(q.offer(99, 0, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(q.offer(99, Long.MIN_VALUE, TimeUnit.DAYS)).isFalse();
            assertThat(q.size()).isEqualTo(CAPACITY);
        } else {
            assertThat(q.offer(99, SHORT_MS, TimeUnit.MILLISECONDS)).isTrue();
        }
    }

    /** A timed poll that waits gets an element offered meanwhile, and the JDK and tracked classes agree on it. */
    @ParameterizedTest(name = "{0} tracked={1}")
    @MethodSource("kinds")
    void timedPollGetsAnElementOfferedWhileItWaits(BlockingQueueKind k, boolean tracked) throws Exception {
        final BlockingQueue<Integer> q = create(k, tracked, probe());
        final AtomicReference<Object> got = new AtomicReference<>();
        final Thread t = new Thread(() -> {
            try {
                got.set(q.poll(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                got.set(e);
            }
        });
        t.start();
        awaitState(t, Thread.State.TIMED_WAITING);
        assertThat(q.offer(5, 30, TimeUnit.SECONDS)).isTrue();
        t.join(10_000);
        assertThat(got.get()).isEqualTo(5);
    }

    // ---------------------------------------------------------------- bulk removals racing producers

    /**
     * Two producers put distinct elements while this thread clears, drains, removes single elements and polls. Every
     * element ends up exactly once: taken (poll, drainTo), removed (remove, clear), or never seen twice; the queue ends
     * empty; on the tracked class the counters add up exactly.
     */
    @ParameterizedTest(name = "{0} tracked={1}")
    @MethodSource("kinds")
    void clearDrainToAndRemoveRacingProducers(BlockingQueueKind k, boolean tracked) throws Exception {
        final Probe probe = probe();
        final BlockingQueue<Integer> q = create(k, tracked, probe);
        final int perProducer = 20_000;
        final Set<Integer> seen = ConcurrentHashMap.newKeySet();
        final CountDownLatch go = new CountDownLatch(1);
        final List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            final int base = p * perProducer;
            final Thread t = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < perProducer; i++) {
                        q.put(base + i);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            producers.add(t);
        }
        go.countDown();
        long taken = 0;
        long removedByRemove = 0;
        int round = 0;
        final List<Integer> sink = new ArrayList<>();
        while (producers.stream().anyMatch(Thread::isAlive) || !q.isEmpty()) {
            switch (round++ % 4) {
                case 0 -> q.clear();
                case 1 -> {
                    sink.clear();
                    taken += q.drainTo(sink, 5);
                    for (Integer e : sink) {
                        assertThat(seen.add(e)).as("taken twice: %s", e).isTrue();
                    }
                }
                case 2 -> {
                    final Integer head = q.peek();
                    if (head != null && q.remove(head)) {
                        removedByRemove++;
                        assertThat(seen.add(head)).as("taken twice: %s", head).isTrue();
                    }
                }
                default -> {
                    final Integer e = q.poll();
                    if (e != null) {
                        taken++;
                        assertThat(seen.add(e)).as("taken twice: %s", e).isTrue();
                    }
                }
            }
        }
        joinAll(producers);
        assertThat(q).isEmpty();
        assertThat(q.size()).isZero();
        if (tracked) {
            assertThat(probe.total(Slot.IN)).isEqualTo(2L * perProducer);
            assertThat(probe.total(Slot.OUT)).isEqualTo(taken);
            assertThat(probe.total(Slot.OUT) + probe.total(Slot.REMOVED)).isEqualTo(2L * perProducer);
            assertThat(probe.total(Slot.REMOVED)).isGreaterThanOrEqualTo(removedByRemove);
        }
        assertThat(new HashSet<>(seen)).allMatch(e -> e >= 0 && e < 2 * perProducer);
    }

    // ---------------------------------------------------------------- helpers

    private static Probe probe() {
        return Counters.queueProbe("contract");
    }

    private static void fill(BlockingQueue<Integer> q) {
        for (int i = 0; i < CAPACITY; i++) {
            assertThat(q.offer(i)).isTrue();
        }
    }

    private static void awaitQueued(ReentrantLock lock, Thread t) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!lock.hasQueuedThread(t)) {
            assertThat(System.nanoTime()).as("%s never queued on the lock", t).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static void awaitState(Thread t, Thread.State state) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != state) {
            assertThat(System.nanoTime()).as("%s never reached %s", t, state).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(10_000);
            assertThat(t.isAlive()).as("%s still running", t).isFalse();
        }
    }
}
