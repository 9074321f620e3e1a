package io.hotpath.bootstrap.ipc;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Completion of fan-out sends that return one future for all recipients (Netty's {@code ChannelGroupFuture}): how many
 * recipients' writes failed, and how long until every write completed.
 *
 * <p>Why no listener: adding a listener to the application's future would cost a lock and, when the application adds
 * its own, an allocation in Netty per broadcast. Instead the broadcast tags its future in an {@link IdentityCells}
 * table ({@link #issued}: one compare-and-set), and advice at the end of the future's own completion method, which
 * runs exactly once, removes the tag and records ({@link #completed}). The tag holds which broadcast probe it belongs
 * to in its low two bits and the broadcast's start time (0 when the call was not sampled for timing) in the rest, so
 * completion times are as sampled as latencies while failures are counted for every broadcast.
 *
 * <p>The race: the writes may all complete before the caller has tagged the future (recipients on the caller's own
 * event loop, or writes that fail at once). Both sides therefore remove the tag, and only the side whose remove
 * returns it records: the completion side removes after the future turned done, and the caller removes only after
 * tagging and then seeing the future done, so exactly one of them gets the tag. A future that never completes keeps its
 * cell; the table is bounded and broadcasts that find it full are counted as before, only not followed to completion
 * (neither timed nor their failures counted): {@link #untracked()} says how many.
 */
public final class GroupFutures {
    /** The tag's code for the first broadcast probe (Netty {@code ChannelGroup#write}). */
    public static final long FIRST = 1L;
    /** The tag's code for the second broadcast probe (Netty {@code ChannelGroup#writeAndFlush}). */
    public static final long SECOND = 2L;

    private static final long CODE = 3L;
    /**
     * Broadcasts in flight at once: a burst of writes queued behind a busy event loop keeps thousands of futures open
     * (2,000 in the tests), and at a low load factor a tag almost never finds its neighbourhood full. 16384 cells are
     * 192 KB, allocated only once a group broadcast ran.
     */
    private static final IdentityCells ISSUED = new IdentityCells(16384);

    private GroupFutures() {}

    /**
     * Called when a broadcast returned {@code future}: tags it for {@link #completed}; if it is already done, records
     * it here. Hot: one table insert and one volatile read; a failed early completion walks its failure list.
     *
     * @param p the broadcast's probe
     * @param code {@link #FIRST} or {@link #SECOND}: which of the completion side's two probes {@code p} is
     * @param start the broadcast's {@link Probe#begin} value: its start time if sampled, else 0
     */
    static void issued(Probe p, long code, long start, Object future) {
        if (!(future instanceof Future<?>)) {
            return;
        }
        final Future<?> f = (Future<?>) future;
        final int key = IdentityCells.keyOf(f);
        if (!ISSUED.putRelease(key, (start & ~CODE) | code)) {
            return;
        }
        if (f.isDone()) {
            final long tag = ISSUED.remove(key);
            if (tag != 0L) {
                record(p, tag, failures(f), System.nanoTime());
            }
        }
    }

    /** Broadcasts whose future could not be tagged (the table had no free cell nearby): not followed to completion. */
    public static long untracked() {
        return ISSUED.overflow();
    }

    /** Whether the completing future was sampled for timing: worth a clock read before it notifies its listeners. */
    public static boolean timed(Object future) {
        final long tag = ISSUED.getAcquire(IdentityCells.keyOf(future));
        return (tag & ~CODE) != 0L;
    }

    /**
     * Called once when {@code future} completed, after it turned done: records the failures and the completion time on
     * the probe its tag names, if it was tagged. Hot (on the thread that completed the last write): one table remove. Guarded: a
     * fault disables the first probe.
     *
     * @param end when the writes completed, or 0 to read the clock now
     */
    public static void completed(int first, int second, Object future, int failures, long end) {
        try {
            final long tag = ISSUED.remove(IdentityCells.keyOf(future));
            if (tag != 0L) {
                record(Probes.get((tag & CODE) == FIRST ? first : second), tag, failures, end);
            }
        } catch (Throwable t) {
            Probes.get(first).fail(t);
        }
    }

    private static void record(Probe p, long tag, int failures, long end) {
        if (failures > 0) {
            p.add(Slot.DROPPED, failures);
        }
        final long start = tag & ~CODE;
        if (start != 0L) {
            p.record(Dist.WAIT, (end != 0L ? end : System.nanoTime()) - start);
        }
    }

    /**
     * The failed recipients of a future that is done. Only for the rare broadcast that completed before its caller
     * returned: a failure is an {@link ExecutionException} whose cause lists the failed recipients (Netty's
     * {@code ChannelGroupException} is an {@code Iterable} of them), so a failure allocates; success does not.
     */
    private static int failures(Future<?> f) {
        try {
            f.get();
            return 0;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Iterable<?> failed) {
                int n = 0;
                for (Object ignored : failed) {
                    n++;
                }
                return n;
            }
            return 1;
        } catch (CancellationException e) {
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /**
     * Entry of a broadcast on probe {@code id} to the {@code group}'s recipients (its size at the call): counts one
     * batch of that many items, begins the call and, when it is sampled, records the fan-out. Guarded: a fault
     * disables the probe and returns 0.
     */
    public static long broadcast(int id, java.util.Set<?> group) {
        final Probe p = Probes.get(id);
        try {
            final int n = group.size();
            p.increment(Slot.BATCHES);
            p.add(Slot.BATCH_ITEMS, n);
            final long start = p.begin();
            if (start != 0L) {
                p.record(Dist.SIZE, n);
                io.hotpath.bootstrap.Flows.put(id); // the pipeline edge into the group, on sampled broadcasts only
            }
            return start;
        } catch (Throwable t) {
            p.fail(t);
            return 0L;
        }
    }

    /**
     * Exit of a broadcast on probe {@code id}, the completion side's probe {@code code} ({@link #FIRST} or
     * {@link #SECOND}): an error if it threw, else its latency and its {@code future} tagged ({@link #issued}) unless
     * it is a void promise's, which never completes. Guarded.
     */
    public static void broadcastDone(
            int id, long code, long start, boolean voidPromise, Object future, Throwable thrown) {
        final Probe p = Probes.get(id);
        try {
            if (thrown == null) {
                p.end(start);
                if (!voidPromise) {
                    issued(p, code, start, future);
                }
            } else {
                p.endWithError(start);
            }
        } catch (Throwable t) {
            p.fail(t);
        }
    }
}
