package io.hotpath.bootstrap.jdk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A fixed table of {@link #SIZE} (key, timestamp) pairs, matched by key identity: where a sampled task's enqueue time
 * waits until a worker picks the task up. Wait-free and allocation-free; a full table just means the next sample is
 * skipped.
 *
 * <p>Protocol per slot: a writer claims a free slot by CAS from null to {@link #CLAIMED}, writes the time, then
 * publishes the key with a release store. A reader matches the key with an acquire load, reads the time, and frees the
 * slot by CAS from the key to null; only the thread whose CAS succeeds uses the time, so a slot recycled in between is
 * never read twice. {@link #pending} counts published entries so that readers skip the scan while the table is empty,
 * which is almost always.
 *
 * <p>Entries whose task leaves the queue without running and without passing through a counted removal (the
 * application polling {@code getQueue()} directly) would stay forever; so when the table is full, an entry older than
 * {@link #STALE_NANOS} is evicted to make room.
 */
final class SampleSlots {
    static final int SIZE = 8;

    /** Entries older than this may be evicted when the table is full. */
    static final long STALE_NANOS = 60_000_000_000L;

    private static final Object CLAIMED = new Object();
    private static final VarHandle KEYS = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle TIMES = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle PENDING;

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(SampleSlots.class, "pending", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] keys = new Object[SIZE];
    private final long[] times = new long[SIZE];

    @SuppressWarnings("unused") // accessed through PENDING
    private volatile int pending;

    /** Stores {@code time} under {@code key}; returns false when no slot was free (the sample is skipped). */
    boolean put(Object key, long time) {
        for (int i = 0; i < SIZE; i++) {
            if (KEYS.getOpaque(keys, i) == null && KEYS.compareAndSet(keys, i, (Object) null, CLAIMED)) {
                TIMES.setOpaque(times, i, time);
                PENDING.getAndAdd(this, 1);
                KEYS.setRelease(keys, i, key); // publish last
                return true;
            }
        }
        return evictStaleFor(key, time);
    }

    private boolean evictStaleFor(Object key, long time) {
        for (int i = 0; i < SIZE; i++) {
            final Object k = KEYS.getAcquire(keys, i);
            if (k != null && k != CLAIMED && time - (long) TIMES.getOpaque(times, i) > STALE_NANOS) {
                if (KEYS.compareAndSet(keys, i, k, CLAIMED)) { // replaces an entry: pending is unchanged
                    TIMES.setOpaque(times, i, time);
                    KEYS.setRelease(keys, i, key);
                    return true;
                }
            }
        }
        return false;
    }

    /** Removes the entry for {@code key} and returns its time, or 0 when there is none. */
    long take(Object key) {
        if ((int) PENDING.getOpaque(this) == 0) {
            return 0L;
        }
        for (int i = 0; i < SIZE; i++) {
            if (KEYS.getAcquire(keys, i) == key) {
                final long t = (long) TIMES.getOpaque(times, i);
                if (KEYS.compareAndSet(keys, i, key, (Object) null)) {
                    PENDING.getAndAdd(this, -1);
                    return t;
                }
            }
        }
        return 0L;
    }

    /** Removes every entry (the queue was emptied). */
    void clear() {
        for (int i = 0; i < SIZE; i++) {
            final Object k = KEYS.getAcquire(keys, i);
            if (k != null && k != CLAIMED && KEYS.compareAndSet(keys, i, k, (Object) null)) {
                PENDING.getAndAdd(this, -1);
            }
        }
    }

    /** How many entries are published; for tests. */
    int pending() {
        return (int) PENDING.getOpaque(this);
    }
}
