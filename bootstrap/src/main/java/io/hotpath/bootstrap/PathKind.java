package io.hotpath.bootstrap;

/** What a probe measures. The name is the lower-case form used in dumps, metrics and properties. */
public enum PathKind {
    /** An in-process queue: messages queued, dequeued, overflow, depth. */
    QUEUE,
    /** A batch drain: batches and their sizes. */
    BATCH,
    /** A fan-out send: recipients per send, failures. */
    BROADCAST,
    /** A thread pool: tasks submitted, rejected, run time, time queued. */
    EXECUTOR,
    /** A socket, channel or publication: messages, bytes, back-pressure. */
    IPC,
    /** A method the user named: calls, errors, latency. */
    METHOD;

    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** The lower-case name used in output and configuration. */
    public String label() {
        return label;
    }

    /** Parses a lower-case label; returns {@code null} when there is no such kind. */
    public static PathKind ofLabel(String label) {
        for (PathKind k : values()) {
            if (k.label.equals(label)) {
                return k;
            }
        }
        return null;
    }
}
