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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One Aeron IPC message of 64 bytes there and back on one thread: {@value #BATCH} offers, then polls until all
 * {@value #BATCH} fragments are read (usually one poll). Reported per message, so the poll's added cost per fragment
 * is this benchmark's added cost minus {@link AeronOfferBenchmark}'s. One thread, so the subscriber never lags.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AeronPollBenchmark {
    static final int BATCH = 16;

    private MediaDriver driver;
    private Aeron aeron;
    private Publication publication;
    private Subscription subscription;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
    private long received;
    private final FragmentHandler count = (b, o, l, h) -> received++;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                .aeronDirectoryName(
                        Files.createTempDirectory("hotpath-bench-aeron-").toString())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(ThreadingMode.SHARED));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        subscription = aeron.addSubscription("aeron:ipc?term-length=16m", 9);
        publication = aeron.addPublication("aeron:ipc?term-length=16m", 9);
        while (!publication.isConnected()) {
            Thread.onSpinWait();
        }
        offerAndPoll();
        AgentCheck.requireProbe("aeron.Subscription#poll", "aeron.Subscription#poll"::equals);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        publication.close();
        subscription.close();
        aeron.close();
        driver.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long offerAndPoll() {
        for (int i = 0; i < BATCH; ) {
            if (publication.offer(buffer, 0, 64) > 0) {
                i++;
            }
        }
        final long want = received + BATCH;
        while (received < want) {
            subscription.poll(count, BATCH);
        }
        return received;
    }
}
