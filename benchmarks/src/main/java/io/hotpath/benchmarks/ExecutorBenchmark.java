package io.hotpath.benchmarks;

import benchapp.ExecutorSites;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Executor submit end to end: the benchmark thread hands {@value #BATCH} tasks to a one-worker
 * {@link ThreadPoolExecutor} that application code created with {@code new} ({@link ExecutorSites}, rewritten to the
 * tracked pool by the agent), then spins until the worker has run them all. One op is one task submitted and run, so
 * the figure includes the hand-over to the worker; the queue never grows beyond one batch.
 *
 * <p>The task is one pre-built {@link Runnable}, so the baseline allocates only what the JDK's pool does per task (a
 * {@code LinkedBlockingQueue} node); anything more with the agent is the agent's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ExecutorBenchmark {
    /** Tasks per invocation. */
    public static final int BATCH = 64;

    private ThreadPoolExecutor pool;
    private final AtomicLong ran = new AtomicLong();
    private long submitted;
    private Runnable task;

    @Setup(Level.Trial)
    public void setUp() {
        pool = ExecutorSites.singleWorker();
        // Only the worker writes the count, so an ordered store is enough; the submitter reads it with acquire.
        task = () -> ran.lazySet(ran.get() + 1);
        QueueBenchmark.verify(pool);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the pool did not stop within 10 s");
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long execute() {
        final ThreadPoolExecutor p = pool;
        final Runnable t = task;
        for (int i = 0; i < BATCH; i++) {
            p.execute(t);
        }
        final long target = submitted += BATCH;
        while (ran.getAcquire() < target) {
            Thread.onSpinWait();
        }
        return target;
    }
}
