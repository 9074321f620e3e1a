package io.hotpath.reference;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fans each batch out to every {@link SubscriberChannel} on a fixed-size {@link ThreadPoolExecutor} with a bounded
 * {@link ArrayBlockingQueue} work queue and the default {@link ThreadPoolExecutor.AbortPolicy}.
 *
 * <p>The pool is built with {@code new ThreadPoolExecutor(...)} directly, not through {@code Executors}, because that
 * is the construction path an agent must see for a pool whose queue is bounded. A full work queue makes
 * {@code execute()} throw {@link RejectedExecutionException}: the batch is then retried after
 * {@link #RETRY_PAUSE} (back-pressure on the batcher, the default) or dropped ({@code --drop-rejected}).
 *
 * <p>Every {@code execute()} attempt counts as submitted, every rejection as rejected, and every task that finished
 * running as completed, so after {@link #shutdown} {@code submitted == completed + rejected} exactly.
 */
final class Dispatcher {
    /** Pause before retrying a rejected batch: long enough for a dispatcher thread to free a slot. */
    static final Duration RETRY_PAUSE = Duration.ofMillis(1);

    private final ThreadPoolExecutor pool;
    private final List<SubscriberChannel> channels;
    private final boolean dropRejected;

    /** {@code execute()} calls, including the ones that were rejected. */
    private final AtomicLong submitted = new AtomicLong();

    /** {@code execute()} calls that threw {@link RejectedExecutionException}. */
    private final AtomicLong rejected = new AtomicLong();

    /** Fan-out tasks whose {@code run()} finished, normally or not. */
    private final AtomicLong completed = new AtomicLong();

    /** Fan-out tasks that did not deliver their whole batch (interrupted while blocked in a subscriber's put). */
    private final AtomicLong failed = new AtomicLong();

    /** Batches given up after a rejection ({@code --drop-rejected}), and the messages in them. */
    private final AtomicLong droppedBatches = new AtomicLong();

    private final AtomicLong droppedMessages = new AtomicLong();

    /** Fixed wait per fan-out task (a per-batch flush), parked; 0 for none. */
    private final long batchCostNanos;

    Dispatcher(
            int threads,
            int queueCapacity,
            List<SubscriberChannel> channels,
            boolean dropRejected,
            long batchCostNanos) {
        this.batchCostNanos = batchCostNanos;
        this.pool = new ThreadPoolExecutor(
                threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueCapacity));
        this.channels = List.copyOf(channels);
        this.dropRejected = dropRejected;
    }

    /**
     * Submits one batch for fan-out; on rejection retries until accepted, or drops it with {@code --drop-rejected}.
     * Called by the batcher thread only.
     */
    void dispatch(List<StatusMessage> batch) {
        final Runnable task = () -> fanOut(batch);
        while (true) {
            submitted.incrementAndGet();
            try {
                pool.execute(task);
                return;
            } catch (RejectedExecutionException e) {
                rejected.incrementAndGet();
                if (dropRejected) {
                    droppedBatches.incrementAndGet();
                    droppedMessages.addAndGet(batch.size());
                    return;
                }
            }
            pauseBeforeRetry();
        }
    }

    /** Stops accepting batches and waits until every accepted one is delivered to all channels. */
    boolean shutdown(Duration timeout) throws InterruptedException {
        pool.shutdown();
        return pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    long submitted() {
        return submitted.get();
    }

    long rejected() {
        return rejected.get();
    }

    long completed() {
        return completed.get();
    }

    long failed() {
        return failed.get();
    }

    long droppedBatches() {
        return droppedBatches.get();
    }

    long droppedMessages() {
        return droppedMessages.get();
    }

    /** Batches waiting in the pool's work queue. */
    int queued() {
        return pool.getQueue().size();
    }

    private void fanOut(List<StatusMessage> batch) {
        try {
            Faults.onFanOut();
            SimulatedWork.block(batchCostNanos);
            for (int i = 0, n = channels.size(); i < n; i++) {
                // Whole batch to one channel, then the next: a full (slow) channel holds this dispatcher thread,
                // which is the head-of-line blocking a saturated dispatcher pool is made of.
                channels.get(i).deliverBatch(batch);
            }
        } catch (InterruptedException e) {
            failed.incrementAndGet();
            Thread.currentThread().interrupt();
        } finally {
            completed.incrementAndGet();
        }
    }

    private static void pauseBeforeRetry() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            // The batcher is interrupted only as a shutdown wake-up; the batch must still be delivered, so retry.
        }
    }
}
