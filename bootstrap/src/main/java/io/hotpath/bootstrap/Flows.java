package io.hotpath.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The pipeline's edges, learned from sampled calls: a thread that took an element from probe A (or ran a task of pool
 * A) and then puts to, submits to or writes to probe B shows that work flows from A to B. Only sampled calls come here
 * (the probe's sample mask, one call in 2<sup>k</sup>): an unsampled call costs nothing more than the mask test it
 * already made. Wait-free and allocation-free; memory is fixed when the class is initialised.
 *
 * <p><b>Where a thread last took from</b> is kept without a {@code ThreadLocal}: a table of {@link #THREAD_SLOTS}
 * cells indexed by the thread's id, each cell on its own cache line, holding the thread's id and the probe id packed
 * in one long. Two threads whose ids share a cell overwrite each other; a reader that finds another thread's id treats
 * the cell as empty, so a collision loses a sample, never invents an edge. Only the owning thread writes what it later
 * reads, so plain-order opaque accesses suffice.
 *
 * <p><b>Edges</b> live in an open-addressing table of {@link #capacity()} entries (a power of two, {@code
 * hotpath.pipeline.edges.max}): a key (from + 1, to + 1) claimed once by CAS from 0 and never removed, and a count
 * of the samples seen on it. A put by a thread that has taken from nothing (a producer, a timer) is an edge from
 * {@link #SOURCE}. When {@link #PROBE_LIMIT} slots in a row are taken by other keys the sample is counted in {@link
 * #overflow()} and dropped.
 */
public final class Flows {
    /** The "from" of a put by a thread that took from no probe: the work starts there. */
    public static final int SOURCE = -1;

    /** Cells of the last-taken table; a power of two. */
    static final int THREAD_SLOTS = 1024;

    /** Longs per last-taken cell: one cache line each, so two threads never write the same line. */
    private static final int STRIDE = 8;

    /** Slots tried before a new edge is given up as overflow. */
    static final int PROBE_LIMIT = 32;

    /** The default edge capacity ({@code hotpath.pipeline.edges.max}). */
    public static final int DEFAULT_CAPACITY = 4096;

    private static final long ID_MASK = 0xFFFF_FFFFL;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle OVERFLOW;

    static {
        try {
            OVERFLOW = MethodHandles.lookup().findStaticVarHandle(Flows.class, "overflow", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final long[] lastTaken = new long[THREAD_SLOTS * STRIDE + STRIDE];

    private static volatile Table table = new Table(DEFAULT_CAPACITY);

    @SuppressWarnings("unused") // accessed through OVERFLOW
    private static long overflow;

    private Flows() {}

    /** The fixed edge table; replaced whole only by {@link #capacity(int)} before recording starts. */
    private static final class Table {
        final long[] keys;
        final long[] counts;
        final int mask;

        Table(int capacity) {
            keys = new long[capacity];
            counts = new long[capacity];
            mask = capacity - 1;
        }
    }

    /**
     * Sets the edge capacity (rounded up to a power of two, at least 16). Called by the agent at start, before any
     * probe records; edges recorded before are dropped.
     */
    public static void capacity(int edges) {
        if (edges < 1) {
            throw new IllegalArgumentException("pipeline edge capacity " + edges + " must be at least 1");
        }
        table = new Table(Math.max(16, Integer.highestOneBit(Math.min(edges, 1 << 24) * 2 - 1)));
    }

    /** How many edges the table holds at most. */
    public static int capacity() {
        return table.keys.length;
    }

    // ---------------------------------------------------------------- hot side (sampled calls only)

    private static int cell(long tid) {
        return STRIDE + ((int) tid & (THREAD_SLOTS - 1)) * STRIDE;
    }

    /** A sampled take from probe {@code probeId}: the calling thread's next puts come from it. */
    public static void took(int probeId) {
        final long tid = Thread.currentThread().getId();
        LONGS.setOpaque(lastTaken, cell(tid), (tid << 32) | ((probeId + 1L) & ID_MASK));
    }

    /**
     * A sampled start of a task of pool {@code probeId} on the calling worker: the edge from where the worker took the
     * task (its work queue, when tracked) to the pool, and the worker's next puts come from the pool.
     */
    public static void ran(int probeId) {
        final long tid = Thread.currentThread().getId();
        final int at = cell(tid);
        final int from = from(tid, (long) LONGS.getOpaque(lastTaken, at));
        if (from != SOURCE && from != probeId) {
            edge(from, probeId);
        }
        LONGS.setOpaque(lastTaken, at, (tid << 32) | ((probeId + 1L) & ID_MASK));
    }

    /** A sampled put, submit or write to probe {@code probeId}: one sample on the edge from where the thread took. */
    public static void put(int probeId) {
        final long tid = Thread.currentThread().getId();
        final int from = from(tid, (long) LONGS.getOpaque(lastTaken, cell(tid)));
        if (from != probeId) {
            edge(from, probeId);
        }
    }

    private static int from(long tid, long entry) {
        return entry == 0L || (entry >>> 32) != (tid & ID_MASK) ? SOURCE : (int) (entry & ID_MASK) - 1;
    }

    private static void edge(int from, int to) {
        final Table t = table;
        final long key = ((from + 1L) << 32) | ((to + 1L) & ID_MASK);
        int i = (int) mix(key) & t.mask;
        for (int n = 0; n < PROBE_LIMIT; n++, i = (i + 1) & t.mask) {
            final long k = (long) LONGS.getAcquire(t.keys, i);
            if (k == key || (k == 0L && claim(t, i, key))) {
                LONGS.getAndAdd(t.counts, i, 1L);
                return;
            }
        }
        OVERFLOW.getAndAdd(1L);
    }

    /** Claims an empty slot for {@code key}; true also when another thread claimed it for the same key meanwhile. */
    private static boolean claim(Table t, int i, long key) {
        final long witness = (long) LONGS.compareAndExchange(t.keys, i, 0L, key);
        return witness == 0L || witness == key;
    }

    private static long mix(long key) {
        final long h = key * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }

    // ---------------------------------------------------------------- cold side

    /** Receives one edge: its ends ({@link #SOURCE} for a start) and the samples counted on it so far. */
    @FunctionalInterface
    public interface EdgeVisitor {
        void edge(int from, int to, long samples);
    }

    /** Visits every edge with the samples counted so far (cumulative). Cold side. */
    public static void forEachEdge(EdgeVisitor visitor) {
        final Table t = table;
        for (int i = 0; i < t.keys.length; i++) {
            final long k = (long) LONGS.getAcquire(t.keys, i);
            if (k != 0L) {
                visitor.edge((int) (k >>> 32) - 1, (int) (k & ID_MASK) - 1, (long) LONGS.getOpaque(t.counts, i));
            }
        }
    }

    /** Samples dropped because the edge table had no room for their edge. */
    public static long overflow() {
        return (long) OVERFLOW.getOpaque();
    }

    /** Forgets every edge and every thread's last take; for tests. */
    public static void reset() {
        table = new Table(table.keys.length);
        for (int i = 0; i < lastTaken.length; i++) {
            LONGS.setOpaque(lastTaken, i, 0L);
        }
        OVERFLOW.setOpaque(0L);
    }
}
