package io.hotpath.bootstrap.ipc;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;

/**
 * What advice in a channel's outbound buffer (Netty's {@code ChannelOutboundBuffer}) records: messages queued, flushed,
 * written and failed. The buffer runs on its channel's event loop, so every count goes to that thread's own row of the
 * probe ({@link Probe#ownAdd}): no locked add, and no clock read, since the event loop never waits here. Each method is
 * one advised call, guarded: a fault disables the probe and never reaches the application.
 */
public final class OutboundBuffers {
    private OutboundBuffers() {}

    /** One outbound message of {@code size} bytes queued; its size is recorded on sampled messages. */
    public static void queued(int id, int size) {
        final Probe p = Probes.get(id);
        try {
            // One look-up of the event loop's row for both counts.
            if (p.ownCountSampledAdding(Slot.IN, Slot.BYTES_OUT, size)) {
                p.record(Dist.SIZE, size);
            }
        } catch (Throwable t) {
            p.fail(t);
        }
    }

    /** One flush of the queued messages. */
    public static void flushed(int id) {
        ownIncrement(id, Slot.BATCHES);
    }

    /** A flushed message was written and released. */
    public static void written(int id) {
        ownIncrement(id, Slot.OUT);
    }

    /** A flushed message failed. */
    public static void failed(int id) {
        ownIncrement(id, Slot.ERRORS);
    }

    private static void ownIncrement(int id, int slot) {
        final Probe p = Probes.get(id);
        try {
            p.ownAdd(slot, 1L);
        } catch (Throwable t) {
            p.fail(t);
        }
    }
}
