package io.hotpath.bootstrap.jdk;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Slot;
import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.function.Predicate;

/**
 * What the tracked JDK subclasses record, in one place, each call guarded so that a fault in recording disables the
 * probe instead of reaching the application. Blocking and waiting paths are slow by nature (a thread parks), so they
 * are always timed; the fast paths only count.
 */
final class Recording {
    private Recording() {}

    static void increment(Probe p, int slot) {
        try {
            p.increment(slot);
        } catch (Throwable t) {
            p.fail(t);
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

    /** A producer found the queue full and is about to wait: counts it and returns the start time. */
    static long startBlocked(Probe p) {
        try {
            p.increment(Slot.BLOCKED);
        } catch (Throwable t) {
            p.fail(t);
        }
        return System.nanoTime();
    }

    /** The wait begun by {@link #startBlocked} ended; {@code accepted} tells whether the element went in. */
    static void endBlocked(Probe p, long start, boolean accepted) {
        try {
            p.record(Dist.LATENCY, System.nanoTime() - start);
            p.increment(accepted ? Slot.IN : Slot.DROPPED);
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /**
     * The wait begun by {@link #startBlocked} ended by an exception (interrupt): the element neither went in nor was
     * refused, so only the time is recorded.
     */
    static void abandonBlocked(Probe p, long start) {
        try {
            p.record(Dist.LATENCY, System.nanoTime() - start);
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /** A consumer found the queue empty and is about to wait: counts it and returns the start time. */
    static long startWaiting(Probe p) {
        try {
            p.increment(Slot.WAITED);
        } catch (Throwable t) {
            p.fail(t);
        }
        return System.nanoTime();
    }

    /** The wait begun by {@link #startWaiting} ended; {@code received} tells whether an element came out. */
    static void endWaiting(Probe p, long start, boolean received) {
        try {
            p.record(Dist.WAIT, System.nanoTime() - start);
            if (received) {
                p.increment(Slot.OUT);
            }
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /** The wait begun by {@link #startWaiting} ended by an exception (interrupt): only the time is recorded. */
    static void abandonWaiting(Probe p, long start) {
        try {
            p.record(Dist.WAIT, System.nanoTime() - start);
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /** A batch drain moved {@code n} elements. Empty drains are not batches. */
    static void drained(Probe p, int n) {
        if (n <= 0) {
            return;
        }
        try {
            p.add(Slot.OUT, n);
            p.increment(Slot.BATCHES);
            p.add(Slot.BATCH_ITEMS, n);
            p.record(Dist.SIZE, n);
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /** A collection that accepts and forgets everything; lets {@code clear()} count what it removes. */
    @SuppressWarnings("unchecked")
    static <E> Collection<E> discard() {
        return (Collection<E>) Discard.INSTANCE;
    }

    private static final class Discard extends AbstractCollection<Object> {
        static final Discard INSTANCE = new Discard();

        @Override
        public boolean add(Object o) {
            return true;
        }

        @Override
        public Iterator<Object> iterator() {
            return Collections.emptyIterator();
        }

        @Override
        public int size() {
            return 0;
        }
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
            this.source = java.util.Objects.requireNonNull(source);
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

    /** Wraps a removal filter to count how many elements it matched; used by the rare bulk removals only. */
    static final class CountingPredicate<E> implements Predicate<E> {
        private final Predicate<? super E> filter;
        private int matched;

        CountingPredicate(Predicate<? super E> filter) {
            this.filter = java.util.Objects.requireNonNull(filter);
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
