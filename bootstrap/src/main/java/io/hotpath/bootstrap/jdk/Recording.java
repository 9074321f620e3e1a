package io.hotpath.bootstrap.jdk;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * What the tracked JDK subclasses record, in one place, each call guarded so that a fault in recording disables the
 * probe instead of reaching the application. Every element in or out is counted; only calls that are about to wait
 * are timed, and only a sample of those (the probe's sampling mask), since a clock read costs about as much as the
 * queue operation itself.
 */
final class Recording {
    private Recording() {}

    /**
     * Initializes the classes the tracked JDK classes' calls use; called by each tracked class's own static
     * initializer, so on the thread that first constructs one. Left to the first call instead, a virtual thread reaching
     * one of them while another virtual thread runs its initializer waits for it pinned to its carrier (JDK 21 to 25:
     * "Waited for initialization of ... by another thread"), in the middle of a queue call the JDK's own class would
     * have made without any class initialization once constructed.
     */
    static void initialize() {
        final MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            lookup.ensureInitialized(JdkQueueFields.class);
            lookup.ensureInitialized(SampleSlots.class);
            lookup.ensureInitialized(PoolRecorder.class);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e); // same package: cannot happen
        }
    }

    static void increment(Probe p, int slot) {
        try {
            p.increment(slot);
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /** Counts one event on a queue's side (see {@link Probe.Side}): a plain add on the thread that owns the side. */
    static void increment(Probe.Side s, int slot) {
        try {
            s.increment(slot);
        } catch (Throwable t) {
            s.probe().fail(t);
        }
    }

    static void add(Probe p, int slot, long n) {
        try {
            if (n != 0) {
                p.add(slot, n);
            }
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    static void track(Probe p, Object instance) {
        try {
            p.track(instance);
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /** The probe of a tracked queue or pool being constructed, with the instance remembered for its gauges. */
    static Probe attach(int probeId, Object instance) {
        final Probe p = Probes.get(probeId);
        track(p, instance);
        return p;
    }

    // The overrides of a tracked queue are the JDK call between the helpers below, so that every queue records the
    // same way and only chooses what it passes: which side, and its own lock-free read of whether the call will wait.
    // Each helper is a small static method that inlines into the override; none allocates or reads the clock unless
    // a sampled wait is being timed.

    /** A non-blocking producer call ({@code offer}) returned: counts {@link Slot#IN} or {@link Slot#DROPPED}. */
    static boolean offered(Probe.Side producers, boolean accepted) {
        put(producers, accepted ? Slot.IN : Slot.DROPPED);
        return accepted;
    }

    /**
     * Counts an element offered to a queue; a sampled one is also a sample of the pipeline edge from where the calling
     * thread took its work ({@link io.hotpath.bootstrap.Flows}).
     */
    static void put(Probe.Side producers, int slot) {
        try {
            if (producers.countSampled(slot)) {
                io.hotpath.bootstrap.Flows.put(producers.probe().id());
            }
        } catch (Throwable t) {
            producers.probe().fail(t);
        }
    }

    /** Counts an element taken from a queue; a sampled take marks the calling thread as working for this queue. */
    private static void took(Probe.Side consumers) {
        try {
            if (consumers.countSampled(Slot.OUT)) {
                io.hotpath.bootstrap.Flows.took(consumers.probe().id());
            }
        } catch (Throwable t) {
            consumers.probe().fail(t);
        }
    }

    /** A non-blocking consumer call ({@code poll}) returned: counts {@link Slot#OUT} when it received an element. */
    static <E> E polled(Probe.Side consumers, E e) {
        if (e != null) {
            took(consumers);
        }
        return e;
    }

    /** A removal of one given element returned: counts {@link Slot#REMOVED} when it removed it. */
    static boolean removed(Probe p, boolean removed) {
        if (removed) {
            increment(p, Slot.REMOVED);
        }
        return removed;
    }

    /**
     * A producer call that may wait ({@code put}, timed {@code offer} with a positive timeout, {@code transfer}) is
     * about to call the JDK method; {@code full} is the queue's lock-free guess that it will wait. When it will (and
     * the thread is not interrupted, see {@link #mayWait}) counts {@link Slot#BLOCKED} and returns a start time if
     * this call is sampled; else 0. Pass the result to {@link #offered(Probe.Side, long, boolean)} or, on an
     * interrupt, {@link #putInterrupted}.
     */
    static long producerWaits(Probe.Side producers, boolean full) {
        return full && mayWait() ? aboutToWait(producers, Slot.BLOCKED) : 0L;
    }

    /**
     * A consumer call that may wait ({@code take}, timed {@code poll} with a positive timeout) is about to call the
     * JDK method; {@code empty} is the queue's lock-free guess that it will wait. Counts {@link Slot#WAITED} like
     * {@link #producerWaits}; pass the result to {@link #polled(Probe.Side, long, Object)} or {@link
     * #takeInterrupted}.
     */
    static long consumerWaits(Probe.Side consumers, boolean empty) {
        return empty && mayWait() ? aboutToWait(consumers, Slot.WAITED) : 0L;
    }

    /**
     * A call that may wait (put, timed offer or poll with a positive timeout, take, transfer) is about to call the JDK
     * method, and a lock-free read of the queue's count just before says it will wait. Counts the call in {@code slot}
     * ({@link Slot#BLOCKED} or {@link Slot#WAITED}) and returns a start time when this call is sampled, else 0.
     *
     * <p>The read races with other threads (a consumer may make room, a producer may fill the last slot), so the
     * count is of calls that found the queue full (or empty) just before calling, which is what the docs promise; it
     * is only used to choose which calls to count and time, never to change what the JDK does.
     */
    private static long aboutToWait(Probe.Side s, int slot) {
        try {
            return s.tick(slot);
        } catch (Throwable t) {
            s.probe().fail(t);
            return 0L;
        }
    }

    /**
     * Whether the calling thread may wait in a blocking JDK method: an interrupted thread throws instead (or, in the
     * few uninterruptible-lock cases, returns at once), so it is not counted as waiting.
     */
    private static boolean mayWait() {
        return !Thread.currentThread().isInterrupted();
    }

    /**
     * A producer call that may wait returned: counts {@link Slot#IN} or {@link Slot#DROPPED}, and records the time
     * since {@code start} as {@link Dist#LATENCY} when {@code start} came from a sampled {@link #producerWaits}.
     */
    static boolean offered(Probe.Side producers, long start, boolean accepted) {
        try {
            if (producers.countSampled(accepted ? Slot.IN : Slot.DROPPED)) {
                io.hotpath.bootstrap.Flows.put(producers.probe().id());
            }
            if (start != 0L) {
                producers.probe().record(Dist.LATENCY, System.nanoTime() - start);
            }
        } catch (Throwable t) {
            producers.probe().fail(t);
        }
        return accepted;
    }

    /**
     * A consumer call that may wait returned {@code e}: counts {@link Slot#OUT} when it is an element, and records the
     * time since {@code start} as {@link Dist#WAIT} when {@code start} came from a sampled {@link #consumerWaits}.
     */
    static <E> E polled(Probe.Side consumers, long start, E e) {
        try {
            if (e != null && consumers.countSampled(Slot.OUT)) {
                io.hotpath.bootstrap.Flows.took(consumers.probe().id());
            }
            if (start != 0L) {
                consumers.probe().record(Dist.WAIT, System.nanoTime() - start);
            }
        } catch (Throwable t) {
            consumers.probe().fail(t);
        }
        return e;
    }

    /**
     * A producer call that may wait was interrupted: nothing went in, so only the time of a sampled wait is recorded
     * (as {@link Dist#LATENCY}). Returns {@code ie} for the override to rethrow.
     */
    static InterruptedException putInterrupted(Probe.Side producers, long start, InterruptedException ie) {
        abandoned(producers.probe(), Dist.LATENCY, start);
        return ie;
    }

    /**
     * A consumer call that may wait was interrupted: nothing came out, so only the time of a sampled wait is recorded
     * (as {@link Dist#WAIT}). Returns {@code ie} for the override to rethrow.
     */
    static InterruptedException takeInterrupted(Probe.Side consumers, long start, InterruptedException ie) {
        abandoned(consumers.probe(), Dist.WAIT, start);
        return ie;
    }

    private static void abandoned(Probe p, int dist, long start) {
        if (start == 0L) {
            return;
        }
        try {
            p.record(dist, System.nanoTime() - start);
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /**
     * The {@code clear} of a queue guarded by one lock ({@code ArrayBlockingQueue}, {@code LinkedBlockingDeque},
     * {@code PriorityBlockingQueue}): the JDK's own ({@code jdkClear}, the override's {@code super::clear}) runs while
     * this thread already holds the queue's lock, taken uninterruptibly as the JDK takes it, so that the count it
     * empties can be read exactly. The JDK's {@code lock()} inside is then a re-entry (no hand-off, no queueing), and
     * other threads see the lock taken once per call, as without the subclass. Without the fields (see {@link
     * JdkQueueFields}) the removals are not counted. Not a hot path: the method reference is allocated.
     */
    static void clearCounted(Probe probe, Object queue, VarHandle lockField, VarHandle countField, Runnable jdkClear) {
        if (lockField == null || countField == null) {
            jdkClear.run(); // removals not counted: see JdkQueueFields
            return;
        }
        final ReentrantLock lock = (ReentrantLock) lockField.get(queue);
        final int removed;
        lock.lock();
        try {
            removed = (int) countField.get(queue);
            jdkClear.run();
        } finally {
            lock.unlock();
        }
        add(probe, Slot.REMOVED, removed);
    }

    /** A batch drain moved {@code n} elements; returns {@code n}. Empty drains are not batches. */
    static int drained(Probe.Side consumers, int n) {
        if (n <= 0) {
            return n;
        }
        try {
            consumers.add(Slot.OUT, n);
            if (consumers.countSampled(Slot.BATCHES)) {
                io.hotpath.bootstrap.Flows.took(consumers.probe().id());
            }
            consumers.add(Slot.BATCH_ITEMS, n);
            consumers.probe().record(Dist.SIZE, n);
        } catch (Throwable t) {
            consumers.probe().fail(t);
        }
        return n;
    }

    /**
     * Wraps a queue's iterator so that {@code Iterator.remove()} counts as {@link Slot#REMOVED}. One object per
     * {@code iterator()} call, which allocates an iterator anyway. The JDK iterators' {@code remove()} return nothing
     * and silently do nothing when another thread removed the element first, so that rare race counts one too many.
     */
    static final class CountingIterator<E> implements Iterator<E> {
        private final Iterator<E> it;
        private final Probe probe;

        CountingIterator(Iterator<E> it, Probe probe) {
            this.it = it;
            this.probe = probe;
        }

        @Override
        public boolean hasNext() {
            return it.hasNext();
        }

        @Override
        public E next() {
            return it.next();
        }

        @Override
        public void remove() {
            it.remove();
            increment(probe, Slot.REMOVED);
        }

        @Override
        public void forEachRemaining(java.util.function.Consumer<? super E> action) {
            it.forEachRemaining(action);
        }
    }

    /**
     * A view of a source collection that counts how often it was iterated and how many elements it handed out; lets
     * {@code addAll} overrides count the elements a JDK bulk append took in one pass without counting twice when the
     * JDK falls back to element-by-element {@code add}. Used by the rare bulk additions only.
     */
    static final class CountingSource<E> extends AbstractCollection<E> {
        private final Collection<? extends E> source;
        private int passes;
        private int yielded;

        CountingSource(Collection<? extends E> source) {
            this.source = Objects.requireNonNull(source);
        }

        @Override
        public Iterator<E> iterator() {
            passes++;
            final Iterator<? extends E> it = source.iterator();
            return new Iterator<E>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public E next() {
                    final E e = it.next();
                    yielded++;
                    return e;
                }
            };
        }

        @Override
        public int size() {
            return source.size();
        }

        /** How many times the collection was iterated. */
        int passes() {
            return passes;
        }

        /** How many elements all passes handed out. */
        int yielded() {
            return yielded;
        }
    }

    /**
     * A tracked queue's bulk removal ({@code removeIf}, and {@code removeAll}, {@code retainAll} through it): the JDK's
     * own {@code removeIf}, passed as {@code super::removeIf}, runs once with a filter that counts its matches, and
     * the matches are recorded as removals. The JDK's algorithm, locking and exceptions are untouched; a filter that
     * throws part way leaves what was already removed uncounted, as the JDK leaves it removed.
     */
    static <E> boolean removeIfCounted(Probe probe, Predicate<? super E> filter, Predicate<Predicate<E>> jdkRemoveIf) {
        final CountingPredicate<E> counting = new CountingPredicate<>(filter);
        final boolean any = jdkRemoveIf.test(counting);
        add(probe, Slot.REMOVED, counting.matched());
        return any;
    }

    /** The filter of {@code removeAll(c)}: the elements {@code c} contains; a null {@code c} throws, as in the JDK. */
    static Predicate<Object> in(Collection<?> c) {
        Objects.requireNonNull(c);
        return c::contains;
    }

    /** The filter of {@code retainAll(c)}: the elements {@code c} does not contain; a null {@code c} throws. */
    static Predicate<Object> notIn(Collection<?> c) {
        Objects.requireNonNull(c);
        return e -> !c.contains(e);
    }

    /** Wraps a removal filter to count how many elements it matched; used by the rare bulk removals only. */
    static final class CountingPredicate<E> implements Predicate<E> {
        private final Predicate<? super E> filter;
        private int matched;

        CountingPredicate(Predicate<? super E> filter) {
            this.filter = Objects.requireNonNull(filter);
        }

        @Override
        public boolean test(E e) {
            final boolean m = filter.test(e);
            if (m) {
                matched++;
            }
            return m;
        }

        int matched() {
            return matched;
        }
    }
}
