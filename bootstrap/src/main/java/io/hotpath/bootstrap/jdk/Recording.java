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
