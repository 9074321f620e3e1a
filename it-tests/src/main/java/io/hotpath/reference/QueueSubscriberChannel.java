package io.hotpath.reference;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An in-process subscriber: a bounded {@link LinkedBlockingQueue} filled with {@code put()} by dispatcher threads and
 * emptied with {@code take()} by one consumer thread, which "processes" each message ({@code --work-us} of CPU, plus
 * {@code --slow-us} of waiting for the slow subscriber) and records its end-to-end latency.
 *
 * <p>Shutdown without a poison pill: a pill would be one more {@code put}/{@code take} than the application's own
 * traffic and make an agent's counts differ from the ground truth. Instead {@link #close} sets {@code closing} and
 * interrupts the consumer; the interrupt only wakes a {@code take()} blocked on an empty queue, and the consumer
 * leaves once it sees {@code closing} with an empty queue. Since close is called after the last delivery, the queue
 * can only shrink from then on, so "closing and empty" is final.
 */
public final class QueueSubscriberChannel extends ConsumerChannel {
    private final LinkedBlockingQueue<StatusMessage> queue;
    private final long workNanos;
    private final long pauseNanos;
    private final Thread consumer;

    /** Latencies since the progress reporter last drained them; guarded by itself (two threads, once a message). */
    private final LatencyRecorder interval = new LatencyRecorder();

    private volatile boolean closing;

    /**
     * @param name subscriber name, also the consumer thread's name prefix
     * @param capacity capacity of the subscriber queue
     * @param workNanos CPU work per message (busy spin)
     * @param pauseNanos extra waiting per message (a slow subscriber); 0 for a normal one
     */
    public QueueSubscriberChannel(String name, int capacity, long workNanos, long pauseNanos) {
        super(name);
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.workNanos = workNanos;
        this.pauseNanos = pauseNanos;
        this.consumer = new Thread(this::consume, name + "-consumer");
        // Daemon only as a last resort: the orderly shutdown joins it; if that times out the JVM can still exit.
        this.consumer.setDaemon(true);
    }

    @Override
    public void start() {
        consumer.start();
    }

    @Override
    public void deliver(StatusMessage message) throws InterruptedException {
        queue.put(message);
        delivered.incrementAndGet();
    }

    @Override
    public int backlog() {
        return queue.size();
    }

    @Override
    public boolean close(Duration timeout) throws InterruptedException {
        closing = true;
        consumer.interrupt();
        consumer.join(Math.max(1, timeout.toMillis()));
        return !consumer.isAlive();
    }

    @Override
    public void drainIntervalLatency(LatencyRecorder into) {
        synchronized (interval) {
            into.add(interval);
            interval.clear();
        }
    }

    private void consume() {
        while (!(closing && queue.isEmpty())) {
            final StatusMessage message;
            try {
                message = queue.take();
            } catch (InterruptedException e) {
                // Only close() interrupts, to wake an idle take(); the loop condition decides whether to leave.
                continue;
            }
            SimulatedWork.spin(workNanos);
            SimulatedWork.pause(pauseNanos);
            Faults.onSubscriberMessage(name);
            final long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - message.createdNanos());
            latency.record(micros);
            synchronized (interval) {
                interval.record(micros);
            }
            consumed.incrementAndGet();
        }
    }
}
