package io.hotpath.bootstrap.jdk;

import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Slot;
import java.io.ObjectStreamException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An {@link ArrayBlockingQueue} that counts what passes through it. Serializes as a plain ArrayBlockingQueue with the
 * same capacity, fairness and elements, so a JVM without the agent can read it back.
 *
 * <p>Which JDK methods call which matters for exact counts; JDK 17 and 25 agree on all of it:
 *
 * <ul>
 *   <li>{@code add} calls {@code super.add} (AbstractQueue), which calls {@code offer}; {@code addAll} calls {@code add}
 *       per element; {@code remove()} calls {@code poll}; {@code drainTo(c)} calls {@code drainTo(c, MAX_VALUE)}. These
 *       are inherited, so each element is counted once, in the primitive it reaches.
 *   <li>{@code offer}, the timed {@code offer}, {@code put}, {@code poll}, the timed {@code poll}, {@code take},
 *       {@code drainTo(c, n)}, {@code remove(Object)} and {@code clear} work on the array under the lock and call no
 *       overridable method, so they are overridden.
 *   <li>{@code removeIf}/{@code removeAll}/{@code retainAll} test and remove under the lock, except while iterators
 *       are live: then ArrayBlockingQueue hands over to {@code Collection.removeIf}, which removes through the
 *       overridable {@code iterator()}. See {@code removeMatching} for how that is still counted once.
 *   <li>{@code Iterator.remove()} is counted as a removal by wrapping the iterator.
 *   <li>The constructor with a collection fills the array directly, calling nothing overridable.
 * </ul>
 *
 * <p>Every override calls the JDK method it overrides exactly once, so locking, interrupts, fairness (the order in
 * which waiting threads of a fair queue get in), ordering and exceptions are the JDK's. Before a call that may wait
 * ({@code put}, {@code take}, timed {@code offer}/{@code poll} with a positive timeout) the JDK's count is read
 * without the lock; when it says the call will wait (and the thread is not interrupted), the call counts {@link
 * Slot#BLOCKED} or {@link Slot#WAITED} and a sample of those calls is timed. That read races with other threads, so
 * those two counters count calls that found the queue full or empty just before calling, not parks; {@code in},
 * {@code out} and {@code dropped} are exact.
 */
public class TrackedArrayBlockingQueue<E> extends ArrayBlockingQueue<E> {
    private static final long serialVersionUID = 1L;

    /** The probe; transient because a deserialized queue is a plain one (see writeReplace). */
    private final transient Probe probe;

    /**
     * Where this queue's producers and its consumers count: each side counts without a locked instruction on the one
     * thread that drives it, on the probe's stripes on any other (see {@link Probe.Side}).
     */
    private final transient Probe.Side producers;

    private final transient Probe.Side consumers;

    /** Kept for writeReplace: the JDK class exposes neither. */
    private final int capacity;

    private final boolean fair;

    /** The thread inside {@link #removeMatching}, if any; see there. */
    @SuppressWarnings("unused") // accessed through BULK_REMOVER
    private transient volatile Thread bulkRemover;

    private static final VarHandle BULK_REMOVER;

    static {
        Recording.initialize();
        try {
            BULK_REMOVER =
                    MethodHandles.lookup().findVarHandle(TrackedArrayBlockingQueue.class, "bulkRemover", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("this-escape")
    public TrackedArrayBlockingQueue(int capacity, int probeId) {
        super(capacity);
        this.capacity = capacity;
        this.fair = false;
        this.probe = Recording.attach(probeId, this);
        this.producers = probe.side(this);
        this.consumers = probe.side(this);
    }

    @SuppressWarnings("this-escape")
    public TrackedArrayBlockingQueue(int capacity, boolean fair, int probeId) {
        super(capacity, fair);
        this.capacity = capacity;
        this.fair = fair;
        this.probe = Recording.attach(probeId, this);
        this.producers = probe.side(this);
        this.consumers = probe.side(this);
    }

    @SuppressWarnings("this-escape")
    public TrackedArrayBlockingQueue(int capacity, boolean fair, Collection<? extends E> c, int probeId) {
        super(capacity, fair, c);
        this.capacity = capacity;
        this.fair = fair;
        this.probe = Recording.attach(probeId, this);
        this.producers = probe.side(this);
        this.consumers = probe.side(this);
        Recording.add(probe, Slot.IN, super.size());
    }

    @Override
    public boolean offer(E e) {
        return Recording.offered(producers, super.offer(e));
    }

    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        final long start =
                Recording.producerWaits(producers, e != null && timeout > 0L && JdkQueueFields.count(this) >= capacity);
        try {
            return Recording.offered(producers, start, super.offer(e, timeout, unit));
        } catch (InterruptedException ie) {
            throw Recording.putInterrupted(producers, start, ie);
        }
    }

    @Override
    public void put(E e) throws InterruptedException {
        final long start = Recording.producerWaits(producers, e != null && JdkQueueFields.count(this) >= capacity);
        try {
            super.put(e);
        } catch (InterruptedException ie) {
            throw Recording.putInterrupted(producers, start, ie);
        }
        Recording.offered(producers, start, true);
    }

    @Override
    public E poll() {
        return Recording.polled(consumers, super.poll());
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        final long start = Recording.consumerWaits(consumers, timeout > 0L && JdkQueueFields.count(this) == 0);
        try {
            return Recording.polled(consumers, start, super.poll(timeout, unit));
        } catch (InterruptedException ie) {
            throw Recording.takeInterrupted(consumers, start, ie);
        }
    }

    @Override
    public E take() throws InterruptedException {
        final long start = Recording.consumerWaits(consumers, JdkQueueFields.count(this) == 0);
        try {
            return Recording.polled(consumers, start, super.take());
        } catch (InterruptedException ie) {
            throw Recording.takeInterrupted(consumers, start, ie);
        }
    }

    /**
     * Counts the elements moved. If {@code c.add} throws part way, the JDK keeps the elements it already moved out of
     * the queue and rethrows; those are not counted.
     */
    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        return Recording.drained(consumers, super.drainTo(c, maxElements));
    }

    @Override
    public boolean remove(Object o) {
        return Recording.removed(probe, super.remove(o));
    }

    /** The JDK's {@code clear} under its own lock, counting what it empties: see {@link Recording#clearCounted}. */
    @Override
    public void clear() {
        Recording.clearCounted(probe, this, JdkQueueFields.ABQ_LOCK, JdkQueueFields.ABQ_COUNT, super::clear);
    }

    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        return removeMatching(filter);
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        return removeMatching(Recording.in(c));
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        return removeMatching(Recording.notIn(c));
    }

    /**
     * Without live iterators the JDK's bulk removal tests and removes under one lock hold, so the matches are exactly
     * the removals. With live iterators (both JDKs) it falls back to {@code Collection.removeIf}, which removes through
     * this class's {@code iterator()}; while this thread owns {@link #bulkRemover} that method hands out uncounted
     * iterators, so the predicate alone counts either way. If another thread is in a bulk removal of this queue, this
     * one runs the JDK's fallback algorithm itself with a counting iterator.
     */
    private boolean removeMatching(Predicate<? super E> filter) {
        final Thread me = Thread.currentThread();
        if (BULK_REMOVER.compareAndSet(this, (Thread) null, me)) {
            try {
                return Recording.removeIfCounted(probe, filter, super::removeIf);
            } finally {
                BULK_REMOVER.setRelease(this, (Thread) null);
            }
        }
        Objects.requireNonNull(filter);
        boolean any = false;
        for (Iterator<E> it = new Recording.CountingIterator<>(super.iterator(), probe); it.hasNext(); ) {
            if (filter.test(it.next())) {
                it.remove();
                any = true;
            }
        }
        return any;
    }

    /**
     * Iterators count {@code Iterator.remove()} as a removal, except those the JDK's bulk-removal fallback asks for on
     * the thread running {@link #removeMatching}, which counts by itself.
     */
    @Override
    public Iterator<E> iterator() {
        final Iterator<E> it = super.iterator();
        return BULK_REMOVER.getOpaque(this) == Thread.currentThread()
                ? it
                : new Recording.CountingIterator<>(it, probe);
    }

    /** Serialize as a plain ArrayBlockingQueue with the same capacity, fairness and elements. */
    @SuppressWarnings("unchecked")
    protected Object writeReplace() throws ObjectStreamException {
        final Object[] elements = super.toArray(); // one consistent snapshot, taken under the lock
        return new ArrayBlockingQueue<>(capacity, fair, Arrays.asList((E[]) elements));
    }

    /** Tells tests and tools which probe this queue records into. */
    public int hotpathProbeId() {
        return probe.id();
    }
}
