package io.hotpath.benchmarks.ipc;

import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.hotpath.benchmarks.AgentCheck;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One {@code Publication.offer} of 64 bytes on an Aeron IPC stream (embedded driver), drained by a subscriber thread
 * that polls as fast as it can. An operation is one offer attempt whatever its outcome (a back-pressured offer is part
 * of the path the agent advises too).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AeronOfferBenchmark {
    private AeronIpc ipc;
    private Thread drainer;
    private volatile boolean running;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ipc = AeronIpc.open(7);
        running = true;
        final Subscription subscription = ipc.subscription();
        final FragmentHandler ignore = (b, o, l, h) -> {};
        drainer = new Thread(() -> {
            while (running) {
                if (subscription.poll(ignore, 256) == 0) {
                    Thread.onSpinWait();
                }
            }
        });
        drainer.setDaemon(true);
        drainer.start();
        offer();
        AgentCheck.requireProbe("aeron.Publication#offer", name -> name.startsWith("aeron.Publication#offer"));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        running = false;
        drainer.join(5_000);
        ipc.close();
    }

    @Benchmark
    public long offer() {
        return ipc.offer();
    }
}
