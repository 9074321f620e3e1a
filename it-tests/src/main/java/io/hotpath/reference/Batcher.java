package io.hotpath.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes messages out of the ingress queue in batches and hands each batch to the {@link Dispatcher}.
 *
 * <p>One batch is built like this ({@code batchSize} and {@code flushIntervalMs} read once at its start):
 *
 * <ol>
 *   <li>{@code drainTo(batch, batchSize)}. If that returned nothing, {@code poll(flushIntervalMs)} waits for the
 *       first element (at least 1 ms, so that a flush interval of 0 does not spin); a timeout starts over (and is where the batcher notices the end of the run), an element is
 *       added and followed by {@code drainTo(batch, batchSize - 1)}.
 *   <li>While the batch is not full and less than {@code flushIntervalMs} has passed since it got its first element:
 *       {@code poll(remaining)} for the next element, then {@code drainTo} the rest up to {@code batchSize}. A poll
 *       timeout ends the batch. (Skipped once the producers have stopped: then only what is queued is left.)
 *   <li>The batch, never empty, goes to {@link Dispatcher#dispatch} once.
 * </ol>
 *
 * So the flush interval bounds how long a message waits for its batch to fill (latency) and the batch size bounds
 * how many messages share one fan-out task (throughput): the two tunables an optimizer trades against each other.
 * Both are plain non-final fields, re-read every batch, so an external optimizer can change them while the batcher
 * runs; the queue calls in between (lock acquire/release) keep the JIT from hoisting the reads out of the loop.
 *
 * <p>A batch is <em>drain-started</em> when its first elements came from the {@code drainTo} of step 1 and
 * <em>poll-started</em> when its first element came from the {@code poll} of step 1; every batch is exactly one of
 * the two, so {@code batches == drainStartedBatches + pollStartedBatches}. A batch may involve several
 * {@code drainTo} and {@code poll} calls, so neither call count equals the batch count.
 */
public final class Batcher implements Runnable {
    /**
     * Shortest wait for the first element of a batch, so that a flush interval of 0 (no lingering) does not turn an
     * idle batcher into a busy loop.
     */
    static final long MIN_IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Maximum messages per batch; a tunable, read at the start of every batch. */
    int batchSize;

    /** Maximum wait in milliseconds for a batch to fill after its first element; a tunable, read every batch. */
    long flushIntervalMs;

    private final BlockingQueue<StatusMessage> ingress;
    private final Dispatcher dispatcher;

    /** Every {@code drainTo} call, including the ones that returned 0. */
    private final AtomicLong drainToCalls = new AtomicLong();

    /** {@code drainTo} calls that returned more than 0. */
    private final AtomicLong drainToNonEmptyCalls = new AtomicLong();

    /** Sum of what {@code drainTo} calls returned. */
    private final AtomicLong drainToElements = new AtomicLong();

    /** Every {@code poll(timeout)} call, including the ones that timed out. */
    private final AtomicLong pollCalls = new AtomicLong();

    /** {@code poll(timeout)} calls that returned an element. */
    private final AtomicLong polled = new AtomicLong();

    private final AtomicLong drainStartedBatches = new AtomicLong();
    private final AtomicLong pollStartedBatches = new AtomicLong();

    /** Sum of the sizes of all batches handed to the dispatcher. */
    private final AtomicLong batchedMessages = new AtomicLong();

    private final AtomicLong maxBatch = new AtomicLong();

    /** Set once all producers have been joined: nothing more will be added to the ingress queue. */
    private volatile boolean producersDone;

    private final Thread thread;

    Batcher(BlockingQueue<StatusMessage> ingress, Dispatcher dispatcher, int batchSize, long flushIntervalMs) {
        this.ingress = ingress;
        this.dispatcher = dispatcher;
        this.batchSize = batchSize;
        this.flushIntervalMs = flushIntervalMs;
        this.thread = new Thread(this, "batcher");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Tells the batcher that the producers are done, and waits until it has emptied the ingress queue and handed the
     * last batch to the dispatcher. The interrupt only wakes a {@code poll} that would otherwise wait out the flush
     * interval.
     *
     * @return false if the batcher did not finish within {@code timeoutMillis}
     */
    boolean finish(long timeoutMillis) throws InterruptedException {
        producersDone = true;
        thread.interrupt();
        thread.join(Math.max(1, timeoutMillis));
        return !thread.isAlive();
    }

    @Override
    public void run() {
        while (true) {
            final int size = Math.max(1, batchSize);
            final long flushNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, flushIntervalMs));
            final List<StatusMessage> batch = new ArrayList<>(Math.min(size, 1024));

            if (drainTo(batch, size) > 0) {
                drainStartedBatches.incrementAndGet();
            } else {
                // Read the flag before looking at the queue: once producersDone is seen, the queue can only shrink,
                // so an empty queue now means the run is over.
                if (producersDone && ingress.isEmpty()) {
                    return;
                }
                final StatusMessage first = poll(Math.max(flushNanos, MIN_IDLE_POLL_NANOS));
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pollStartedBatches.incrementAndGet();
                if (size > 1) {
                    drainTo(batch, size - 1);
                }
            }

            final long deadline = System.nanoTime() + flushNanos;
            while (batch.size() < size && !producersDone) {
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                final StatusMessage next = poll(remaining);
                if (next == null) {
                    break;
                }
                batch.add(next);
                if (batch.size() < size) {
                    drainTo(batch, size - batch.size());
                }
            }

            batchedMessages.addAndGet(batch.size());
            maxBatch.accumulateAndGet(batch.size(), Math::max);
            dispatcher.dispatch(batch);
        }
    }

    long drainToCalls() {
        return drainToCalls.get();
    }

    long drainToNonEmptyCalls() {
        return drainToNonEmptyCalls.get();
    }

    long drainToElements() {
        return drainToElements.get();
    }

    long pollCalls() {
        return pollCalls.get();
    }

    long polled() {
        return polled.get();
    }

    long batches() {
        return drainStartedBatches.get() + pollStartedBatches.get();
    }

    long drainStartedBatches() {
        return drainStartedBatches.get();
    }

    long pollStartedBatches() {
        return pollStartedBatches.get();
    }

    long batchedMessages() {
        return batchedMessages.get();
    }

    long maxBatch() {
        return maxBatch.get();
    }

    /** Elements taken out of the ingress queue so far, by {@code drainTo} and {@code poll}. */
    long dequeued() {
        return drainToElements.get() + polled.get();
    }

    private int drainTo(List<StatusMessage> batch, int max) {
        final int drained = ingress.drainTo(batch, max);
        drainToCalls.incrementAndGet();
        if (drained > 0) {
            drainToNonEmptyCalls.incrementAndGet();
            drainToElements.addAndGet(drained);
        }
        return drained;
    }

    /** {@code poll(timeout)}; null on timeout, and on the shutdown interrupt (the caller re-checks the state). */
    private StatusMessage poll(long timeoutNanos) {
        pollCalls.incrementAndGet();
        final StatusMessage element;
        try {
            element = ingress.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            return null;
        }
        if (element != null) {
            polled.incrementAndGet();
        }
        return element;
    }
}
