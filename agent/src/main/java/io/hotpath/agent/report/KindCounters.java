package io.hotpath.agent.report;

import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which of the {@link Slot#COUNT} counters mean something for each {@link PathKind}, in the order outputs list them,
 * and the key each has for that kind. Every probe has all counters; the others stay 0 and are not listed. A counter's
 * key says what it means for the kind: the slot a queue names {@code dropped} (an offer refused because the queue was
 * full) is {@code rejected} for an executor, {@code failed} for a broadcast (recipients whose write failed) and
 * {@code back_pressured} for IPC (a send the transport refused for lack of room: nothing was dropped by us).
 * docs/dump-format.md lists the same; a test keeps them equal.
 */
public final class KindCounters {
    private static final int[] QUEUE = {
        Slot.IN, Slot.OUT, Slot.DROPPED, Slot.BLOCKED, Slot.WAITED, Slot.REMOVED, Slot.BATCHES, Slot.BATCH_ITEMS
    };
    private static final int[] EXECUTOR = {
        Slot.CALLS,
        Slot.IN,
        Slot.OUT,
        Slot.DROPPED,
        Slot.CALLER_RAN,
        Slot.RERUNS,
        Slot.STARTED,
        Slot.ERRORS,
        Slot.REMOVED
    };
    /** A declared method probe: calls and the calls that threw. */
    private static final int[] METHOD = {Slot.CALLS, Slot.ERRORS};
    /** A declared batch probe: also the batches and the elements in them (its first argument's size). */
    private static final int[] BATCH = {Slot.CALLS, Slot.ERRORS, Slot.BATCHES, Slot.BATCH_ITEMS};
    /** A broadcast: a declared method or a Netty ChannelGroup write; failed recipients for the group. */
    private static final int[] BROADCAST = {Slot.CALLS, Slot.ERRORS, Slot.BATCHES, Slot.BATCH_ITEMS, Slot.DROPPED};

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
            case QUEUE -> QUEUE.clone();
            case BATCH -> BATCH.clone();
            case EXECUTOR -> EXECUTOR.clone();
            case METHOD -> METHOD.clone();
            case BROADCAST -> BROADCAST.clone();
            case IPC -> IPC.clone();
        };
    }

    /** The output key of {@code slot} for a probe of {@code kind}. */
    public static String key(PathKind kind, int slot) {
        if (slot == Slot.DROPPED) {
            return switch (kind) {
                case EXECUTOR -> "rejected";
                case BROADCAST -> "failed";
                case IPC -> "back_pressured";
                default -> Slot.name(slot);
            };
        }
        return Slot.name(slot);
    }

    /** Every key a probe of {@code kind} lists, in output order. */
    public static Set<String> keys(PathKind kind) {
        final Set<String> keys = new LinkedHashSet<>();
        for (int slot : slots(kind)) {
            keys.add(key(kind, slot));
        }
        return keys;
    }
}
