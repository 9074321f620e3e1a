package io.hotpath.benchmarks;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.jdk.TrackedArrayBlockingQueue;
import io.hotpath.bootstrap.jdk.TrackedConcurrentLinkedQueue;
import io.hotpath.bootstrap.jdk.TrackedLinkedBlockingDeque;
import io.hotpath.bootstrap.jdk.TrackedLinkedBlockingQueue;
import io.hotpath.bootstrap.jdk.TrackedLinkedTransferQueue;
import io.hotpath.bootstrap.jdk.TrackedPriorityBlockingQueue;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.PriorityBlockingQueue;
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
 * What a tracked JDK queue adds to one call on one thread, against the plain JDK class in the same run: {@code
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
    private static final Integer ELEMENT = 42;

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
        final boolean tracked = variant.equals("tracked");
        final int id = tracked
                ? Probes.register("bench.queue." + queue, PathKind.QUEUE, Dist.bit(Dist.LATENCY) | Dist.bit(Dist.WAIT))
                        .id()
                : -1;
        final int capacity = 1024;
        q = switch (queue) {
            case "ArrayBlockingQueue" ->
                tracked ? new TrackedArrayBlockingQueue<>(capacity, id) : new ArrayBlockingQueue<>(capacity);
            case "LinkedBlockingQueue" ->
                tracked ? new TrackedLinkedBlockingQueue<>(capacity, id) : new LinkedBlockingQueue<>(capacity);
            case "LinkedBlockingDeque" ->
                tracked ? new TrackedLinkedBlockingDeque<>(capacity, id) : new LinkedBlockingDeque<>(capacity);
            case "PriorityBlockingQueue" ->
                tracked ? new TrackedPriorityBlockingQueue<>(id) : new PriorityBlockingQueue<>();
            case "LinkedTransferQueue" -> tracked ? new TrackedLinkedTransferQueue<>(id) : new LinkedTransferQueue<>();
            case "ConcurrentLinkedQueue" ->
                tracked ? new TrackedConcurrentLinkedQueue<>(id) : new ConcurrentLinkedQueue<>();
            default -> throw new IllegalArgumentException("unknown queue: " + queue);
        };
        bq = q instanceof BlockingQueue<Integer> b ? b : null;
        if (tracked != q.getClass().getName().startsWith("io.hotpath.bootstrap.jdk.Tracked")) {
            throw new IllegalStateException(
                    "wrong class for " + variant + ": " + q.getClass().getName());
        }
        final Probe p = tracked ? Probes.get(id) : null;
        if (p != null) {
            p.sampleMask(1023); // what a hot probe runs with
        }
    }

    @Benchmark
    public Integer offerPoll() {
        final Queue<Integer> queue = q;
        queue.offer(ELEMENT);
        return queue.poll();
    }

    @Benchmark
    public Integer putTake() throws InterruptedException {
        final BlockingQueue<Integer> queue = bq;
        if (queue == null) {
            return null; // ConcurrentLinkedQueue has no put/take
        }
        queue.put(ELEMENT);
        return queue.take();
    }
}
