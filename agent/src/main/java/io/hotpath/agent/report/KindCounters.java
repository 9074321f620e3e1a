package io.hotpath.agent.report;

import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;

/**
 * Which of the {@link Slot#COUNT} counters mean something for each {@link PathKind}, in the order outputs list them.
 * Every probe has all counters; the others simply stay 0, and listing them would only add noise to dumps.
 */
public final class KindCounters {
    private static final int[] QUEUE = {
        Slot.IN, Slot.OUT, Slot.DROPPED, Slot.BLOCKED, Slot.WAITED, Slot.REMOVED, Slot.BATCHES, Slot.BATCH_ITEMS
    };
    private static final int[] EXECUTOR = {
        Slot.CALLS, Slot.IN, Slot.OUT, Slot.DROPPED, Slot.STARTED, Slot.ERRORS, Slot.REMOVED
    };
    private static final int[] CALLS = {
        Slot.CALLS,
        Slot.ERRORS,
        Slot.IN,
        Slot.OUT,
        Slot.DROPPED,
        Slot.BATCHES,
        Slot.BATCH_ITEMS,
        Slot.BYTES_OUT,
        Slot.BYTES_IN,
        Slot.PARTIAL,
        Slot.OPENED,
        Slot.CLOSED
    };

    private static final int[] IPC = {
        Slot.CALLS,
        Slot.ERRORS,
        Slot.IN,
        Slot.OUT,
        Slot.DROPPED,
        Slot.BATCHES,
        Slot.BATCH_ITEMS,
        Slot.BYTES_OUT,
        Slot.BYTES_IN,
        Slot.PARTIAL,
        Slot.OPENED,
        Slot.CLOSED,
        Slot.NOT_CONNECTED,
        Slot.ADMIN_ACTION,
        Slot.SEND_CLOSED,
        Slot.MAX_POSITION,
        Slot.UNWRITABLE
    };

    private KindCounters() {}

    /** The {@link Slot} indexes meaningful for {@code kind}, in output order (a fresh array). */
    public static int[] slots(PathKind kind) {
        return switch (kind) {
            case QUEUE, BATCH -> QUEUE.clone();
            case EXECUTOR -> EXECUTOR.clone();
            case METHOD, BROADCAST -> CALLS.clone();
            case IPC -> IPC.clone();
        };
    }
}
