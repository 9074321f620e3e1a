package io.hotpath.reference;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes {@link StatusMessage}s into the ingress queue at its share of the scenario's rate until the run's
 * deadline, with {@code offer()} (a refused offer is an overflow: counted, message dropped) or, with
 * {@code --block-producers}, {@code put()}.
 *
 * <p>Pacing: the producer compares how many messages it has published with how many are due by now
 * ({@link Scenario#messagesDue}), publishes the difference in one small batch, then parks until about the next
 * message is due. Message number {@code n} (from 0) is due once {@code messagesDue} reaches {@code n + 1}, so a producer on schedule
 * publishes exactly {@code floor(messagesDue(duration))} messages. The park is at least {@link #MIN_PARK_NANOS}, so at high rates each wake-up publishes a batch
 * instead of waking once per message, and at most {@link #MAX_PARK_NANOS}, so a burst starts on time; no core is
 * burned waiting. Because the due count is cumulative, park overshoot does not lower the achieved rate.
 */
final class Producer implements Runnable {
    /** Shortest park: bounds wake-ups per second (and their CPU) at high rates. */
    static final long MIN_PARK_NANOS = 1_000_000;

    /** Longest park: bounds how late a burst can start after an idle gap and how late the deadline is seen. */
    static final long MAX_PARK_NANOS = 5_000_000;

    /** At most this many messages between two looks at the clock, so a producer that fell behind still stops on time. */
    private static final int MAX_BATCH = 256;

    /** Counters shared by all producers; LongAdder because every producer thread writes them. */
    static final class Counters {
        /** Publish attempts: {@code offer()} calls, or {@code put()} calls with {@code --block-producers}. */
        final LongAdder published = new LongAdder();

        /** {@code offer()} calls that returned true, or {@code put()} calls that returned. */
        final LongAdder queued = new LongAdder();

        /** {@code offer()} calls that returned false; the message was dropped. */
        final LongAdder overflow = new LongAdder();
    }

    private final int id;
    private final BlockingQueue<StatusMessage> ingress;
    private final Scenario scenario;
    private final double rate;
    private final boolean blocking;
    private final long startNanos;
    private final long durationNanos;
    private final Counters counters;

    /**
     * @param rate this producer's share of the target rate in msg/s, {@link Double#POSITIVE_INFINITY} for unlimited
     * @param startNanos common start of the run ({@link System#nanoTime()}), so all producers follow one schedule
     */
    Producer(
            int id,
            BlockingQueue<StatusMessage> ingress,
            Scenario scenario,
            double rate,
            boolean blocking,
            long startNanos,
            long durationNanos,
            Counters counters) {
        this.id = id;
        this.ingress = ingress;
        this.scenario = scenario;
        this.rate = rate;
        this.blocking = blocking;
        this.startNanos = startNanos;
        this.durationNanos = durationNanos;
        this.counters = counters;
    }

    @Override
    public void run() {
        final boolean limited = !Double.isInfinite(rate);
        final String prefix = "status producer=" + id + " seq=";
        long sequence = 0;
        while (true) {
            final long elapsed = System.nanoTime() - startNanos;
            final boolean ended = elapsed >= durationNanos;
            final long due;
            if (!limited) {
                due = ended ? sequence : Long.MAX_VALUE;
            } else if (ended) {
                // Complete the schedule up to the deadline (the messages due during the last park), but a producer
                // that fell far behind (back-pressure with --block-producers) stops on time instead of catching up.
                due = Math.min(dueCount(durationNanos), sequence + MAX_BATCH);
            } else {
                due = dueCount(elapsed);
            }
            if (sequence >= due) {
                if (ended) {
                    return;
                }
                LockSupport.parkNanos(
                        parkNanos(elapsed, sequence + 1 - scenario.messagesDue(rate, elapsed, durationNanos)));
                continue;
            }
            final long batchEnd = ended ? due : Math.min(due, sequence + MAX_BATCH);
            while (sequence < batchEnd) {
                final StatusMessage message = new StatusMessage(id, sequence, prefix + sequence, System.nanoTime());
                sequence++;
                if (!publish(message)) {
                    return;
                }
            }
            if (ended) {
                return;
            }
        }
    }

    /**
     * Whole messages due by {@code elapsed}. The small epsilon absorbs floating-point error in the closed-form
     * integrals, so that 2500 msg/s for 4 s is exactly 10000 messages and not 9999.
     */
    private long dueCount(long elapsed) {
        return (long) (scenario.messagesDue(rate, elapsed, durationNanos) + 1e-6);
    }

    /** @return false if interrupted while blocked in {@code put()}; the producer then stops */
    private boolean publish(StatusMessage message) {
        if (blocking) {
            try {
                ingress.put(message);
            } catch (InterruptedException e) {
                // Nothing interrupts producers in an orderly run; stop without counting the attempt.
                Thread.currentThread().interrupt();
                return false;
            }
            counters.published.increment();
            counters.queued.increment();
        } else {
            final boolean accepted = ingress.offer(message);
            counters.published.increment();
            (accepted ? counters.queued : counters.overflow).increment();
        }
        return true;
    }

    /**
     * How long to park when the next message is due once {@code messagesDue} has grown by {@code shortfall} more: about that long at the current rate, within [{@link #MIN_PARK_NANOS},
     * {@link #MAX_PARK_NANOS}] and never past the deadline.
     */
    private long parkNanos(long elapsed, double shortfall) {
        final double currentRate = scenario.rateAt(rate, elapsed, durationNanos);
        long park = currentRate > 0 ? (long) (shortfall * 1e9 / currentRate) : MAX_PARK_NANOS;
        park = Math.max(MIN_PARK_NANOS, Math.min(MAX_PARK_NANOS, park));
        return Math.min(park, durationNanos - elapsed);
    }
}
