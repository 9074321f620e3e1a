package io.hotpath.benchmarks;

import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * What a tracked JDK queue adds to one call on one thread ({@link QueueCalls}), against the plain JDK class in the same run: {@code
 * putTake} is one {@code put} and one {@code take}, {@code offerPoll} one {@code offer} and one {@code poll}, so the
 * added cost per call is half the difference of the two rows. No agent: the tracked class is constructed directly,
 * with {@code java.util.concurrent} opened to it as the agent opens it, so the lock-free count read that decides
 * whether a call is about to wait is on the measured path. The queue never fills or empties here (one element in,
 * one out), so nothing is timed: this is the cost every call pays. Run with {@code -prof gc}: 0 B/op is the target.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TrackedQueueCallBenchmark -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED")
@State(Scope.Thread)
public class TrackedQueueCallBenchmark {
    /** The JDK queue class. */
    @Param({
        "ArrayBlockingQueue",
        "LinkedBlockingQueue",
        "LinkedBlockingDeque",
        "PriorityBlockingQueue",
        "LinkedTransferQueue",
        "ConcurrentLinkedQueue"
    })
    public String queue;

    /** {@code plain}: the JDK class; {@code tracked}: hotpath's subclass recording into a probe. */
    @Param({"plain", "tracked"})
    public String variant;

    Queue<Integer> q;
    BlockingQueue<Integer> bq;

    @Setup(Level.Trial)
    public void create() {
        q = QueueCalls.create(queue, variant.equals("tracked"));
        bq = q instanceof BlockingQueue<Integer> b ? b : null;
    }

    @Benchmark
    public Integer offerPoll() {
        return QueueCalls.offerPoll(q);
    }

    @Benchmark
    public Integer putTake() throws InterruptedException {
        final BlockingQueue<Integer> queue = bq;
        return queue == null ? null : QueueCalls.putTake(queue); // ConcurrentLinkedQueue has no put/take
    }
}
