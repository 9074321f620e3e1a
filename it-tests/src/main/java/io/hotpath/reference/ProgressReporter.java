package io.hotpath.reference;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Once a second submits a small "stats" task to a pool made by {@link Executors#newFixedThreadPool(int)}; the task
 * computes rates since the previous one and, unless quiet, prints one progress line.
 *
 * <p>The pool exists as much for the agent as for the progress line: it exercises the {@code Executors} factory path
 * (the dispatcher exercises {@code new ThreadPoolExecutor}), and its task count is part of the ground truth. A ticker
 * thread rather than a {@code ScheduledExecutorService} submits the tasks, to keep that the only other pool.
 */
final class ProgressReporter {
    static final int POOL_THREADS = 2;
    static final Duration PERIOD = Duration.ofSeconds(1);

    /** Live values the progress line shows; read from the stats task, racy but each value is atomic. */
    record Sources(
            LongSupplier published,
            LongSupplier consumed,
            LongSupplier ingressDepth,
            LongSupplier dispatchQueued,
            LongSupplier subscriberBacklog,
            LongSupplier overflow,
            LongSupplier rejected,
            java.util.function.Consumer<LatencyRecorder> intervalLatency) {}

    private final ExecutorService pool = Executors.newFixedThreadPool(POOL_THREADS);
    private final Sources sources;
    private final boolean quiet;
    private final PrintStream out;
    private final Thread ticker;
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();

    /** Guarded by this: the previous stats task's values, to turn totals into per-second rates. */
    private long lastNanos;

    private long lastPublished;
    private long lastConsumed;
    private final LatencyRecorder interval = new LatencyRecorder();
    private long startNanos;

    private volatile boolean stopped;

    ProgressReporter(Sources sources, boolean quiet, PrintStream out) {
        this.sources = sources;
        this.quiet = quiet;
        this.out = out;
        this.ticker = new Thread(this::tick, "progress-ticker");
        this.ticker.setDaemon(true);
    }

    void start(long startNanos) {
        synchronized (this) {
            this.startNanos = startNanos;
            this.lastNanos = startNanos;
        }
        ticker.start();
    }

    /** Stops the ticker, then shuts the pool down and waits for the submitted stats tasks. */
    boolean stop(Duration timeout) throws InterruptedException {
        stopped = true;
        ticker.interrupt();
        ticker.join(Math.max(1, timeout.toMillis()));
        pool.shutdown();
        return pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS) && !ticker.isAlive();
    }

    /** Stats tasks submitted to the fixed pool. */
    long submitted() {
        return submitted.get();
    }

    /** Stats tasks that finished running. */
    long completed() {
        return completed.get();
    }

    private void tick() {
        final long period = PERIOD.toNanos();
        long next = startNanos + period;
        while (!stopped) {
            final long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    continue; // only stop() interrupts; the loop condition sees it
                }
                continue;
            }
            next += period;
            submitted.incrementAndGet();
            pool.execute(this::report);
        }
    }

    private void report() {
        try {
            final String line;
            synchronized (this) {
                final long now = System.nanoTime();
                final long published = sources.published().getAsLong();
                final long consumed = sources.consumed().getAsLong();
                final double seconds = Math.max(1e-9, (now - lastNanos) / 1e9);
                interval.clear();
                sources.intervalLatency().accept(interval);
                line = String.format(
                        Locale.ROOT,
                        "progress t=%.1fs published=%.0f/s consumed=%.0f/s ingressDepth=%d dispatchQueue=%d"
                                + " subscriberBacklog=%d overflow=%d rejected=%d p99=%dus cpuMs=%d consumedTotal=%d",
                        (now - startNanos) / 1e9,
                        (published - lastPublished) / seconds,
                        (consumed - lastConsumed) / seconds,
                        sources.ingressDepth().getAsLong(),
                        sources.dispatchQueued().getAsLong(),
                        sources.subscriberBacklog().getAsLong(),
                        sources.overflow().getAsLong(),
                        sources.rejected().getAsLong(),
                        interval.percentileMicros(99),
                        GroundTruth.processCpuMillis(),
                        consumed);
                lastNanos = now;
                lastPublished = published;
                lastConsumed = consumed;
            }
            if (!quiet) {
                out.println(line);
            }
        } finally {
            completed.incrementAndGet();
        }
    }
}
