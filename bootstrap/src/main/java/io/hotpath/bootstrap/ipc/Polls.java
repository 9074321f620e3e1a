package io.hotpath.bootstrap.ipc;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;

/**
 * A subscriber's poll that returned fragments (or threw), recorded out of line so that the advice inlined into the
 * poll stays one branch on an empty poll.
 */
public final class Polls {
    private Polls() {}

    /**
     * Records one poll on probe {@code id}: {@code fragments} received ({@code out}), one non-empty poll
     * ({@code batches}, the counter its sampling ticks) and, on sampled polls, fragments per poll ({@code size}); a poll
     * whose fragment handler threw ({@code thrown} non-null) counts an error. Hot: one packed add for the poll and its
     * fragments ({@link Probe#POLLS}), allocation-free.
     */
    public static void polled(int id, int fragments, Throwable thrown) {
        final Probe p = Probes.get(id);
        try {
            if (thrown != null) {
                p.increment(Slot.ERRORS);
                return;
            }
            if (p.addPackedSampled(Probe.POLLS, fragments)) {
                p.record(Dist.SIZE, fragments);
            }
        } catch (Throwable t) {
            p.fail(t);
        }
    }
}
