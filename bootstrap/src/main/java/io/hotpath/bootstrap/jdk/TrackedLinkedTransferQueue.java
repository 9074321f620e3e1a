package io.hotpath.bootstrap.jdk;

import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Slot;
import java.io.ObjectStreamException;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link LinkedTransferQueue} that counts what passes through it. Serializes as a plain LinkedTransferQueue with the
 * same elements.
 *
 * <p>The class was rewritten in JDK 21 (dual nodes, spinning before parking, interrupt checks on entry to
 * {@code transfer} and {@code take}); the facts that matter for counting hold on JDK 17 and 25:
 *
 * <ul>
 *   <li>{@code put}, {@code offer}, timed {@code offer} and {@code add} each call the internal {@code xfer} directly
 *       (none calls another), so all four are overridden; {@code addAll} (AbstractQueue) reaches {@code add}. The queue
 *       is unbounded: these never block or refuse.
 *   <li>{@code drainTo(c)} and {@code drainTo(c, n)} loop over the public, overridable {@code poll()} on both JDKs, so
 *       inheriting them would count each element as a dequeue and again as a drain. Both are implemented here with the
 *       same loop over {@code super.poll()}, which does not re-dispatch.
 *   <li>{@code clear}, {@code removeIf}, {@code removeAll}, {@code retainAll} share an internal bulk removal; {@code
 *       clear} is implemented here as a loop over {@code super.poll()} so that it counts exactly.
 *   <li>{@code remove()} (AbstractQueue) reaches {@code poll}; the constructor with a collection links nodes directly.
 * </ul>
 *
 * <p>Every override calls the JDK method once, so the JDK 17 and JDK 25 interrupt behaviours, which differ, are kept
 * exactly. Transfers: {@code tryTransfer(e)} that finds no waiting consumer does not enqueue and counts {@link
 * Slot#DROPPED}; {@code transfer(e)} and a timed {@code tryTransfer} count {@link Slot#BLOCKED} when a lock-free
 * {@code hasWaitingConsumer()} just before the call finds no consumer waiting, and a sample of those are timed until
 * a consumer takes the element ({@link Slot#IN} is counted when the call returns; if interrupted, the JDK withdraws
 * the element and nothing but the sampled time is recorded). {@code take} and a timed {@code poll} count {@link
 * Slot#WAITED} when a lock-free {@code isEmpty()} just before the call finds no element. Both reads race with other
 * threads: see {@link TrackedArrayBlockingQueue}.
 *
 * <p>Bulk removals are lock-free: a matched element that a consumer takes between the filter and the removal is counted
 * both as dequeued and as removed.
 */
public class TrackedLinkedTransferQueue<E> extends LinkedTransferQueue<E> {
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
    public TrackedLinkedTransferQueue(int probeId) {
        super();
        this.probe = Recording.attach(probeId, this);
        this.producers = probe.side(this);
        this.consumers = probe.side(this);
    }

    @SuppressWarnings("this-escape")
    public TrackedLinkedTransferQueue(Collection<? extends E> c, int probeId) {
        super(c);
        this.probe = Recording.attach(probeId, this);
        this.producers = probe.side(this);
        this.consumers = probe.side(this);
        Recording.add(probe, Slot.IN, super.size());
    }

    // ------------------------------------------------------------ producers

    @Override
    public void put(E e) {
        super.put(e);
        Recording.put(producers, Slot.IN);
    }

    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) {
        return Recording.offered(producers, super.offer(e, timeout, unit));
    }

    @Override
    public boolean offer(E e) {
        return Recording.offered(producers, super.offer(e));
    }

    @Override
    public boolean add(E e) {
        return Recording.offered(producers, super.add(e));
    }

    @Override
    public boolean tryTransfer(E e) {
        return Recording.offered(producers, super.tryTransfer(e));
    }

    @Override
    public void transfer(E e) throws InterruptedException {
        final long start = Recording.producerWaits(producers, e != null && !super.hasWaitingConsumer());
        try {
            super.transfer(e);
        } catch (InterruptedException ie) {
            throw Recording.putInterrupted(producers, start, ie);
        }
        Recording.offered(producers, start, true);
    }

    @Override
    public boolean tryTransfer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        final long start = Recording.producerWaits(producers, e != null && timeout > 0L && !super.hasWaitingConsumer());
        try {
            return Recording.offered(producers, start, super.tryTransfer(e, timeout, unit));
        } catch (InterruptedException ie) {
            throw Recording.putInterrupted(producers, start, ie);
        }
    }

    // ------------------------------------------------------------ consumers

    @Override
    public E poll() {
        return Recording.polled(consumers, super.poll());
    }

    @Override
    public E take() throws InterruptedException {
        final long start = Recording.consumerWaits(consumers, super.isEmpty());
        try {
            return Recording.polled(consumers, start, super.take());
        } catch (InterruptedException ie) {
            throw Recording.takeInterrupted(consumers, start, ie);
        }
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        final long start = Recording.consumerWaits(consumers, timeout > 0L && super.isEmpty());
        try {
            return Recording.polled(consumers, start, super.poll(timeout, unit));
        } catch (InterruptedException ie) {
            throw Recording.takeInterrupted(consumers, start, ie);
        }
    }

    /** The JDK's own loop, over {@code super.poll()}; counts every element taken, even if {@code c.add} throws. */
    @Override
    public int drainTo(Collection<? super E> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    /** The JDK's own loop, over {@code super.poll()}; counts every element taken, even if {@code c.add} throws. */
    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        Objects.requireNonNull(c);
        if (c == this) {
            throw new IllegalArgumentException();
        }
        int n = 0;
        try {
            for (E e; n < maxElements && (e = super.poll()) != null; ) {
                n++; // taken out of the queue, whatever c.add does
                c.add(e);
            }
        } finally {
            Recording.drained(consumers, n);
        }
        return n;
    }

    // ------------------------------------------------------------ other removals

    @Override
    public boolean remove(Object o) {
        return Recording.removed(probe, super.remove(o));
    }

    /** Takes every element with {@code super.poll()} (the JDK removes them all with a bulk pass) and counts them. */
    @Override
    public void clear() {
        int n = 0;
        while (super.poll() != null) {
            n++;
        }
        Recording.add(probe, Slot.REMOVED, n);
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

    /** Serialize as a plain LinkedTransferQueue with the same elements. */
    @SuppressWarnings("unchecked")
    protected Object writeReplace() throws ObjectStreamException {
        final LinkedTransferQueue<E> plain = new LinkedTransferQueue<>();
        for (Object e : super.toArray()) {
            plain.offer((E) e);
        }
        return plain;
    }

    /** Tells tests and tools which probe this queue records into. */
    public int hotpathProbeId() {
        return probe.id();
    }
}
