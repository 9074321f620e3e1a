package io.hotpath.bootstrap.ipc;

import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;

/**
 * Times episodes of an object's state, such as a Netty channel staying unwritable, without a field on the object: the
 * start time is kept in an {@link IdentityCells} table under the object's identity hash. Episodes are rare next to
 * messages (one per crossing of a high-water mark), and both ends are wait-free and allocation-free. An episode whose
 * start found no free cell is not timed (it is still counted by the caller).
 *
 * <p>An episode begins at most once: two threads that both see the state change (Netty's {@code setUnwritable} runs on
 * every writing thread, and two can observe the same transition) start one episode, so episodes begun minus episodes
 * ended is the number open, which the analyzer reads as "channels unwritable now".
 */
public final class Episodes {
    private static final IdentityCells STARTS = new IdentityCells(4096);

    private Episodes() {}

    /**
     * Marks the start of an episode of {@code owner} unless one is already open.
     *
     * @return whether the caller should count a new episode: true when it began one, or when no cell was free (then it
     *     is counted but not timed); false when an episode of {@code owner} was already open
     */
    static boolean begin(Object owner) {
        return STARTS.putIfAbsentRelease(IdentityCells.keyOf(owner), System.nanoTime() | 1L) != 0;
    }

    /** Ends the episode of {@code owner}: records its duration into {@code dist} of {@code p} if its start is known. */
    static void end(Probe p, int dist, Object owner) {
        final long start = STARTS.remove(IdentityCells.keyOf(owner));
        if (start != 0L) {
            p.record(dist, System.nanoTime() - start);
        }
    }

    /**
     * What advice calls when {@code owner} entered the state: begins its episode ({@link #begin}) and, when that is a
     * new episode, counts it in {@code slot} of probe {@code id}. Guarded: a fault disables the probe.
     */
    public static void began(int id, int slot, Object owner) {
        final Probe p = Probes.get(id);
        try {
            if (begin(owner)) {
                p.increment(slot);
            }
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /** What advice calls when {@code owner} left the state: {@link #end} on probe {@code id}, guarded. */
    public static void ended(int id, int dist, Object owner) {
        final Probe p = Probes.get(id);
        try {
            end(p, dist, owner);
        } catch (Throwable t) {
            p.fail(t);
        }
    }
}
