package io.hotpath.bootstrap.ipc;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What advice in a channel's outbound buffer (Netty's {@code ChannelOutboundBuffer}) records: messages queued, flushed,
 * written and failed. Each is one atomic add on the calling thread's stripe, no clock read (the event loop never waits
 * here); a queued message and its bytes go into one packed cell ({@link Probe#WRITES}). A count into the event loop's
 * own row looked that row up in a thread-local on every call, and that look-up cost more than the locked add it
 * spared: with the three calls of a written and flushed message, 9.7 ns per message against 7.1-7.6 ns for the adds
 * (CPU time, JDK 17 and 25). Each method is one advised call, guarded: a fault disables the probe and never reaches the
 * application.
 *
 * <p><b>Written messages of a gathering write</b> ({@code removeBytes}, which removes every message the write
 * completed, one {@code remove()} each) are counted with one add per write, not one per message: {@link #gatherBegin}
 * claims a cell for the calling thread, each {@link #written} on that thread counts into it with a plain increment,
 * and {@link #gatherEnd} adds the cell's count to the probe and frees the cell. Cells are indexed by thread id, {@link
 * #GATHER_CELLS} of them, each on its own cache line, claimed by CAS from 0 to the thread's id: only the owner writes
 * the count and only the owner reads it, so opaque accesses suffice. A thread that finds its cell held by another
 * thread (ids that share a cell), or by itself (a {@code removeBytes} nested in a listener of an outer one), does not
 * claim it: its messages go to the outer write's cell or, as before, to the probe's stripes. So every message is
 * counted exactly once, even when a write's listener writes, flushes or fails messages while the outer write removes.
 */
public final class OutboundBuffers {
    /** Cells of the gathering-write table; a power of two. */
    static final int GATHER_CELLS = 256;

    /** Longs per cell: owner thread id, probe id, count; padded to one cache line so two threads never share one. */
    private static final int STRIDE = 8;

    private static final int OWNER = 0;
    private static final int PROBE = 1;
    private static final int COUNT = 2;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    /** A leading pad, then one cell per line. */
    private static final long[] gathering = new long[STRIDE + GATHER_CELLS * STRIDE];

    private OutboundBuffers() {}

    private static int cell(long tid) {
        return STRIDE + ((int) tid & (GATHER_CELLS - 1)) * STRIDE;
    }

    /**
     * A gathering write begins removing the messages it wrote: returns whether the calling thread claimed its cell,
     * to be passed to {@link #gatherEnd}. Never fails: an occupied cell only means the messages are counted one by one.
     */
    public static boolean gatherBegin(int id) {
        final long tid = Thread.currentThread().getId();
        final int at = cell(tid);
        final long owner = (long) LONGS.getOpaque(gathering, at + OWNER);
        if (owner == tid) {
            // This thread holds the cell: a write nested in a listener of its outer write, or a cell left claimed when
            // a throwable (a StackOverflowError in the advice) struck between an outer begin and its end. Either way
            // what the cell counted so far goes to the probe now, so a stale claim delays counts until the thread's
            // next gathering write instead of losing them.
            handOver(at);
            return false;
        }
        if (owner != 0L || !LONGS.compareAndSet(gathering, at + OWNER, 0L, tid)) {
            return false;
        }
        LONGS.setOpaque(gathering, at + PROBE, (long) id);
        LONGS.setOpaque(gathering, at + COUNT, 0L);
        return true;
    }

    /** Adds what the calling thread's cell at {@code at} counted to its probe and zeroes it; the cell stays held. */
    private static void handOver(int at) {
        final long n = (long) LONGS.getOpaque(gathering, at + COUNT);
        if (n != 0L) {
            LONGS.setOpaque(gathering, at + COUNT, 0L);
            final Probe p = Probes.get((int) (long) LONGS.getOpaque(gathering, at + PROBE));
            try {
                p.add(Slot.OUT, n);
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /**
     * The gathering write begun with {@link #gatherBegin} ended (normally or not): adds the messages it removed to the
     * probe in one add and frees the cell. The count is read before the release store that frees the cell, so a
     * thread that claims the cell next cannot reset it under this read.
     */
    public static void gatherEnd(int id, boolean claimed) {
        if (!claimed) {
            return;
        }
        final int at = cell(Thread.currentThread().getId());
        final long n = (long) LONGS.getOpaque(gathering, at + COUNT);
        LONGS.setRelease(gathering, at + OWNER, 0L);
        if (n != 0L) {
            final Probe p = Probes.get(id);
            try {
                p.add(Slot.OUT, n);
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /** One outbound message of {@code size} bytes queued, counted with its bytes; its size is recorded on sampled ones. */
    public static void queued(int id, int size) {
        final Probe p = Probes.get(id);
        try {
            if (p.addPackedSampled(Probe.WRITES, size)) {
                p.record(Dist.SIZE, size);
            }
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /** One flush of the queued messages. */
    public static void flushed(int id) {
        increment(id, Slot.BATCHES);
    }

    /**
     * A flushed message was written and released: counted into the thread's cell while a gathering write of this probe
     * that the thread claimed is removing its messages, else on the probe's stripes.
     */
    public static void written(int id) {
        final long tid = Thread.currentThread().getId();
        final int at = cell(tid);
        if ((long) LONGS.getOpaque(gathering, at + OWNER) == tid
                && (long) LONGS.getOpaque(gathering, at + PROBE) == id) {
            LONGS.setOpaque(gathering, at + COUNT, (long) LONGS.getOpaque(gathering, at + COUNT) + 1L);
            return;
        }
        increment(id, Slot.OUT);
    }

    /** A flushed message failed. */
    public static void failed(int id) {
        increment(id, Slot.ERRORS);
    }

    private static void increment(int id, int slot) {
        final Probe p = Probes.get(id);
        try {
            p.add(slot, 1L);
        } catch (Throwable t) {
            p.fail(t);
        }
    }
}
