package io.hotpath.benchmarks;

import benchapp.QueueSites;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The instrumented queue path as an application sees it: offer and poll on a bounded queue that application code
 * created with {@code new}. Run once without an agent and once with it ({@link BenchmarkMain} does both); the
 * difference is what the agent adds per operation.
 *
 * <ul>
 *   <li>{@code offerPoll}: one thread offers one element and polls it back; one op is one offer plus one poll.
 *   <li>{@code producerConsumer}: one producer thread offers, one consumer thread polls, on the same bounded queue.
 *       Neither blocks: a full queue or an empty poll is counted ({@link Outcomes}) and the call returns, so the
 *       figures are per attempt and the report shows how many attempts failed.
 * </ul>
 *
 * <p>Every fork checks the class of the queue it got against {@link AgentSetup#EXPECT_PROPERTY} and fails its setup
 * when they differ: a with-agent figure measured on a plain queue would be a wrong number, not a small one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class QueueBenchmark {
    /** Capacity of every benchmarked queue. */
    public static final int CAPACITY = 1024;

    private static final String TRACKED_PREFIX = "io.hotpath.bootstrap.jdk.Tracked";
    private static final Object ELEMENT = new Object();

    /** The queue under test, one per thread group. */
    @State(Scope.Group)
    public static class Channel {
        @Param({QueueSites.ARRAY_BLOCKING_QUEUE, QueueSites.LINKED_BLOCKING_QUEUE})
        public String queue;

        BlockingQueue<Object> q;

        @Setup(Level.Trial)
        public void create() {
            q = QueueSites.create(queue, CAPACITY);
            verify(q);
        }

        /** Each iteration starts from an empty queue, whatever the previous one left. */
        @Setup(Level.Iteration)
        public void empty() {
            q.clear();
        }
    }

    /** Outcomes of the non-blocking calls in {@code producerConsumer}, reported per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Outcomes {
        public long offered;
        public long offerFull;
        public long polled;
        public long pollEmpty;

        @Setup(Level.Iteration)
        public void reset() {
            offered = 0;
            offerFull = 0;
            polled = 0;
            pollEmpty = 0;
        }
    }

    /** Throws unless the queue's class is what this fork's {@link AgentSetup} promises. */
    static void verify(Object queue) {
        final String expected = System.getProperty(AgentSetup.EXPECT_PROPERTY, AgentSetup.QueueClass.PLAIN.property());
        final Class<?> type = queue.getClass();
        final boolean tracked = type.getName().startsWith(TRACKED_PREFIX);
        if (AgentSetup.QueueClass.TRACKED.property().equals(expected)) {
            // The agent puts its core on the bootstrap path; a Tracked class from the benchmark jar's own copy of
            // the core would mean the agent did not start and something else created it.
            if (!tracked || type.getClassLoader() != null) {
                throw new IllegalStateException("agent expected but the queue is " + type.getName() + " from "
                        + type.getClassLoader() + ": the construction site was not rewritten");
            }
        } else if (AgentSetup.QueueClass.PLAIN.property().equals(expected)) {
            if (tracked) {
                throw new IllegalStateException("no agent expected but the queue is " + type.getName());
            }
        } else {
            throw new IllegalStateException(
                    "-D" + AgentSetup.EXPECT_PROPERTY + " must be plain or tracked: " + expected);
        }
    }

    /** A group of one thread, so that it can share {@link Channel} with the two-thread group. */
    @Benchmark
    @Group("offerPoll")
    @GroupThreads(1)
    public Object offerPoll(Channel c) {
        final BlockingQueue<Object> q = c.q;
        q.offer(ELEMENT);
        return q.poll();
    }

    @Benchmark
    @Group("producerConsumer")
    @GroupThreads(1)
    public void produce(Channel c, Outcomes o) {
        if (c.q.offer(ELEMENT)) {
            o.offered++;
        } else {
            o.offerFull++;
        }
    }

    @Benchmark
    @Group("producerConsumer")
    @GroupThreads(1)
    public void consume(Channel c, Outcomes o, Blackhole bh) {
        final Object e = c.q.poll();
        if (e == null) {
            o.pollEmpty++;
        } else {
            o.polled++;
            bh.consume(e);
        }
    }
}
