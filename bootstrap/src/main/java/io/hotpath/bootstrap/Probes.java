package io.hotpath.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The probe registry. Instrumentation registers a site once, when it rewrites or advises code, and compiles the
 * returned id into the instrumented code; at run time code finds its probe with one array read, never a map lookup.
 *
 * <p>The table has a fixed capacity ({@code hotpath.probes.max}, set by the agent before first use through
 * {@link #configure}); memory is bounded by it, not by run length. When it is full, new sites share the
 * {@link #OVERFLOW_ID overflow probe} and are counted in {@link #rejectedRegistrations()}.
 */
public final class Probes {
    /** Default capacity of the probe table. */
    public static final int DEFAULT_CAPACITY = 4096;

    /** The id of the probe that sites share once the table is full. */
    public static final int OVERFLOW_ID = 0;

    /** Name of the overflow probe. */
    public static final String OVERFLOW_NAME = "hotpath.overflow";

    private static final VarHandle TABLE_ELEMENT = MethodHandles.arrayElementVarHandle(Probe[].class);
    private static volatile int configuredCapacity = DEFAULT_CAPACITY;

    private static final class Table {
        static final Probe[] PROBES = new Probe[Math.max(2, configuredCapacity)];
        static final ConcurrentHashMap<String, Probe> BY_NAME = new ConcurrentHashMap<>();
        static final AtomicInteger NEXT_ID = new AtomicInteger(OVERFLOW_ID);
        static final AtomicLong REJECTED = new AtomicLong();

        static {
            final Probe overflow = new Probe(NEXT_ID.getAndIncrement(), OVERFLOW_NAME, PathKind.METHOD, 0);
            BY_NAME.put(OVERFLOW_NAME, overflow);
            TABLE_ELEMENT.setRelease(PROBES, OVERFLOW_ID, overflow);
        }

        private Table() {}
    }

    private Probes() {}

    /**
     * Sets the table capacity. Has effect only before the first registration or lookup; returns whether it did.
     */
    public static boolean configure(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("probe capacity must be at least 2: " + capacity);
        }
        configuredCapacity = capacity;
        return Table.PROBES.length == capacity;
    }

    /** The table capacity in force. */
    public static int capacity() {
        return Table.PROBES.length;
    }

    /**
     * Returns the probe registered under {@code name}, registering it first if needed. The kind and distributions
     * of an existing probe are not changed. Cold: called at instrumentation or construction time, never per call.
     *
     * @param distBits which distributions to allocate, a sum of {@link Dist#bit}
     */
    public static Probe register(String name, PathKind kind, int distBits) {
        final Probe existing = Table.BY_NAME.get(name);
        if (existing != null) {
            return existing;
        }
        final Probe registered = Table.BY_NAME.computeIfAbsent(name, n -> {
            final int id = Table.NEXT_ID.getAndIncrement();
            if (id >= Table.PROBES.length) {
                Table.NEXT_ID.decrementAndGet();
                Table.REJECTED.incrementAndGet();
                return null;
            }
            final Probe p = new Probe(id, n, kind, distBits);
            TABLE_ELEMENT.setRelease(Table.PROBES, id, p);
            return p;
        });
        return registered != null ? registered : overflow();
    }

    /** The probe with this id; the overflow probe for an id never handed out. Hot: one array read. */
    public static Probe get(int id) {
        final Probe[] table = Table.PROBES;
        if (id >= 0 && id < table.length) {
            final Probe p = (Probe) TABLE_ELEMENT.getAcquire(table, id);
            if (p != null) {
                return p;
            }
        }
        return overflow();
    }

    /** The probe shared by sites registered after the table filled up. */
    public static Probe overflow() {
        return Table.PROBES[OVERFLOW_ID];
    }

    /** How many probes are registered, including the overflow probe. */
    public static int count() {
        return Math.min(Table.NEXT_ID.get(), Table.PROBES.length);
    }

    /** How many registrations found the table full. */
    public static long rejectedRegistrations() {
        return Table.REJECTED.get();
    }

    /** Calls {@code visitor} for every registered probe, in id order. Cold side. */
    public static void forEach(java.util.function.Consumer<Probe> visitor) {
        final Probe[] table = Table.PROBES;
        final int n = count();
        for (int i = 0; i < n; i++) {
            final Probe p = (Probe) TABLE_ELEMENT.getAcquire(table, i);
            if (p != null) {
                visitor.accept(p);
            }
        }
    }

    /**
     * What advice calls on entry: counts a call on probe {@code id} and maybe starts its timer ({@link Probe#begin}).
     * A failure inside the recording disables that probe (logged once by the cold side) and returns 0; it never reaches
     * the application.
     */
    public static long begin(int id) {
        final Probe p = get(id);
        try {
            return p.begin();
        } catch (Throwable t) {
            p.fail(t);
            return 0L;
        }
    }

    /**
     * What advice calls on exit of a call it began with {@link #begin}: records the call's latency when {@code start}
     * is a sampled start time, and counts an error when the call threw ({@code thrown} non-null). Guarded like
     * {@link #begin}.
     */
    public static void end(int id, long start, Throwable thrown) {
        final Probe p = get(id);
        try {
            if (thrown == null) {
                p.end(start);
            } else {
                p.endWithError(start);
            }
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /**
     * What advice calls on entry of a call that handles a batch (a collection, {@code null} for none): counts one batch
     * of its size, records the size and begins the call ({@link #begin}). Guarded like {@link #begin}.
     */
    public static long beginBatch(int id, java.util.Collection<?> items) {
        final Probe p = get(id);
        try {
            return beginBatch(p, items == null ? 0 : items.size());
        } catch (Throwable t) {
            p.fail(t);
            return 0L;
        }
    }

    /** {@link #beginBatch(int, java.util.Collection)} for a batch given as an array ({@code null} for none). */
    public static long beginBatchOfArray(int id, Object array) {
        final Probe p = get(id);
        try {
            return beginBatch(p, array == null ? 0 : java.lang.reflect.Array.getLength(array));
        } catch (Throwable t) {
            p.fail(t);
            return 0L;
        }
    }

    private static long beginBatch(Probe p, int n) {
        p.increment(Slot.BATCHES);
        p.add(Slot.BATCH_ITEMS, n);
        p.record(Dist.SIZE, n);
        return p.begin();
    }

    /**
     * What advice calls where an instance is created (a constructor's exit): remembers it on probe {@code id} for the
     * cold side's gauges ({@link Probe#track}). Once per instance, never per message. Guarded like {@link #begin}.
     */
    public static void track(int id, Object instance) {
        final Probe p = get(id);
        try {
            p.track(instance);
        } catch (Throwable t) {
            p.fail(t);
        }
    }
}
