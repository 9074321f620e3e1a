package io.hotpath.bootstrap.jdk;

import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Slot;
import java.io.ObjectStreamException;
import java.util.Collection;
import java.util.Iterator;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link LinkedBlockingDeque} that counts what passes through it, at either end. Serializes as a plain
 * LinkedBlockingDeque with the same capacity and elements.
 *
 * <p>Delegation in the JDK (17 and 25 are the same): every queue, stack and collection method delegates to a
 * {@code First}/{@code Last} primitive: {@code add}, {@code addLast} and {@code offer} reach {@code offerLast};
 * {@code push} and {@code addFirst} reach {@code offerFirst}; {@code put} reaches {@code putLast}; timed {@code offer}
 * reaches timed {@code offerLast}; {@code remove()}, {@code pop}, {@code removeFirst} and {@code poll} reach
 * {@code pollFirst}; {@code removeLast} reaches {@code pollLast}; {@code take} reaches {@code takeFirst}; timed
 * {@code poll} reaches timed {@code pollFirst}; {@code remove(Object)} reaches {@code removeFirstOccurrence};
 * {@code drainTo(c)} reaches {@code drainTo(c, MAX_VALUE)}. Only the primitives are overridden: the four
 * {@code offer*}, two {@code put*}, four {@code poll*}, two {@code take*}, two {@code remove*Occurrence},
 * {@code drainTo(c, n)}, {@code addAll}, {@code clear}, the bulk removals and both iterators. The {@code reversed()}
 * view of JDK 21+ calls the same public methods and iterators, so it is counted too.
 *
 * <p>{@code addAll} appends the whole collection at once when it fits and otherwise falls back to AbstractQueue's
 * element-by-element {@code add} (which reaches {@code offerLast}, already counted). The override tells the two apart
 * by how often the JDK iterated the source (once, or twice), so no element is counted twice. The JDK's collection
 * constructor calls the overridable {@code addAll} before this class's fields are set; this class instead constructs
 * an empty unbounded deque and appends the collection itself, which is what the JDK constructor does.
 *
 * <p>Every override calls the JDK method it overrides once; whether a call that may wait will wait is a lock-free
 * read of the JDK's count (see {@link TrackedArrayBlockingQueue} for what {@link Slot#BLOCKED}/{@link Slot#WAITED}
 * then count). {@code putFirst}/{@code putLast}/{@code takeFirst}/{@code takeLast} take the lock uninterruptibly, so
 * an interrupted caller still succeeds when it need not wait, as with the JDK. Bulk removals run the filter outside the lock; see {@link TrackedLinkedBlockingQueue}.
 */
public class TrackedLinkedBlockingDeque<E> extends LinkedBlockingDeque<E> {
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
    public TrackedLinkedBlockingDeque(int probeId) {
        super();
        this.capacity = Integer.MAX_VALUE;
        this.probe = Recording.attach(probeId, this);
        this.producers = probe.side(this);
        this.consumers = probe.side(this);
    }

    @SuppressWarnings("this-escape")
    public TrackedLinkedBlockingDeque(int capacity, int probeId) {
        super(capacity);
        this.capacity = capacity;
        this.probe = Recording.attach(probeId, this);
        this.producers = probe.side(this);
        this.consumers = probe.side(this);
    }

    @SuppressWarnings("this-escape")
    public TrackedLinkedBlockingDeque(Collection<? extends E> c, int probeId) {
        super(); // the JDK constructor is this(MAX_VALUE) followed by addAll(c)
        this.capacity = Integer.MAX_VALUE;
        this.probe = Recording.attach(probeId, this);
        this.producers = probe.side(this);
        this.consumers = probe.side(this);
        appendAll(c);
    }

    // ------------------------------------------------------------ producers

    @Override
    public boolean offerFirst(E e) {
        return Recording.offered(producers, super.offerFirst(e));
    }

    @Override
    public boolean offerLast(E e) {
        return Recording.offered(producers, super.offerLast(e));
    }

    @Override
    public void putFirst(E e) throws InterruptedException {
        final long start = Recording.producerWaits(producers, e != null && JdkQueueFields.count(this) >= capacity);
        try {
            super.putFirst(e);
        } catch (InterruptedException ie) {
            throw Recording.putInterrupted(producers, start, ie);
        }
        Recording.offered(producers, start, true);
    }

    @Override
    public void putLast(E e) throws InterruptedException {
        final long start = Recording.producerWaits(producers, e != null && JdkQueueFields.count(this) >= capacity);
        try {
            super.putLast(e);
        } catch (InterruptedException ie) {
            throw Recording.putInterrupted(producers, start, ie);
        }
        Recording.offered(producers, start, true);
    }

