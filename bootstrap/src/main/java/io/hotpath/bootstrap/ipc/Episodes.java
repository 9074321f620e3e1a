package io.hotpath.bootstrap.ipc;

import io.hotpath.bootstrap.Probe;

/**
 * Times episodes of an object's state, such as a Netty channel staying unwritable, without a field on the object: the
 * start time is kept in an {@link IdentityCells} table under the object's identity hash. Episodes are rare next to
 * messages (one per crossing of a high-water mark), and both ends are wait-free and allocation-free. An episode whose
 * start found no free cell is not timed (it is still counted by the caller).
 */
public final class Episodes {
    private static final IdentityCells STARTS = new IdentityCells(4096);

    private Episodes() {}

    /** Marks the start of an episode of {@code owner}. */
    public static void begin(Object owner) {
        STARTS.putRelease(IdentityCells.keyOf(owner), System.nanoTime() | 1L);
    }

    /** Ends the episode of {@code owner}: records its duration into {@code dist} of {@code p} if its start is known. */
    public static void end(Probe p, int dist, Object owner) {
        final long start = STARTS.remove(IdentityCells.keyOf(owner));
        if (start != 0L) {
            p.record(dist, System.nanoTime() - start);
        }
    }
}
