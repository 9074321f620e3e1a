package io.hotpath.bootstrap.ipc;

import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Slot;

/**
 * Counts the result of a send that reports back-pressure through its return value, in Aeron's convention: a positive
 * value is the new stream position (sent); -1 not connected, -2 back-pressured, -3 admin action, -4 closed, -5 max
 * position exceeded. Shared by the Aeron advice so the mapping lives in one place.
 */
public final class SendOutcomes {
    /** Aeron {@code Publication.NOT_CONNECTED}. */
    public static final long NOT_CONNECTED = -1L;
    /** Aeron {@code Publication.BACK_PRESSURED}. */
    public static final long BACK_PRESSURED = -2L;
    /** Aeron {@code Publication.ADMIN_ACTION}. */
    public static final long ADMIN_ACTION = -3L;
    /** Aeron {@code Publication.CLOSED}. */
    public static final long CLOSED = -4L;
    /** Aeron {@code Publication.MAX_POSITION_EXCEEDED}. */
    public static final long MAX_POSITION_EXCEEDED = -5L;

    private SendOutcomes() {}

    /** Records one send of {@code length} bytes that returned {@code result}. Hot: a few adds, no allocation. */
    public static void record(Probe p, long result, long length) {
        if (result > 0L) {
            p.increment(Slot.IN);
            p.add(Slot.BYTES_OUT, length);
        } else if (result == BACK_PRESSURED) {
            p.increment(Slot.DROPPED);
        } else if (result == NOT_CONNECTED) {
            p.increment(Slot.NOT_CONNECTED);
        } else if (result == ADMIN_ACTION) {
            p.increment(Slot.ADMIN_ACTION);
        } else if (result == CLOSED) {
            p.increment(Slot.SEND_CLOSED);
        } else if (result == MAX_POSITION_EXCEEDED) {
            p.increment(Slot.MAX_POSITION);
        } else {
            p.increment(Slot.ERRORS);
        }
    }

    /**
     * Records one publication send: its outcome and bytes on the operation probe {@code p} and on the stream's
     * endpoint probe ({@link Endpoints#stream}), and the sampled latency. {@code thrown} non-null counts an error.
     */
    public static void offered(
            Probe p,
            Object publication,
            String prefix,
            String channel,
            int streamId,
            long result,
            long length,
            long start,
            Throwable thrown) {
        try {
            if (thrown != null) {
                p.endWithError(start);
                return;
            }
            record(p, result, length);
            final Probe stream = Endpoints.stream(publication, prefix, channel, streamId);
            if (stream != null) {
                record(stream, result, length);
            }
            p.end(start);
        } catch (Throwable t) {
            p.fail(t);
        }
    }
}
