package io.hotpath.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The cells behind declared tunables ({@code hotpath.tunables}). The agent rewrites every read of a declared field
 * into the original read followed by a call here: {@code readInt(fieldValue, id)} returns the field's own value while
 * the tunable is inactive and the tunable's value once the optimizer has set it, so before the first change each
 * instance keeps its own value and after it every instance sees the new one at once.
 *
 * <p>Layout: one static array, {@link #STRIDE} longs per tunable id, written by the cold side only (except the one-time
 * capture of the original value, see below):
 *
 * <pre>
 * | state | value | original | captured | state | value | ...
 *   id 0                                  id 1
 * </pre>
 *
 * Writes are rare (a change every few seconds at most), so the cells are not padded: a write invalidates one line
 * that readers reload once.
 *
 * <p>States: {@code UNSEEN} (no read yet), {@code CAPTURING} (a reader is storing the first value it saw),
 * {@code SEEN} (original captured, tunable inactive), {@code ACTIVE} (reads return {@code value}). The first reader
 * that finds {@code UNSEEN} wins a CAS to {@code CAPTURING}, stores the original and publishes {@code SEEN} with a
 * release store; every later read is one acquire load and a compare. Nothing here blocks, allocates or throws for a
 * valid id (ids are checked when the agent assigns them).
 */
public final class Tunables {
    /** Most declared tunables per JVM. */
    public static final int CAPACITY = 256;

    static final int STRIDE = 4;
    private static final int VALUE = 1;
    private static final int ORIGINAL = 2;
    private static final int CAPTURED = 3;

    /** No read of the field has been seen yet. */
    public static final long UNSEEN = 0;
    /** A reader is storing the original value. */
    public static final long CAPTURING = 1;
    /** The original value is captured; reads return the field's own value. */
    public static final long SEEN = 2;
    /** Reads return the tunable's value. */
    public static final long ACTIVE = 3;

    private static final long[] CELLS = new long[CAPACITY * STRIDE];
    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);

    private Tunables() {}

    // ---------------------------------------------------------------- hot side (called by rewritten field reads)

    /** A rewritten read of an {@code int} field: the tunable's value when active, otherwise {@code fieldValue}. */
    public static int readInt(int fieldValue, int id) {
        final int base = id * STRIDE;
        final long state = (long) CELL.getAcquire(CELLS, base);
        if (state == ACTIVE) {
            return (int) (long) CELL.getOpaque(CELLS, base + VALUE);
        }
        if (state == UNSEEN) {
            capture(base, fieldValue);
        }
        return fieldValue;
    }

    /** A rewritten read of a {@code long} field. */
    public static long readLong(long fieldValue, int id) {
        final int base = id * STRIDE;
        final long state = (long) CELL.getAcquire(CELLS, base);
        if (state == ACTIVE) {
            return (long) CELL.getOpaque(CELLS, base + VALUE);
        }
        if (state == UNSEEN) {
            capture(base, fieldValue);
        }
        return fieldValue;
    }

    /** A rewritten read of a {@code boolean} field. */
    public static boolean readBoolean(boolean fieldValue, int id) {
        final int base = id * STRIDE;
        final long state = (long) CELL.getAcquire(CELLS, base);
        if (state == ACTIVE) {
            return (long) CELL.getOpaque(CELLS, base + VALUE) != 0L;
        }
        if (state == UNSEEN) {
            capture(base, fieldValue ? 1L : 0L);
        }
        return fieldValue;
    }

    private static void capture(int base, long value) {
        if (CELL.compareAndSet(CELLS, base, UNSEEN, CAPTURING)) {
            CELL.setOpaque(CELLS, base + ORIGINAL, value);
            CELL.setOpaque(CELLS, base + CAPTURED, 1L);
            CELL.setRelease(CELLS, base, SEEN); // publishes original and captured
        }
    }

    // ---------------------------------------------------------------- cold side

    /** The state of a tunable: {@link #UNSEEN}, {@link #CAPTURING}, {@link #SEEN} or {@link #ACTIVE}. */
    public static long stateAcquire(int id) {
        return (long) CELL.getAcquire(CELLS, check(id) * STRIDE);
    }

    /** Whether the first value read from the field was captured. */
    public static boolean hasOriginalAcquire(int id) {
        final int base = check(id) * STRIDE;
        return (long) CELL.getAcquire(CELLS, base) != CAPTURING && (long) CELL.getAcquire(CELLS, base + CAPTURED) != 0L;
    }

    /** The first value read from the field (false = 0, true = 1); meaningful when {@link #hasOriginalAcquire}. */
    public static long originalAcquire(int id) {
        return (long) CELL.getAcquire(CELLS, check(id) * STRIDE + ORIGINAL);
    }

    /** The value reads return while active (false = 0, true = 1). */
    public static long valueAcquire(int id) {
        return (long) CELL.getAcquire(CELLS, check(id) * STRIDE + VALUE);
    }

    /**
     * Makes every read of the field return {@code value}, at once for all instances. The value is stored before the
     * state is switched with a release CAS, so a reader that sees {@code ACTIVE} sees this value or a later one.
     */
    public static void activateRelease(int id, long value) {
        final int base = check(id) * STRIDE;
        CELL.setRelease(CELLS, base + VALUE, value);
        for (; ; ) {
            final long state = (long) CELL.getAcquire(CELLS, base);
            if (state == ACTIVE) {
                return;
            }
            if (state == CAPTURING) {
                Thread.onSpinWait(); // a reader is between two plain stores: a few instructions
                continue;
            }
            if (CELL.compareAndSet(CELLS, base, state, ACTIVE)) {
                return;
            }
        }
    }

    /**
     * Gives reads back to the field: each instance sees its own value again. A tunable activated before any read
     * returns to {@code UNSEEN}, so the next read captures the original.
     */
    public static void deactivateRelease(int id) {
        final int base = check(id) * STRIDE;
        final boolean captured = (long) CELL.getAcquire(CELLS, base + CAPTURED) != 0L;
        CELL.compareAndSet(CELLS, base, ACTIVE, captured ? SEEN : UNSEEN);
    }

    /** Forgets everything about a tunable id; for tests only. */
    public static void resetForTest(int id) {
        final int base = check(id) * STRIDE;
        CELL.setVolatile(CELLS, base + VALUE, 0L);
        CELL.setVolatile(CELLS, base + ORIGINAL, 0L);
        CELL.setVolatile(CELLS, base + CAPTURED, 0L);
        CELL.setVolatile(CELLS, base, UNSEEN);
    }

    private static int check(int id) {
        if (id < 0 || id >= CAPACITY) {
            throw new IllegalArgumentException("tunable id " + id + " outside 0.." + (CAPACITY - 1));
        }
        return id;
    }
}
