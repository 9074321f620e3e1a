package io.hotpath.benchmarks;

import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Trace;
import java.util.Queue;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What tracing costs a tracked queue's {@code offer} + {@code poll} (two messages through the probe), against the
 * plain JDK queue and the untraced tracked queue in the same run:
 *
 * <ul>
 *   <li>{@code plain}: the JDK class; {@code tracked}: the tracked subclass, no trace running;
 *   <li>{@code other-traced}: the tracked subclass while a trace of another probe runs (what every other probe pays
 *       during a trace: its state word is still 0, so nothing);
 *   <li>{@code traced}: this queue's probe traced, 10,000 entries per trace; when a trace is full the same arrays are
 *       rewound (no allocation), and that check and the rewind are counted against the traced row.
 * </ul>
 *
 * The cost per traced message is half the difference between {@code traced} and {@code tracked}. Run with {@code -prof
 * gc}: 0 B/op is the target for every row.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TraceCostBenchmark -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED")
@State(Scope.Thread)
public class TraceCostBenchmark {
    /** Entries per trace: the "a trace of 10,000 messages". */
    static final int TRACE_ENTRIES = 10_000;

    /** The JDK queue class. */
    @Param({"ArrayBlockingQueue", "ConcurrentLinkedQueue"})
    public String queue;

    /** See the class comment. */
    @Param({"plain", "tracked", "other-traced", "traced"})
    public String variant;

    Queue<Integer> q;
    Trace trace;

    @Setup(Level.Trial)
    public void create() {
        q = QueueCalls.create(queue, !variant.equals("plain"));
        if (variant.equals("traced")) {
            final Probe[] mine = {null};
            Probes.forEach(p -> {
                if (p.name().equals("bench.queue." + queue)) {
                    mine[0] = p;
                }
            });
            trace = Trace.start(mine[0], TRACE_ENTRIES);
        } else if (variant.equals("other-traced")) {
            trace = Trace.start(Probes.register("bench.trace.other", PathKind.QUEUE, 0), TRACE_ENTRIES);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (trace != null) {
            trace.stop();
        }
    }

    @Benchmark
    public Integer offerPoll() {
        final Trace t = trace;
        if (t != null && t.full()) {
            t.rewind();
        }
        return QueueCalls.offerPoll(q);
    }
}
