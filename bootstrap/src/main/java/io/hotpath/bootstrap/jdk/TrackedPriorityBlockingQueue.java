package io.hotpath.bootstrap.jdk;

import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Slot;
import java.io.ObjectStreamException;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link PriorityBlockingQueue} that counts what passes through it. Serializes as a plain PriorityBlockingQueue with
 * the same comparator and elements.
 *
 * <p>Delegation in the JDK (17 and 25 are the same): {@code add}, {@code put} and timed {@code offer} all call
 * {@code offer(e)} (the queue is unbounded and never blocks a producer, so it never counts {@link Slot#BLOCKED} or
 * {@link Slot#DROPPED}); {@code addAll} reaches {@code add}; {@code remove()} reaches {@code poll}; {@code drainTo(c)}
 * calls {@code drainTo(c, MAX_VALUE)}. Overridden: {@code offer(e)}, {@code poll}, timed {@code poll}, {@code take},
 * {@code drainTo(c, n)}, {@code remove(Object)}, {@code clear}, the bulk removals (the filter runs under the lock, so
 * the count is exact) and the iterator. The collection constructor copies into the heap directly. Every override
 * calls the JDK method once; whether {@code take} or a timed {@code poll} will wait is a lock-free read of the JDK's
 * size (see {@link TrackedArrayBlockingQueue} for what {@link Slot#WAITED} then counts).
 */
public class TrackedPriorityBlockingQueue<E> extends PriorityBlockingQueue<E> {
    static {
        Recording.initialize(); // the recording classes initialized with this one, not on a call path
    }

    private static final long serialVersionUID = 1L;

    private final transient Probe probe;

    /**
     * Where this queue's producers and its consumers count: each side counts without a locked instruction on the one
     * thread that drives it, on the probe's stripes on any other (see {@link Probe.Side}).
     */
    private final transient Probe.Side producers;

    private final transient Probe.Side consumers;

    @SuppressWarnings("this-escape")
    public TrackedPriorityBlockingQueue(int probeId) {
        super();
        this.probe = Recording.attach(probeId, this);
        this.producers = probe.side(this);
        this.consumers = probe.side(this);
    }

    @SuppressWarnings("this-escape")
    public TrackedPriorityBlockingQueue(int initialCapacity, int probeId) {
        super(initialCapacity);
        this.probe = Recording.attach(probeId, this);
        this.producers = probe.side(this);
        this.consumers = probe.side(this);
    }

    @SuppressWarnings("this-escape")
    public TrackedPriorityBlockingQueue(int initialCapacity, Comparator<? super E> comparator, int probeId) {
        super(initialCapacity, comparator);
        this.probe = Recording.attach(probeId, this);
        this.producers = probe.side(this);
        this.consumers = probe.side(this);
    }

    @SuppressWarnings("this-escape")
    public TrackedPriorityBlockingQueue(Collection<? extends E> c, int probeId) {
        super(c);
        this.probe = Recording.attach(probeId, this);
        this.producers = probe.side(this);
        this.consumers = probe.side(this);
        Recording.add(probe, Slot.IN, super.size());
    }

    /** The only enqueue primitive: {@code add}, {@code put} and timed {@code offer} call it. Always accepts. */
    @Override
    public boolean offer(E e) {
        return Recording.offered(producers, super.offer(e));
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

    /** Counts the elements moved; if {@code c.add} throws part way, the elements already moved are not counted. */
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
        Recording.clearCounted(probe, this, JdkQueueFields.PBQ_LOCK, JdkQueueFields.PBQ_SIZE, super::clear);
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

    private boolean removeMatching(Predicate<? super E> filter) {
        return Recording.removeIfCounted(probe, filter, super::removeIf);
    }

    /** Iterators count {@code Iterator.remove()} as a removal. */
    @Override
    public Iterator<E> iterator() {
        return new Recording.CountingIterator<>(super.iterator(), probe);
    }

    /** Serialize as a plain PriorityBlockingQueue with the same comparator and elements. */
    @SuppressWarnings("unchecked")
    protected Object writeReplace() throws ObjectStreamException {
        final Object[] elements = super.toArray(); // consistent: taken under the lock
        final PriorityBlockingQueue<E> plain =
                new PriorityBlockingQueue<>(Math.max(1, elements.length), super.comparator());
        for (Object e : elements) {
            plain.offer((E) e);
        }
        return plain;
    }

    /** Tells tests and tools which probe this queue records into. */
    public int hotpathProbeId() {
        return probe.id();
    }
}
