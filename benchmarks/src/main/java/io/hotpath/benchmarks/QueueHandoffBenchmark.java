package io.hotpath.benchmarks;

import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One producer thread and one consumer thread on one queue, plain JDK class against hotpath's tracked subclass in the
 * same run: what {@link TrackedQueueCallBenchmark} cannot show on one thread, the cost of the two sides running on two
 * cores, where every cache line that both write (the JDK's count and lock, and any counter of ours that both sides
 * wrote) moves between the cores on every call. The reference broadcaster's subscriber queues are used this way
 * (dispatcher threads put, one consumer takes).
 *
 * <p>{@code timed}: the producer's {@code offer(e, 1 ms)} and the consumer's {@code poll(1 ms)}, the calls that may
 * wait, so the recording path of {@code put}/{@code take} (a lock-free read of the count, then the JDK call) is on the
 * measured path; a bounded wait so that neither side can hang when the other stops at the end of an iteration. {@code
 * plain}: {@code offer}/{@code poll}, which never wait. Each group reports the time per operation of each side; the
 * queue is bounded (1024), so neither side can run ahead for long.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar QueueHandoffBenchmark -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED")
@State(Scope.Group)
public class QueueHandoffBenchmark {
    private static final Integer ELEMENT = 42;

    /** The JDK queue class. */
    @Param({"ArrayBlockingQueue", "LinkedBlockingQueue"})
    public String queue;

    /** {@code plain}: the JDK class; {@code tracked}: hotpath's subclass recording into a probe. */
    @Param({"plain", "tracked"})
    public String variant;

    Queue<Integer> q;
    BlockingQueue<Integer> bq;

    @Setup(Level.Trial)
    public void create() {
        q = QueueCalls.create(queue, variant.equals("tracked"));
        bq = (BlockingQueue<Integer>) q;
    }

    @Benchmark
    @Group("offerPoll")
    @GroupThreads(1)
    public boolean offer() {
        return q.offer(ELEMENT);
    }

    @Benchmark
    @Group("offerPoll")
    @GroupThreads(1)
    public Integer poll() {
        return q.poll();
    }

    @Benchmark
    @Group("timed")
    @GroupThreads(1)
    public boolean offerTimed() throws InterruptedException {
        return bq.offer(ELEMENT, 1, TimeUnit.MILLISECONDS);
    }

    @Benchmark
    @Group("timed")
    @GroupThreads(1)
    public Integer pollTimed() throws InterruptedException {
        return bq.poll(1, TimeUnit.MILLISECONDS);
    }
}
