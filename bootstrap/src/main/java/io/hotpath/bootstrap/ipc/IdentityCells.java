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
 * at most {@link #MAX_PROBES} cells from the key's home cell and a store starts over at most {@link #MAX_ATTEMPTS}
 * times, so every operation ends in a bounded number of steps whatever other threads do. A key that finds no free cell is counted in {@link #overflow()} and not
 * stored: callers then fall back to their aggregate probe.
 *
 * <pre>
 * keys:   | 0 (empty) | hash A | -1 (removed) | hash B | ...
 * values: |     0     | v(A)   |      0       | v(B)   | ...
 * </pre>
 *
 * <p>A cell's life: a claimer takes a free key slot ({@code EMPTY} or {@code REMOVED}) with a CAS and then owns the
 * cell until it publishes its value with a CAS from 0; "key with value 0" means only "a claimer is storing", and no
 * other thread ever writes a value into such a cell (it would race the cell being freed and reused: an ABA that lost
 * stores). A remover takes a live value by marking it {@code BUSY}, and a claimer that must give way has its 0 turned
 * into {@code KILLED}; either then frees the cell in three steps that never show a claimable key beside a stale value:
 * key to {@code FREEING}, value to 0, key to {@code REMOVED}. Readers see a value only once it is published, never a
 * torn one, and skip cells in any other state.
 *
 * <p>Two threads storing one absent key may each claim a different free cell (a cell before the first one was freed
 * between their scans). After claiming, a claimer looks at the key's other cells: a live one means the key is there
 * (it gives way); a claim nearer the home cell wins and one further away is killed, so one value is published. A
 * killed claimer frees its cell and starts over, at most {@link #MAX_ATTEMPTS} times.
 */
public final class IdentityCells {
    /** Longest probe sequence from a key's home cell. */
    public static final int MAX_PROBES = 8;
    /** Most times one store starts over after its claim was killed (each kill needs another thread's progress). */
    static final int MAX_ATTEMPTS = 8;

    private static final int EMPTY = 0;
    private static final int REMOVED = -1;
    /** Key of a cell being freed: not claimable, not a match, not the end of a probe sequence. */
    private static final int FREEING = -2;
    /** Value of a cell whose value a {@link #remove} has taken and whose key it is about to free. */
    private static final long BUSY = Long.MIN_VALUE;
    /** Value of a claimed cell whose claimer must give way to a claim of the same key nearer its home cell. */
    private static final long KILLED = Long.MIN_VALUE + 1;
    /** A store that was killed more than {@link #MAX_ATTEMPTS} times. */
    private static final int RETRY = 2;

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

    /** The key's home cell (package-private for tests that make keys collide). */
    int home(int key) {
        return (key * 0x9E3779B9) >>> 7 & mask;
    }

    private static boolean live(long v) {
        return v != 0L && v != BUSY && v != KILLED;
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
                if (live(v)) {
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
     * Stores {@code value} (neither 0, Long.MIN_VALUE nor Long.MIN_VALUE + 1) for {@code key}; false, and counted as
     * overflow, when no cell is free. The key's live cell is looked for in the whole neighbourhood first: a cell freed
     * before it (a removed key) must not be claimed while the key still lives further on, or the key would have two
     * cells and the later {@link #remove} would leave the stale one behind. Callers store and remove a key from one
     * thread at a time (a connection is opened, renamed and closed in order); a concurrent {@link #putIfAbsentRelease}
     * of the key gives way to this store.
     */
    public boolean putRelease(int key, long value) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            final int r = store(key, value, true);
            if (r != RETRY) {
                return r == 1;
            }
        }
        overflow.incrementAndGet();
        return false;
    }

    /**
     * Stores {@code value} (neither 0, Long.MIN_VALUE nor Long.MIN_VALUE + 1) for {@code key} unless it already holds
     * a value or another thread is storing one. Of several threads racing to store a value for one absent key, exactly
     * one succeeds; a concurrent {@link #remove} of the previous value never swallows the new one.
     *
     * @return 1 stored, 0 a value was already there or being stored (left as it was), -1 no free cell (counted as
     *     overflow)
     */
    public int putIfAbsentRelease(int key, long value) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            final int r = store(key, value, false);
            if (r != RETRY) {
                return r;
            }
        }
        overflow.incrementAndGet();
        return -1;
    }

    private int store(int key, long value, boolean overwrite) {
        final int[] k = keys;
        final int start = home(key);
        // First pass: a cell of this key anywhere in the neighbourhood (an earlier cell may have been freed since it
        // was stored).
        for (int i = 0; i < MAX_PROBES; i++) {
            final int idx = (start + i) & mask;
            final int found = (int) KEYS.getAcquire(k, idx);
            if (found == EMPTY) {
                break;
            }
            if (found != key) {
                continue;
            }
            final long v = (long) VALUES.getAcquire(values, idx);
            if (live(v)) {
                if (!overwrite) {
                    return 0;
                }
                // One thread stores and removes this key (see putRelease), so the cell cannot be freed and reused
                // under this CAS; it fails only if a racing putIfAbsent's value was published meanwhile.
                if (VALUES.compareAndSet(values, idx, v, value)) {
                    return 1;
                }
            } else if (v == 0L && (int) KEYS.getAcquire(k, idx) == key) {
                // A claimer of this key is storing (the key read again after the value: the 0 was its claim, not
                // another key's).
                if (!overwrite) {
                    return 0;
                }
                VALUES.compareAndSet(values, idx, 0L, KILLED);
            }
        }
        // Second pass: claim a free cell, then settle with any other claim of the key.
        for (int i = 0; i < MAX_PROBES; i++) {
            final int idx = (start + i) & mask;
            int found = (int) KEYS.getAcquire(k, idx);
            while (found == EMPTY || found == REMOVED) {
                if (KEYS.compareAndSet(k, idx, found, key)) {
                    return settle(key, value, overwrite, start, i);
                }
                found = (int) KEYS.getAcquire(k, idx);
            }
            if (found == key) {
                // Claimed by another thread since the first pass: that claim is nearer the home cell than any free
                // cell further on, so give way to it (or, overwriting, kill it and look on).
                final long v = (long) VALUES.getAcquire(values, idx);
                if (!overwrite && (live(v) || v == 0L && (int) KEYS.getAcquire(k, idx) == key)) {
                    return 0;
                }
                if (overwrite && v == 0L) {
                    VALUES.compareAndSet(values, idx, 0L, KILLED);
                }
            }
        }
        overflow.incrementAndGet();
        return -1;
    }

    /** The claimer of the cell {@code mine} steps from the key's home cell: publish, give way, or start over. */
    private int settle(int key, long value, boolean overwrite, int start, int mine) {
        final int[] k = keys;
        final int own = (start + mine) & mask;
        for (int i = 0; i < MAX_PROBES; i++) {
            final int idx = (start + i) & mask;
            if (i == mine || (int) KEYS.getAcquire(k, idx) != key) {
                continue;
            }
            final long v = (long) VALUES.getAcquire(values, idx);
            if (live(v)) {
                if (!overwrite) {
                    free(own);
                    return 0;
                }
                if (VALUES.compareAndSet(values, idx, v, value)) {
                    free(own);
                    return 1;
                }
            } else if (v == 0L) {
                if (!overwrite && i < mine && (int) KEYS.getAcquire(k, idx) == key) {
                    free(own); // the nearer claim publishes, or starts over and finds this key's cell
                    return 0;
                }
                // A further claim gives way (a kill that lands on a cell reused by another key only makes that
                // claimer start over).
                VALUES.compareAndSet(values, idx, 0L, KILLED);
            }
        }
        if (VALUES.compareAndSet(values, own, 0L, value)) {
            return 1;
        }
        free(own); // killed
        return RETRY;
    }

    /** Frees a cell this thread owns (its claim, or a value it took): never a claimable key beside a stale value. */
    private void free(int idx) {
        KEYS.setRelease(keys, idx, FREEING);
        VALUES.setRelease(values, idx, 0L);
        KEYS.setRelease(keys, idx, REMOVED);
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
            while (live(v = (long) VALUES.getAcquire(values, idx))) {
                // The value is taken by marking the cell BUSY, after which this thread owns the cell and frees it: a
                // concurrent store of the same key skips a BUSY cell instead of writing into one about to be freed.
                if (VALUES.compareAndSet(values, idx, v, BUSY)) {
                    free(idx);
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
