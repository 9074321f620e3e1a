package io.hotpath.benchmarks;

import benchapp.ProbedMethods;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A user-declared probe on a small application method ({@link ProbedMethods#small}), end to end: the fork with the
 * agent carries {@code -Dhotpath.probes=benchapp.ProbedMethods#small} ({@link AgentSetup#hotpath}), the baseline fork
 * calls the same method uninstrumented. One op is one call.
 *
 * <p>{@code call2Threads} is the hot probe on 2 threads: both threads call the one method, so both record into the
 * same probe, and neither ever waits for the other (there is nothing to hand over), which keeps the figure a cost per
 * call rather than a property of a producer/consumer schedule.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ProbeBenchmark {
    /** Checks once per fork that the probe exists exactly when the agent is attached. */
    @State(Scope.Benchmark)
    public static class Verified {
        @Setup(Level.Trial)
        public void verify() {
            ProbedMethods.small(1);
            AgentCheck.requireProbe(ProbedMethods.PROBE);
        }
    }

    /**
     * Each thread's own argument, so that the calls cannot be folded, and what the calling thread itself allocated
     * over the iteration ({@link #callerBytes}) with the calls it made ({@link #calls}). Unlike {@code -prof gc},
     * which divides every thread's allocation (the agent's background thread included) by the operations, this is
     * the hot path's own allocation: zero when the probe allocates nothing per call.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Argument {
        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        long x;
        private long bytesAtStart;
        private long xAtStart;

        /** Bytes the calling thread allocated during the iteration. */
        public long callerBytes;

        /** Calls it made meanwhile. */
        public long calls;

        @Setup(Level.Iteration)
        public void start() {
            callerBytes = 0;
            calls = 0;
            xAtStart = x;
            bytesAtStart = THREADS.getCurrentThreadAllocatedBytes();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            callerBytes = THREADS.getCurrentThreadAllocatedBytes() - bytesAtStart;
            calls = x - xAtStart;
        }
    }

    @Benchmark
    public long call1Thread(Verified v, Argument a) {
        return ProbedMethods.small(a.x++);
    }

    @Benchmark
    @Threads(2)
    public long call2Threads(Verified v, Argument a) {
        return ProbedMethods.small(a.x++);
    }
}
