package io.hotpath.benchmarks;

import io.hotpath.bootstrap.Tunables;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a rewritten read of a declared tunable field costs ({@code hotpath.tunables}): the plain field read, the same
 * read followed by {@link Tunables#readInt} while the tunable is inactive (the field's own value is returned), and
 * while it is active (the cell's value is returned). The rewritten code is exactly {@code Tunables.readInt(field,
 * id)}, so calling it here measures what the agent inserts. Run with {@code -prof gc}: 0 B/op expected.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TunableReadBenchmark {
    private static final int INACTIVE = Tunables.CAPACITY - 1;
    private static final int ACTIVE = Tunables.CAPACITY - 2;

    int batchSize = 64;

    @Setup(Level.Trial)
    public void setUp() {
        Tunables.resetForTest(INACTIVE);
        Tunables.resetForTest(ACTIVE);
        Tunables.readInt(batchSize, INACTIVE); // captured: the state a running application is in
        Tunables.readInt(batchSize, ACTIVE);
        Tunables.activateRelease(ACTIVE, 128);
    }

    @Benchmark
    public int baselineFieldRead() {
        return batchSize;
    }

    @Benchmark
    public int rewrittenReadInactive() {
        return Tunables.readInt(batchSize, INACTIVE);
    }

    @Benchmark
    public int rewrittenReadActive() {
        return Tunables.readInt(batchSize, ACTIVE);
    }
}
