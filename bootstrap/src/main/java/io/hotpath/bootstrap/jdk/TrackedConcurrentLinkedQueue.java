package io.hotpath.bootstrap.jdk;

import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Slot;
import java.io.ObjectStreamException;
import java.util.Collection;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * A {@link ConcurrentLinkedQueue} that counts what passes through it. It never blocks, so it never counts {@link
 * Slot#BLOCKED} or {@link Slot#WAITED}; it is unbounded, so {@code offer} never refuses. Serializes as a plain
 * ConcurrentLinkedQueue with the same elements.
 *
 * <p>Delegation in the JDK (17 and 25 are identical): {@code add} calls {@code offer}; {@code remove()}
 * (AbstractQueue) calls {@code poll}; {@code addAll} appends a privately built chain with one CAS and calls nothing
 * overridable, so it is overridden and counts the elements it took in its single pass over the source; {@code clear}
 * is a bulk removal, implemented here as a loop over {@code super.poll()} so that it counts exactly. The constructor
 * with a collection links nodes directly.
 *
 * <p>Bulk removals and {@code Iterator.remove()} are lock-free and report nothing per element: a matched element that
 * a consumer polls in between is counted both as dequeued and as removed.
 */
public class TrackedConcurrentLinkedQueue<E> extends ConcurrentLinkedQueue<E> {
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
    public TrackedConcurrentLinkedQueue(int probeId) {
        super();
        this.probe = Recording.attach(probeId, this);
        this.producers = probe.side(this);
        this.consumers = probe.side(this);
    }

    @SuppressWarnings("this-escape")
    public TrackedConcurrentLinkedQueue(Collection<? extends E> c, int probeId) {
        super(c);
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
    public boolean addAll(Collection<? extends E> c) {
        if (c == this) {
            throw new IllegalArgumentException(); // as the JDK does, before the view below would hide it
        }
        final Recording.CountingSource<E> source = new Recording.CountingSource<>(c);
        final boolean changed = super.addAll(source);
        Recording.add(probe, Slot.IN, source.yielded());
        return changed;
    }

    @Override
    public E poll() {
        return Recording.polled(consumers, super.poll());
    }

    @Override
    public boolean remove(Object o) {
        return Recording.removed(probe, super.remove(o));
    }

    /** Takes every element with {@code super.poll()} (the JDK removes them with a bulk pass) and counts them. */
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

    /** Serialize as a plain ConcurrentLinkedQueue with the same elements. */
    @SuppressWarnings("unchecked")
    protected Object writeReplace() throws ObjectStreamException {
        final ConcurrentLinkedQueue<E> plain = new ConcurrentLinkedQueue<>();
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
