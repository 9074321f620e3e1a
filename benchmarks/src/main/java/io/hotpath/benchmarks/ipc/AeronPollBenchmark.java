package io.hotpath.benchmarks.ipc;

import io.hotpath.benchmarks.AgentCheck;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One Aeron IPC message of 64 bytes there and back on one thread: {@value AeronIpc#BATCH} offers, then polls until all
 * {@value AeronIpc#BATCH} fragments are read (usually one poll). Reported per message, so the poll's added cost per fragment
 * is this benchmark's added cost minus {@link AeronOfferBenchmark}'s. One thread, so the subscriber never lags.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AeronPollBenchmark {
    private AeronIpc ipc;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ipc = AeronIpc.open(9);
        ipc.offerAndPoll();
        AgentCheck.requireProbe("aeron.Subscription#poll", "aeron.Subscription#poll"::equals);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ipc.close();
    }

    @Benchmark
    @OperationsPerInvocation(AeronIpc.BATCH)
    public long offerAndPoll() {
        return ipc.offerAndPoll();
    }
}
