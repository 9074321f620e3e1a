package io.hotpath.bootstrap.jdk;

import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import java.io.ObjectStreamException;
import java.util.Collection;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An {@link ArrayBlockingQueue} that counts what passes through it. Serializes as a plain ArrayBlockingQueue, so a
 * JVM without the agent can read it back.
 *
 * <p>Which JDK methods call which matters for exact counts: {@code add}, {@code addAll} and {@code remove()} go
 * through {@code offer}/{@code poll} (AbstractQueue) and {@code drainTo(c)} calls {@code drainTo(c, max)}, so only
 * the primitive operations are overridden; overriding both would count twice.
 */
public class TrackedArrayBlockingQueue<E> extends ArrayBlockingQueue<E> {
    private static final long serialVersionUID = 1L;

    /** The probe; transient because a deserialized queue is a plain one (see writeReplace). */
    private final transient Probe probe;

    @SuppressWarnings("this-escape")
    public TrackedArrayBlockingQueue(int capacity, int probeId) {
        super(capacity);
        this.probe = attach(probeId, this);
    }

    @SuppressWarnings("this-escape")
    public TrackedArrayBlockingQueue(int capacity, boolean fair, int probeId) {
        super(capacity, fair);
        this.probe = attach(probeId, this);
    }

    @SuppressWarnings("this-escape")
    public TrackedArrayBlockingQueue(int capacity, boolean fair, Collection<? extends E> c, int probeId) {
        super(capacity, fair, c);
        this.probe = attach(probeId, this);
        Recording.add(probe, Slot.IN, size());
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
        if (super.offer(e)) {
            Recording.increment(probe, Slot.IN);
            return true;
        }
        final long start = Recording.startBlocked(probe);
        final boolean ok = super.offer(e, timeout, unit);
        Recording.endBlocked(probe, start, ok);
        return ok;
    }

    @Override
    public void put(E e) throws InterruptedException {
        if (super.offer(e)) {
            Recording.increment(probe, Slot.IN);
            return;
        }
        final long start = Recording.startBlocked(probe);
        super.put(e);
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
        E e = super.poll();
        if (e == null) {
            final long start = Recording.startWaiting(probe);
            e = super.poll(timeout, unit);
            Recording.endWaiting(probe, start, e != null);
        } else {
            Recording.increment(probe, Slot.OUT);
        }
        return e;
    }

    @Override
    public E take() throws InterruptedException {
        E e = super.poll();
        if (e == null) {
            final long start = Recording.startWaiting(probe);
            e = super.take();
            Recording.endWaiting(probe, start, true);
        } else {
            Recording.increment(probe, Slot.OUT);
        }
        return e;
    }

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
        // ArrayBlockingQueue.clear takes the lock and empties in place; the count removed is what drainTo would
        // move, so use that to stay exact even with concurrent producers.
        Recording.add(probe, Slot.REMOVED, super.drainTo(Recording.discard(), Integer.MAX_VALUE));
    }

    @Override
    public boolean removeIf(Predicate<? super E> filter) {
        final Recording.CountingPredicate<E> counting = new Recording.CountingPredicate<>(filter);
        final boolean any = super.removeIf(counting);
        Recording.add(probe, Slot.REMOVED, counting.matched());
        return any;
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        return removeIf(c::contains);
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        return removeIf(e -> !c.contains(e));
    }

    /** Serialize as a plain ArrayBlockingQueue with the same capacity and elements. */
    protected Object writeReplace() throws ObjectStreamException {
        final ArrayBlockingQueue<E> plain = new ArrayBlockingQueue<>(size() + remainingCapacity());
        plain.addAll(this);
        return plain;
    }

    /** Tells tests and tools which probe this queue records into. */
    public int hotpathProbeId() {
        return probe.id();
    }
}
