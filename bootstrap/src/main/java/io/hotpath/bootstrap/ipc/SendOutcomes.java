package io.hotpath.bootstrap.ipc;

import io.hotpath.bootstrap.Slot;

/**
 * Counts the result of a send that reports back-pressure through its return value, in Aeron's convention: a positive
 * value is the new stream position (sent); -1 not connected, -2 back-pressured, -3 admin action, -4 closed, -5 max
 * position exceeded. Shared by the Aeron recording ({@link Publications}) so the mapping lives in one place.
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

    /** The counter a refused send's result goes to ({@code result <= 0}); an unknown code counts as an error. */
    public static int slotOf(long result) {
        if (result == BACK_PRESSURED) {
            return Slot.DROPPED;
        } else if (result == NOT_CONNECTED) {
            return Slot.NOT_CONNECTED;
        } else if (result == ADMIN_ACTION) {
            return Slot.ADMIN_ACTION;
        } else if (result == CLOSED) {
            return Slot.SEND_CLOSED;
        } else if (result == MAX_POSITION_EXCEEDED) {
            return Slot.MAX_POSITION;
        }
        return Slot.ERRORS;
    }
}
