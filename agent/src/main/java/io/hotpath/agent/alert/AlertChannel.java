package io.hotpath.agent.alert;

/**
 * Where alerts go. {@link #send} is called on the analyzer's thread and must return at once: a channel that does I/O
 * hands the alert to its own daemon thread through a bounded queue.
 */
interface AlertChannel {
    /** The channel's name in configuration and output: {@code log}, {@code otlp}, {@code webhook}. */
    String name();

    /** Delivers one alert, or queues it; never blocks, never throws. */
    void send(Alert alert);

    /** Alerts this channel could not deliver (queue full, retries exhausted). */
    default long failed() {
        return 0;
    }

    /**
     * Ends the channel's threads, waiting at most {@code timeout}; alerts still queued are dropped. Called once, when
     * the agent stops; nothing is sent after it.
     */
    default void close(java.time.Duration timeout) {}
}
