package io.hotpath.bootstrap.jdk;

import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Slot;
import java.io.ObjectStreamException;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.Iterator;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A {@link LinkedBlockingQueue} that counts what passes through it. Serializes as a plain LinkedBlockingQueue with
 * the same capacity and elements.
 *
 * <p>Delegation in the JDK (17 and 25 are the same): {@code add} and {@code addAll} reach {@code offer} through
 * AbstractQueue, {@code remove()} reaches {@code poll}, {@code drainTo(c)} calls {@code drainTo(c, MAX_VALUE)}; those
 * are inherited. {@code offer}, timed {@code offer}, {@code put}, {@code poll}, timed {@code poll}, {@code take},
 * {@code drainTo(c, n)}, {@code remove(Object)}, {@code clear} and the bulk removals link and unlink nodes themselves
 * and are overridden. The collection constructor links nodes directly.
 *
 * <p>Every override calls the JDK method it overrides once. Whether a call that may wait will wait is read from the
 * JDK's atomic count without a lock ({@code remainingCapacity()}/{@code size()} read it lock-free); see {@link
 * TrackedArrayBlockingQueue} for what {@link Slot#BLOCKED}/{@link Slot#WAITED} then count.
 *
 * <p>Bulk removals ({@code removeIf}, {@code removeAll}, {@code retainAll}) run the filter outside the locks, in
 * batches, and skip a matched element that another thread dequeued meanwhile; such an element is counted both as
 * dequeued and as removed. This needs a bulk removal racing a consumer for the same element.
 */
public class TrackedLinkedBlockingQueue<E> extends LinkedBlockingQueue<E> {
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

    /** Kept for writeReplace: the JDK class does not expose it. */
    private final int capacity;

    @SuppressWarnings("this-escape")
    public TrackedLinkedBlockingQueue(int probeId) {
        super();
        this.capacity = Integer.MAX_VALUE;
        this.probe = Recording.attach(probeId, this);
        this.producers = probe.side(this);
        this.consumers = probe.side(this);
    }

    @SuppressWarnings("this-escape")
    public TrackedLinkedBlockingQueue(int capacity, int probeId) {
        super(capacity);
        this.capacity = capacity;
        this.probe = Recording.attach(probeId, this);
        this.producers = probe.side(this);
        this.consumers = probe.side(this);
    }

    @SuppressWarnings("this-escape")
    public TrackedLinkedBlockingQueue(Collection<? extends E> c, int probeId) {
        super(c);
        this.capacity = Integer.MAX_VALUE;
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
                Recording.producerWaits(producers, e != null && timeout > 0L && super.remainingCapacity() == 0);
        try {
            return Recording.offered(producers, start, super.offer(e, timeout, unit));
        } catch (InterruptedException ie) {
            throw Recording.putInterrupted(producers, start, ie);
        }
    }

    @Override
    public void put(E e) throws InterruptedException {
        final long start = Recording.producerWaits(producers, e != null && super.remainingCapacity() == 0);
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
        final long start = Recording.consumerWaits(consumers, timeout > 0L && super.size() == 0);
        try {
            return Recording.polled(consumers, start, super.poll(timeout, unit));
        } catch (InterruptedException ie) {
            throw Recording.takeInterrupted(consumers, start, ie);
        }
    }

    @Override
    public E take() throws InterruptedException {
        final long start = Recording.consumerWaits(consumers, super.size() == 0);
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

    /**
     * The JDK's {@code clear}, run while this thread already holds both locks, taken in the JDK's order (put lock,
     * then take lock, uninterruptibly), so that the count it empties can be read exactly. The JDK's own acquisitions
     * inside are then re-entries: no hand-off, no queueing, the same locks held over the same work as without this
     * class.
     */
    @Override
    public void clear() {
        final VarHandle putLockField = JdkQueueFields.LBQ_PUT_LOCK;
        final VarHandle takeLockField = JdkQueueFields.LBQ_TAKE_LOCK;
        if (putLockField == null || takeLockField == null) {
            super.clear(); // removals not counted: see JdkQueueFields
            return;
        }
        final ReentrantLock putLock = (ReentrantLock) putLockField.get((LinkedBlockingQueue<?>) this);
        final ReentrantLock takeLock = (ReentrantLock) takeLockField.get((LinkedBlockingQueue<?>) this);
        final int removed;
        putLock.lock();
        takeLock.lock();
        try {
            removed = super.size();
            super.clear();
        } finally {
            takeLock.unlock();
            putLock.unlock();
        }
        Recording.add(probe, Slot.REMOVED, removed);
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

    /** Serialize as a plain LinkedBlockingQueue with the same capacity and elements. */
    @SuppressWarnings("unchecked")
    protected Object writeReplace() throws ObjectStreamException {
        final Object[] elements = super.toArray(); // consistent: taken under both locks
        final LinkedBlockingQueue<E> plain = new LinkedBlockingQueue<>(capacity);
        for (Object e : elements) {
            plain.add((E) e);
        }
        return plain;
    }

    /** Tells tests and tools which probe this queue records into. */
    public int hotpathProbeId() {
        return probe.id();
    }
}
