package io.hotpath.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A trace of one probe: every event its recording entry points count (an element in, out or dropped, a call, a
 * blocked put, bytes written) while the trace runs, with the time, the thread, the counter and the amount, kept in
 * arrays allocated when the trace starts. At most one trace runs at a time.
 *
 * <p>The probe being traced carries {@link Probe#TRACED} in the state word every recording entry point already reads,
 * so every other probe pays nothing: their state is still 0 and the read decides as before. The traced probe's entry
 * points, seeing a non-zero state, leave their fast path for {@link #record}: one atomic add claims an index, the
 * entry is written, and the thread reference is stored last with release semantics, which publishes the entry to the
 * reader ({@link #drain}). No lock, no allocation, no wait: a claim past the bound is simply not kept.
 *
 * <p>The arrays are not a ring: index {@code i} is entry {@code i}, so no writer can overwrite what the reader has not
 * read yet, and the memory is bounded by {@code max} (the agent allows at most {@link #MAX_ENTRIES}, about 4 MB) and
 * held only while the trace runs and its file is written.
 */
public final class Trace {
    /** The most entries one trace may keep; about 36 bytes each while the trace runs. */
    public static final int MAX_ENTRIES = 100_000;

    private static final VarHandle CLAIMED;
    private static final VarHandle THREADS = MethodHandles.arrayElementVarHandle(Thread[].class);

    static {
        try {
            CLAIMED = MethodHandles.lookup().findVarHandle(Trace.class, "claimed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The running trace, or null; read by the traced probe's entry points only. */
    private static volatile Trace current;

    private final Probe probe;
    private final int max;
    private final long startNanos;
    private final long startMillis;
    private final long[] nanos;
    private final long[] amounts;
    private final byte[] slots;

    /** Published entries: non-null once entry {@code i} is whole (written last, with release). */
    private final Thread[] threads;

    /** Indexes handed out so far; may run past {@link #max} (those claims keep nothing). */
    @SuppressWarnings("unused") // through CLAIMED
    private long claimed;

    private Trace(Probe probe, int max) {
        this.probe = probe;
        this.max = max;
        this.nanos = new long[max];
        this.amounts = new long[max];
        this.slots = new byte[max];
        this.threads = new Thread[max];
        this.startMillis = System.currentTimeMillis();
        this.startNanos = System.nanoTime();
    }

    /**
     * Starts tracing {@code probe}, keeping at most {@code max} entries. Cold side.
     *
     * @return the new trace, or null when another trace is running
     * @throws IllegalArgumentException when {@code max} is not 1 to {@link #MAX_ENTRIES}
     */
    public static synchronized Trace start(Probe probe, int max) {
        if (max < 1 || max > MAX_ENTRIES) {
            throw new IllegalArgumentException("max " + max + " not allowed; allowed: 1 to " + MAX_ENTRIES);
        }
        if (current != null) {
            return null;
        }
        final Trace t = new Trace(probe, max);
        // The trace first, then the flag: an entry point that sees the flag finds the trace.
        current = t;
        probe.traced(true);
        return t;
    }

    /**
     * Ends this trace: the probe's entry points stop calling {@link #record} once they see the flag cleared; an entry
     * that claimed its index just before may still be published after, which {@link #drain} picks up while it is
     * called. Cold side; ending twice does nothing.
     */
    public void stop() {
        synchronized (Trace.class) {
            if (current == this) {
                probe.traced(false);
                current = null;
            }
        }
    }

    /** The running trace, or null. */
    public static Trace current() {
        return current;
    }

    /**
     * Records one event of probe {@code p} if it is the traced one. Called from the traced probe's recording entry
     * points only (never from a probe whose state is 0). Wait-free and allocation-free.
     */
    static void record(Probe p, int slot, long n) {
        final Trace t = current;
        if (t == null || t.probe != p) {
            return;
        }
        final long i = (long) CLAIMED.getAndAdd(t, 1L);
        if (i >= t.max) {
            return;
        }
        final int at = (int) i;
        t.nanos[at] = System.nanoTime();
        t.amounts[at] = n;
        t.slots[at] = (byte) slot;
        // Publish last: the reader sees the thread only after the entry's other fields.
        THREADS.setRelease(t.threads, at, Thread.currentThread());
    }

    /**
     * Forgets every entry, so that the same arrays take the next {@link #max} events: for a benchmark of the traced
     * path, which must not allocate a new trace each time one fills. Only while no thread records into this trace.
     */
    public void rewind() {
        java.util.Arrays.fill(threads, null);
        CLAIMED.setRelease(this, 0L);
    }

    /** The probe traced. */
    public Probe probe() {
        return probe;
    }

    /** The most entries this trace keeps. */
    public int max() {
        return max;
    }

    /** Events claimed so far, those past {@link #max} included. */
    public long claimed() {
        return (long) CLAIMED.getOpaque(this);
    }

    /** Whether every entry this trace can keep has been claimed. */
    public boolean full() {
        return claimed() >= max;
    }

    /** The wall-clock time of an entry's nanoTime, in epoch milliseconds (fractional). */
    public double epochMillis(long entryNanos) {
        return startMillis + (entryNanos - startNanos) / 1e6;
    }

    /** Receives the entries {@link #drain} reads. */
    public interface Reader {
        /** One entry: its index, nanoTime, thread, counter ({@link Slot}) and amount. */
        void entry(int index, long nanos, Thread thread, int slot, long amount);
    }

    /**
     * Hands every entry published from index {@code from} on, in order, to {@code reader}, stopping at the first not
     * yet published; returns the index to start from next time. Cold side, one reader. An entry read is released
     * (its thread reference dropped) so that the trace holds no thread longer than needed.
     */
    public int drain(int from, Reader reader) {
        int i = from;
        while (i < max) {
            final Thread th = (Thread) THREADS.getAcquire(threads, i);
            if (th == null) {
                break;
            }
            reader.entry(i, nanos[i], th, slots[i], amounts[i]);
            threads[i] = DONE;
            i++;
        }
        return i;
    }

    /** Stands for a read entry's thread, so that the trace keeps no reference to a thread it has written out. */
    private static final Thread DONE = new Thread("hotpath-trace-done");
}
