package io.hotpath.bootstrap;

/**
 * The counters every probe has, by index. Which ones a probe uses depends on its {@link PathKind}; see
 * docs/dump-format.md for the meaning per kind. All are cumulative since the probe was registered.
 */
public final class Slot {
    /** Calls of an instrumented method, or tasks handed to an executor. */
    public static final int CALLS = 0;
    /** Calls that ended by throwing, or tasks that threw. */
    public static final int ERRORS = 1;
    /** Messages queued, tasks accepted, messages sent. */
    public static final int IN = 2;
    /** Messages dequeued, tasks finished, messages received. */
    public static final int OUT = 3;
    /** Offers refused (queue full), tasks rejected, sends refused by back-pressure. */
    public static final int DROPPED = 4;
    /** Batch drains that returned at least one element, or fan-out sends. */
    public static final int BATCHES = 5;
    /** Elements moved by batch drains, or recipients reached by fan-out sends. */
    public static final int BATCH_ITEMS = 6;
    /** Producers that found the queue full and had to wait (put, timed offer). */
    public static final int BLOCKED = 7;
    /** Consumers that found the queue empty and had to wait (take, timed poll). */
    public static final int WAITED = 8;
    /** Elements or tasks removed other than by dequeueing (remove(Object), clear, purge). */
    public static final int REMOVED = 9;
    /** Tasks that started running. */
    public static final int STARTED = 10;
    /** Bytes written. */
    public static final int BYTES_OUT = 11;
    /** Bytes read. */
    public static final int BYTES_IN = 12;
    /** Writes that accepted less than was offered (back-pressure). */
    public static final int PARTIAL = 13;
    /** Connections opened. */
    public static final int OPENED = 14;
    /** Connections closed. */
    public static final int CLOSED = 15;
    /** Sends refused because nothing is connected (Aeron {@code NOT_CONNECTED}). */
    public static final int NOT_CONNECTED = 16;
    /** Sends that must be retried after an administrative action (Aeron {@code ADMIN_ACTION}). */
    public static final int ADMIN_ACTION = 17;
    /** Sends refused because the publication or channel is closed (Aeron {@code CLOSED}). */
    public static final int SEND_CLOSED = 18;
    /** Sends refused because the stream reached its maximum position (Aeron {@code MAX_POSITION_EXCEEDED}). */
    public static final int MAX_POSITION = 19;
    /** Times a channel became unwritable (Netty writability turned false: outbound buffer over its high mark). */
    public static final int UNWRITABLE = 20;
    /**
     * Tasks a pool refused that its {@code CallerRunsPolicy} ran on the submitting thread: back-pressure onto the
     * caller, nothing lost. Not in {@link #DROPPED}.
     */
    public static final int CALLER_RAN = 21;
    /** A scheduled pool's periodic task put back into its queue after a run: not a submission, not in {@link #CALLS}. */
    public static final int RERUNS = 22;

    /** How many counters a probe has. */
    public static final int COUNT = 23;

    private static final String[] NAMES = {
        "calls",
        "errors",
        "in",
        "out",
        "dropped",
        "batches",
        "batch_items",
        "blocked",
        "waited",
        "removed",
        "started",
        "bytes_out",
        "bytes_in",
        "partial",
        "opened",
        "closed",
        "not_connected",
        "admin_action",
        "send_closed",
        "max_position",
        "unwritable",
        "caller_ran",
        "reruns"
    };

    private Slot() {}

    /** The snake_case name of a counter, as used in output. */
    public static String name(int slot) {
        return NAMES[slot];
    }
}
