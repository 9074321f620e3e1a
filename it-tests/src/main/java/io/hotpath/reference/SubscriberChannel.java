package io.hotpath.reference;

import java.time.Duration;
import java.util.List;

/**
 * One destination of the fan-out. The dispatcher only sees this interface, so other transports (a TCP or UNIX-domain
 * socket subscriber, an Aeron publication) and fault-injecting wrappers can be added beside
 * {@link QueueSubscriberChannel} without touching the dispatcher.
 *
 * <p>Life cycle: {@link #start()}, then any number of concurrent {@link #deliver} calls from dispatcher threads, then
 * {@link #close(Duration)} once no more deliveries can happen, which consumes everything already delivered before it
 * returns. The counts are read by the progress reporter at any time and are exact after {@code close}.
 */
public interface SubscriberChannel {
    /** Stable name used in progress lines and the ground truth, e.g. {@code subscriber-0}. */
    String name();

    /** Starts the consuming side (thread, connection). */
    void start();

    /**
     * Hands one message to this subscriber, waiting while it is full (back-pressure on the dispatcher). Called by
     * several dispatcher threads at once.
     *
     * @throws InterruptedException if the calling thread is interrupted while waiting; the message is not delivered
     */
    void deliver(StatusMessage message) throws InterruptedException;

    /**
     * Hands a whole batch to this subscriber. The default delivers message by message; a transport with framing (a
     * socket writing one frame per batch) can override it.
     *
     * @throws InterruptedException if interrupted while waiting; the messages before the interrupted one are delivered
     */
    default void deliverBatch(List<StatusMessage> batch) throws InterruptedException {
        for (int i = 0, n = batch.size(); i < n; i++) {
            deliver(batch.get(i));
        }
    }

    /** Messages accepted by {@link #deliver} so far. */
    long delivered();

    /** Messages the subscriber has finished processing so far. */
    long consumed();

    /** Messages accepted but not yet consumed (queue depth, bytes in flight). */
    int backlog();

    /**
     * Stops the channel after consuming everything delivered so far. Must only be called once no {@link #deliver}
     * call is running or will start.
     *
     * @return false if the backlog was not consumed within {@code timeout}
     */
    boolean close(Duration timeout) throws InterruptedException;

    /**
     * Wire-level counts of a transport subscriber (frames and bytes written and read, back-pressure outcomes), added
     * to its ground-truth entry; empty for in-process channels. Exact after {@link #close}.
     */
    default java.util.Map<String, Long> wire() {
        return java.util.Map.of();
    }

    /**
     * Adds the end-to-end latencies recorded since the last call to {@code into} and forgets them: the progress line's
     * per-second p99. Safe while the channel runs; channels that do not keep them add nothing.
     */
    default void drainIntervalLatency(LatencyRecorder into) {}

    /** End-to-end latencies of the consumed messages; complete only after {@link #close}. */
    LatencyRecorder latency();
}
