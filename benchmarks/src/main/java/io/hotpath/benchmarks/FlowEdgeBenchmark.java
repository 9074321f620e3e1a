package io.hotpath.benchmarks;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.jdk.TrackedArrayBlockingQueue;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
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
 * What learning the pipeline's edges costs a relay stage: one operation takes an element from queue A and offers it
 * to queue B, then takes it from B and offers it back to A (two takes, two offers, the edges A → B and B → A), on one
 * thread. {@code plain}: the JDK's {@code ArrayBlockingQueue}; {@code tracked}: hotpath's subclass at the sample mask
 * a hot probe runs with (1023: one call in 1,024 records an edge, the rest only test the mask); {@code every}: sample
 * mask 0, every take and offer goes through the edge recording (the sampled path's own cost, paid 1 in 2<sup>k</sup>
 * calls in practice). No agent. Run with {@code -prof gc}: 0 B/op is the target.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar FlowEdgeBenchmark -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED")
@State(Scope.Thread)
public class FlowEdgeBenchmark {
    private static final Integer ELEMENT = 42;

    /** {@code plain}, {@code tracked} (mask 1023) or {@code every} (mask 0). */
    @Param({"plain", "tracked", "every"})
    public String variant;

    Queue<Integer> a;
    Queue<Integer> b;

    @Setup(Level.Trial)
    public void create() {
        a = queue("a");
        b = queue("b");
        a.offer(ELEMENT);
    }

    private Queue<Integer> queue(String name) {
        if (variant.equals("plain")) {
            return new ArrayBlockingQueue<>(1024);
        }
        final int id = Probes.register(
                        "bench.flow." + name + "." + variant,
                        PathKind.QUEUE,
                        Dist.bit(Dist.LATENCY) | Dist.bit(Dist.WAIT))
                .id();
        Probes.get(id).sampleMask(variant.equals("every") ? 0 : 1023);
        return new TrackedArrayBlockingQueue<>(1024, id);
    }

    @Benchmark
    public boolean relay() {
        final Queue<Integer> x = a;
        final Queue<Integer> y = b;
        y.offer(x.poll());
        return x.offer(y.poll());
    }
}
