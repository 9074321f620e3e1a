package io.hotpath.benchmarks.ipc;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.hotpath.benchmarks.AgentCheck;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
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
    private MediaDriver driver;
    private Aeron aeron;
    private Publication publication;
    private Subscription subscription;
    private Thread drainer;
    private volatile boolean running;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                .aeronDirectoryName(
                        Files.createTempDirectory("hotpath-bench-aeron-").toString())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(ThreadingMode.SHARED));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        subscription = aeron.addSubscription("aeron:ipc?term-length=16m", 7);
        publication = aeron.addPublication("aeron:ipc?term-length=16m", 7);
        while (!publication.isConnected()) {
            Thread.onSpinWait();
        }
        running = true;
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
        publication.close();
        subscription.close();
        aeron.close();
        driver.close();
    }

    @Benchmark
    public long offer() {
        return publication.offer(buffer, 0, 64);
    }
}
