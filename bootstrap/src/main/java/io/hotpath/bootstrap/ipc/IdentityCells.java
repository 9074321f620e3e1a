package io.hotpath.bootstrap.ipc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed-size, lock-free table from an object's identity hash to one long value (a probe id plus one, a start
 * timestamp). It lets advice attach a value to a library or JDK object without adding a field (classes already loaded
 * cannot change shape) and without a map, a lock or an allocation on the lookup path.
 *
 * <p>Keys are {@link System#identityHashCode} values, not references: the table never keeps an object alive and
 * needs no reference queue. Two live objects with the same identity hash (31 bits in HotSpot) would share a cell;
 * with at most a few thousand entries that is rare enough to accept for attribution and episode timing. Lookups probe
 * at most {@link #MAX_PROBES} cells from the key's home cell, so every operation is O(1) and wait-free except for one
 * compare-and-set when a key is added. A key that finds no free cell is counted in {@link #overflow()} and not
 * stored: callers then fall back to their aggregate probe.
 *
 * <pre>
 * keys:   | 0 (empty) | hash A | -1 (removed) | hash B | ...
 * values: |     0     | v(A)   |      0       | v(B)   | ...
 * </pre>
 *
 * A cell's key is claimed with a CAS and its value then published with a release store; a reader that sees the key
 * before the value reads 0 ("absent"), never a torn value.
 */
public final class IdentityCells {
    /** Longest probe sequence from a key's home cell. */
    public static final int MAX_PROBES = 8;

    private static final int EMPTY = 0;
    private static final int REMOVED = -1;
    /** Value of a cell whose value a {@link #remove} has taken and whose key it is about to free. */
    private static final long BUSY = Long.MIN_VALUE;

    private static final VarHandle KEYS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(long[].class);

    private final int mask;
    private final int[] keys;
    private final long[] values;
    private final AtomicLong overflow = new AtomicLong();

    /** A table of {@code capacity} cells, rounded up to a power of two. */
    public IdentityCells(int capacity) {
        final int n = Integer.highestOneBit(Math.max(16, capacity - 1) << 1);
        this.mask = n - 1;
        this.keys = new int[n];
        this.values = new long[n];
    }

    /** The key for an object: its identity hash, never {@link #EMPTY} or {@link #REMOVED}. */
    public static int keyOf(Object o) {
        final int h = System.identityHashCode(o) & 0x7fffffff;
        return h == EMPTY ? 1 : h;
    }

    private int home(int key) {
        return (key * 0x9E3779B9) >>> 7 & mask;
    }

    /** The value stored for {@code key}, or 0. Hot: at most {@link #MAX_PROBES} acquiring reads, no allocation. */
    public long getAcquire(int key) {
        final int[] k = keys;
        final int start = home(key);
        for (int i = 0; i < MAX_PROBES; i++) {
            final int idx = (start + i) & mask;
            final int found = (int) KEYS.getAcquire(k, idx);
            if (found == key) {
                final long v = (long) VALUES.getAcquire(values, idx);
                if (v != BUSY) {
                    return v;
                }
            }
            if (found == EMPTY) {
                return 0L;
            }
        }
        return 0L;
    }

    /**
     * Stores {@code value} (non-zero) for {@code key}; false, and counted as overflow, when no cell is free. The key's
     * live cell is looked for in the whole neighbourhood first: a cell freed before it (a removed key) must not be
     * claimed while the key still lives further on, or the key would have two cells and the later {@link #remove}
     * would leave the stale one behind. Callers store a key from one thread at a time (a connection is opened once).
     */
    public boolean putRelease(int key, long value) {
        final int[] k = keys;
        final int start = home(key);
        for (int i = 0; i < MAX_PROBES; i++) {
            final int idx = (start + i) & mask;
            final int found = (int) KEYS.getAcquire(k, idx);
            if (found == EMPTY) {
                break;
            }
            if (found == key) {
                final long v = (long) VALUES.getAcquire(values, idx);
                if (v != BUSY && VALUES.compareAndSet(values, idx, v, value)) {
                    return true;
                }
                // being freed by a remove (or just changed): not ours any more, look on
            }
        }
        for (int i = 0; i < MAX_PROBES; i++) {
            final int idx = (start + i) & mask;
            int found = (int) KEYS.getAcquire(k, idx);
            while (found == EMPTY || found == REMOVED) {
                if (KEYS.compareAndSet(k, idx, found, key)) {
                    VALUES.setRelease(values, idx, value);
                    return true;
                }
                found = (int) KEYS.getAcquire(k, idx);
            }
        }
        overflow.incrementAndGet();
        return false;
    }

    /**
     * Stores {@code value} (neither 0 nor Long.MIN_VALUE) for {@code key} unless it already holds a value. Of several threads
     * racing to store a value for one absent key, exactly one succeeds; a concurrent {@link #remove} of the previous
     * value never swallows the new one.
     *
     * @return 1 stored, 0 a value was already there (left as it was), -1 no free cell (counted as overflow)
     */
    public int putIfAbsentRelease(int key, long value) {
        final int[] k = keys;
        final int start = home(key);
        // First pass: a live cell of this key anywhere in the neighbourhood (an earlier cell may have been freed since
        // it was stored).
        for (int i = 0; i < MAX_PROBES; i++) {
            final int idx = (start + i) & mask;
            final int found = (int) KEYS.getAcquire(k, idx);
            if (found == EMPTY) {
                break;
            }
            if (found == key) {
                final long v = (long) VALUES.getAcquire(values, idx);
                if (v == BUSY) {
                    continue; // being freed by a remove: not ours any more
                }
                if (v != 0L || !VALUES.compareAndSet(values, idx, 0L, value)) {
                    return 0; // an open value, or another thread just stored one
                }
                return 1;
            }
        }
        // Second pass: claim a free cell. The value goes in with a CAS too: a thread that found the key just claimed
        // may race the claimer for it, and only one of them may report a store.
        for (int i = 0; i < MAX_PROBES; i++) {
            final int idx = (start + i) & mask;
            int found = (int) KEYS.getAcquire(k, idx);
            while (found == EMPTY || found == REMOVED) {
                if (KEYS.compareAndSet(k, idx, found, key)) {
                    return VALUES.compareAndSet(values, idx, 0L, value) ? 1 : 0;
                }
                found = (int) KEYS.getAcquire(k, idx);
            }
            if (found == key) {
                final long v = (long) VALUES.getAcquire(values, idx);
                if (v != BUSY) {
                    return v == 0L && VALUES.compareAndSet(values, idx, 0L, value) ? 1 : 0;
                }
            }
        }
        overflow.incrementAndGet();
        return -1;
    }

    /** Removes {@code key} and returns its value, or 0 when it was absent (or taken by a concurrent remove). */
    public long remove(int key) {
        final int[] k = keys;
        final int start = home(key);
        for (int i = 0; i < MAX_PROBES; i++) {
            final int idx = (start + i) & mask;
            final int found = (int) KEYS.getAcquire(k, idx);
            if (found == EMPTY) {
                return 0L;
            }
            if (found != key) {
                continue;
            }
            long v;
            while ((v = (long) VALUES.getAcquire(values, idx)) != 0L && v != BUSY) {
                // The value is taken by marking the cell BUSY, then the key is freed, then the value cleared: a
                // concurrent store of the same key skips a BUSY cell instead of writing into one about to be freed.
                if (VALUES.compareAndSet(values, idx, v, BUSY)) {
                    KEYS.compareAndSet(k, idx, key, REMOVED);
                    // Only clear our own marker: once the key is freed another key may claim the cell and store its
                    // value before this line, and a plain store here would wipe it.
                    VALUES.compareAndSet(values, idx, BUSY, 0L);
                    return v;
                }
            }
        }
        return 0L;
    }

    /** How many keys found no free cell. */
    public long overflow() {
        return overflow.get();
    }

    /** How many cells the table has. */
    public int capacity() {
        return mask + 1;
    }
}
