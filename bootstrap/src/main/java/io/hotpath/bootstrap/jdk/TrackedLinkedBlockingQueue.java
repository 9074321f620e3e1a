package io.hotpath.bootstrap.jdk;

import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import java.io.ObjectStreamException;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * <p>Blocking calls count {@link Slot#BLOCKED}/{@link Slot#WAITED} only after the non-blocking attempt failed; see
 * {@link TrackedArrayBlockingQueue} for how interrupted callers and zero timeouts are handled.
 *
 * <p>Bulk removals ({@code removeIf}, {@code removeAll}, {@code retainAll}) run the filter outside the locks, in
 * batches, and skip a matched element that another thread dequeued meanwhile; such an element is counted both as
 * dequeued and as removed. This needs a bulk removal racing a consumer for the same element.
 */
public class TrackedLinkedBlockingQueue<E> extends LinkedBlockingQueue<E> {
    private static final long serialVersionUID = 1L;

    private final transient Probe probe;

    /** Kept for writeReplace: the JDK class does not expose it. */
    private final int capacity;

    @SuppressWarnings("this-escape")
    public TrackedLinkedBlockingQueue(int probeId) {
        super();
        this.capacity = Integer.MAX_VALUE;
        this.probe = attach(probeId, this);
    }

    @SuppressWarnings("this-escape")
    public TrackedLinkedBlockingQueue(int capacity, int probeId) {
        super(capacity);
        this.capacity = capacity;
        this.probe = attach(probeId, this);
    }

    @SuppressWarnings("this-escape")
    public TrackedLinkedBlockingQueue(Collection<? extends E> c, int probeId) {
        super(c);
        this.capacity = Integer.MAX_VALUE;
        this.probe = attach(probeId, this);
        Recording.add(probe, Slot.IN, super.size());
    }

    private static Probe attach(int probeId, Object queue) {
        final Probe p = Probes.get(probeId);
        Recording.track(p, queue);
        return p;
    }

    @Override
    public boolean offer(E e) {
        final boolean ok = super.offer(e);
        Recording.increment(probe, ok ? Slot.IN : Slot.DROPPED);
        return ok;
    }

    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        if (Thread.currentThread().isInterrupted() || unit.toNanos(timeout) <= 0L) {
            final boolean ok = super.offer(e, timeout, unit);
            Recording.increment(probe, ok ? Slot.IN : Slot.DROPPED);
            return ok;
        }
        if (super.offer(e)) {
            Recording.increment(probe, Slot.IN);
            return true;
        }
        final long start = Recording.startBlocked(probe);
        final boolean ok;
        try {
            ok = super.offer(e, timeout, unit);
        } catch (InterruptedException ie) {
            Recording.abandonBlocked(probe, start);
            throw ie;
        }
        Recording.endBlocked(probe, start, ok);
        return ok;
    }

    @Override
    public void put(E e) throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            super.put(e); // throws InterruptedException (lockInterruptibly), as the JDK does
            Recording.increment(probe, Slot.IN);
            return;
        }
        if (super.offer(e)) {
            Recording.increment(probe, Slot.IN);
            return;
        }
        final long start = Recording.startBlocked(probe);
        try {
            super.put(e);
        } catch (InterruptedException ie) {
            Recording.abandonBlocked(probe, start);
            throw ie;
        }
        Recording.endBlocked(probe, start, true);
    }

    @Override
    public E poll() {
        final E e = super.poll();
        if (e != null) {
            Recording.increment(probe, Slot.OUT);
        }
        return e;
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        E e;
        if (Thread.currentThread().isInterrupted() || unit.toNanos(timeout) <= 0L) {
            e = super.poll(timeout, unit);
        } else if ((e = super.poll()) == null) {
            final long start = Recording.startWaiting(probe);
            try {
                e = super.poll(timeout, unit);
            } catch (InterruptedException ie) {
                Recording.abandonWaiting(probe, start);
                throw ie;
            }
            Recording.endWaiting(probe, start, e != null);
            return e;
        }
        if (e != null) {
            Recording.increment(probe, Slot.OUT);
        }
        return e;
    }

    @Override
    public E take() throws InterruptedException {
        E e;
        if (Thread.currentThread().isInterrupted()) {
            e = super.take(); // throws InterruptedException (lockInterruptibly), as the JDK does
        } else if ((e = super.poll()) == null) {
            final long start = Recording.startWaiting(probe);
            try {
                e = super.take();
            } catch (InterruptedException ie) {
                Recording.abandonWaiting(probe, start);
                throw ie;
            }
            Recording.endWaiting(probe, start, true);
            return e;
        }
        Recording.increment(probe, Slot.OUT);
        return e;
    }

    /** Counts the elements moved; if {@code c.add} throws part way, the elements already moved are not counted. */
    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        final int n = super.drainTo(c, maxElements);
        Recording.drained(probe, n);
        return n;
    }

    @Override
    public boolean remove(Object o) {
        final boolean removed = super.remove(o);
        if (removed) {
            Recording.increment(probe, Slot.REMOVED);
        }
        return removed;
    }

    @Override
    public void clear() {
        // LinkedBlockingQueue.clear reports nothing. drainTo removes exactly the elements present when it reads the
        // count, under the take lock, and signals a blocked producer the same way; concurrent puts behave as if they
        // came just after the clear.
        Recording.add(probe, Slot.REMOVED, super.drainTo(Recording.discard(), Integer.MAX_VALUE));
    }

    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        return removeMatching(filter);
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        Objects.requireNonNull(c);
        return removeMatching(c::contains);
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        Objects.requireNonNull(c);
        return removeMatching(e -> !c.contains(e));
    }

    private boolean removeMatching(Predicate<? super E> filter) {
        final Recording.CountingPredicate<E> counting = new Recording.CountingPredicate<>(filter);
        final boolean any = super.removeIf(counting);
        Recording.add(probe, Slot.REMOVED, counting.matched());
        return any;
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