    @Override
    public boolean offerFirst(E e, long timeout, TimeUnit unit) throws InterruptedException {
        final long start =
                Recording.producerWaits(producers, e != null && timeout > 0L && JdkQueueFields.count(this) >= capacity);
        try {
            return Recording.offered(producers, start, super.offerFirst(e, timeout, unit));
        } catch (InterruptedException ie) {
            throw Recording.putInterrupted(producers, start, ie);
        }
    }

    @Override
    public boolean offerLast(E e, long timeout, TimeUnit unit) throws InterruptedException {
        final long start =
                Recording.producerWaits(producers, e != null && timeout > 0L && JdkQueueFields.count(this) >= capacity);
        try {
            return Recording.offered(producers, start, super.offerLast(e, timeout, unit));
        } catch (InterruptedException ie) {
            throw Recording.putInterrupted(producers, start, ie);
        }
    }

    @Override
    public boolean addAll(Collection<? extends E> c) {
        return appendAll(c);
    }

    private boolean appendAll(Collection<? extends E> c) {
        if (c == this) {
            throw new IllegalArgumentException(); // as the JDK does, before the view below would hide it
        }
        final Recording.CountingSource<E> source = new Recording.CountingSource<>(c);
        final boolean changed = super.addAll(source);
        // One pass: the JDK appended the chain it built at once. Two passes: it fell back to add() per element,
        // which offerLast counted.
        if (source.passes() == 1) {
            Recording.add(probe, Slot.IN, source.yielded());
        }
        return changed;
    }

    // ------------------------------------------------------------ consumers

    @Override
    public E pollFirst() {
        return Recording.polled(consumers, super.pollFirst());
    }

    @Override
    public E pollLast() {
        return Recording.polled(consumers, super.pollLast());
    }

    @Override
    public E takeFirst() throws InterruptedException {
        final long start = Recording.consumerWaits(consumers, JdkQueueFields.count(this) == 0);
        try {
            return Recording.polled(consumers, start, super.takeFirst());
        } catch (InterruptedException ie) {
            throw Recording.takeInterrupted(consumers, start, ie);
        }
    }

    @Override
    public E takeLast() throws InterruptedException {
        final long start = Recording.consumerWaits(consumers, JdkQueueFields.count(this) == 0);
        try {
            return Recording.polled(consumers, start, super.takeLast());
        } catch (InterruptedException ie) {
            throw Recording.takeInterrupted(consumers, start, ie);
        }
    }

    @Override
    public E pollFirst(long timeout, TimeUnit unit) throws InterruptedException {
        final long start = Recording.consumerWaits(consumers, timeout > 0L && JdkQueueFields.count(this) == 0);
        try {
            return Recording.polled(consumers, start, super.pollFirst(timeout, unit));
        } catch (InterruptedException ie) {
            throw Recording.takeInterrupted(consumers, start, ie);
        }
    }

    @Override
    public E pollLast(long timeout, TimeUnit unit) throws InterruptedException {
        final long start = Recording.consumerWaits(consumers, timeout > 0L && JdkQueueFields.count(this) == 0);
        try {
            return Recording.polled(consumers, start, super.pollLast(timeout, unit));
        } catch (InterruptedException ie) {
            throw Recording.takeInterrupted(consumers, start, ie);
        }
    }

    /** Counts the elements moved; if {@code c.add} throws part way, the elements already moved are not counted. */
    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        return Recording.drained(consumers, super.drainTo(c, maxElements));
    }

    // ------------------------------------------------------------ other removals

    @Override
    public boolean removeFirstOccurrence(Object o) {
        return Recording.removed(probe, super.removeFirstOccurrence(o));
    }

    @Override
    public boolean removeLastOccurrence(Object o) {
        return Recording.removed(probe, super.removeLastOccurrence(o));
    }

    /** The JDK's {@code clear} under its own lock, counting what it empties: see {@link Recording#clearCounted}. */
    @Override
    public void clear() {
        Recording.clearCounted(probe, this, JdkQueueFields.LBD_LOCK, JdkQueueFields.LBD_COUNT, super::clear);
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

    /** Iterators count {@code Iterator.remove()} as a removal; the JDK 21+ reversed view iterates with this one. */
    @Override
    public Iterator<E> descendingIterator() {
        return new Recording.CountingIterator<>(super.descendingIterator(), probe);
    }

    /** Serialize as a plain LinkedBlockingDeque with the same capacity and elements. */
    @SuppressWarnings("unchecked")
    protected Object writeReplace() throws ObjectStreamException {
        final Object[] elements = super.toArray(); // consistent: taken under the lock
        final LinkedBlockingDeque<E> plain = new LinkedBlockingDeque<>(capacity);
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
