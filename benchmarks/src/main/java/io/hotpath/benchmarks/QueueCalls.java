package io.hotpath.benchmarks;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.jdk.TrackedArrayBlockingQueue;
import io.hotpath.bootstrap.jdk.TrackedConcurrentLinkedQueue;
import io.hotpath.bootstrap.jdk.TrackedLinkedBlockingDeque;
import io.hotpath.bootstrap.jdk.TrackedLinkedBlockingQueue;
import io.hotpath.bootstrap.jdk.TrackedLinkedTransferQueue;
import io.hotpath.bootstrap.jdk.TrackedPriorityBlockingQueue;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.PriorityBlockingQueue;

/**
 * The one-thread queue workload that {@link TrackedQueueCallBenchmark} times in wall time (JMH) and {@code
 * program.QueueCallCpuRunner} in thread CPU time: a JDK queue, plain or tracked (constructed directly, recording into
 * a probe with the sample mask of a hot probe), and one element in and one out per operation, so that the queue never
 * fills or empties and nothing waits or is timed. The tracked class reads the JDK's private count only when {@code
 * java.util.concurrent} is opened to it ({@code --add-opens=java.base/java.util.concurrent=ALL-UNNAMED}), as the agent
 * opens it.
 */
public final class QueueCalls {
    /** Every queue class {@link #create} knows. */
    public static final List<String> QUEUES = List.of(
            "ArrayBlockingQueue",
            "LinkedBlockingQueue",
            "LinkedBlockingDeque",
            "PriorityBlockingQueue",
            "LinkedTransferQueue",
            "ConcurrentLinkedQueue");

    private static final Integer ELEMENT = 42;
    private static final int CAPACITY = 1024;

    private QueueCalls() {}

    /**
     * A queue of the JDK class named {@code queue} ({@link #QUEUES}), bounded to 1024 where the class is bounded;
     * {@code tracked} makes it hotpath's subclass recording into a fresh probe with sample mask 1023.
     */
    public static Queue<Integer> create(String queue, boolean tracked) {
        final int id = tracked
                ? Probes.register("bench.queue." + queue, PathKind.QUEUE, Dist.bit(Dist.LATENCY) | Dist.bit(Dist.WAIT))
                        .id()
                : -1;
        final Queue<Integer> q =
                switch (queue) {
                    case "ArrayBlockingQueue" ->
                        tracked ? new TrackedArrayBlockingQueue<>(CAPACITY, id) : new ArrayBlockingQueue<>(CAPACITY);
                    case "LinkedBlockingQueue" ->
                        tracked ? new TrackedLinkedBlockingQueue<>(CAPACITY, id) : new LinkedBlockingQueue<>(CAPACITY);
                    case "LinkedBlockingDeque" ->
                        tracked ? new TrackedLinkedBlockingDeque<>(CAPACITY, id) : new LinkedBlockingDeque<>(CAPACITY);
                    case "PriorityBlockingQueue" ->
                        tracked ? new TrackedPriorityBlockingQueue<>(id) : new PriorityBlockingQueue<>();
                    case "LinkedTransferQueue" ->
                        tracked ? new TrackedLinkedTransferQueue<>(id) : new LinkedTransferQueue<>();
                    case "ConcurrentLinkedQueue" ->
                        tracked ? new TrackedConcurrentLinkedQueue<>(id) : new ConcurrentLinkedQueue<>();
                    default ->
                        throw new IllegalArgumentException(
                                "unknown queue '" + queue + "'; allowed: " + String.join(", ", QUEUES));
                };
        // An agent on this JVM would make the plain construction tracked too: then there is no baseline.
        if (tracked != q.getClass().getName().startsWith("io.hotpath.bootstrap.jdk.Tracked")) {
            throw new IllegalStateException("wrong class for " + (tracked ? "tracked" : "plain") + ": "
                    + q.getClass().getName());
        }
        if (tracked) {
            Probes.get(id).sampleMask(1023); // what a hot probe runs with
        }
        return q;
    }

    /** One {@code offer} and one {@code poll}: the element polled. */
    public static Integer offerPoll(Queue<Integer> q) {
        q.offer(ELEMENT);
        return q.poll();
    }

    /** One {@code put} and one {@code take}: the element taken. */
    public static Integer putTake(BlockingQueue<Integer> q) throws InterruptedException {
        q.put(ELEMENT);
        return q.take();
    }
}
