package io.hotpath.benchmarks.ipc;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import java.io.IOException;
import java.nio.file.Files;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The Aeron workload the JMH benchmarks and the CPU-time harness share: an embedded media driver (shared threading),
 * a client, and one IPC publication and subscription on a stream, connected. {@link #offerAndPoll} is one round of
 * {@value #BATCH} offers of a 64-byte message followed by polls until the {@value #BATCH} fragments are read, on the
 * calling thread, so the subscriber never lags.
 */
final class AeronIpc implements AutoCloseable {
    /** Messages per {@link #offerAndPoll} round. */
    static final int BATCH = 16;

    private static final String CHANNEL = "aeron:ipc?term-length=16m";

    private final MediaDriver driver;
    private final Aeron aeron;
    private final Publication publication;
    private final Subscription subscription;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
    private long received;
    private final FragmentHandler count = (b, o, l, h) -> received++;

    private AeronIpc(MediaDriver driver, int streamId) {
        this.driver = driver;
        this.aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        this.subscription = aeron.addSubscription(CHANNEL, streamId);
        this.publication = aeron.addPublication(CHANNEL, streamId);
        while (!publication.isConnected()) {
            Thread.onSpinWait();
        }
    }

    /** Launches a driver in a fresh temporary directory and connects one publication to one subscription. */
    static AeronIpc open(int streamId) throws IOException {
        final MediaDriver driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                .aeronDirectoryName(
                        Files.createTempDirectory("hotpath-bench-aeron-").toString())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(ThreadingMode.SHARED));
        try {
            return new AeronIpc(driver, streamId);
        } catch (RuntimeException e) {
            driver.close();
            throw e;
        }
    }

    /** The subscription, for a reader of its own (see {@link AeronOfferBenchmark}). */
    Subscription subscription() {
        return subscription;
    }

    /** One offer attempt of the 64-byte message: the new position, or a negative back-pressure code. */
    long offer() {
        return publication.offer(buffer, 0, 64);
    }

    /** {@value #BATCH} offers, then polls until the {@value #BATCH} fragments are read; returns the total read. */
    long offerAndPoll() {
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

    @Override
    public void close() {
        publication.close();
        subscription.close();
        aeron.close();
        driver.close();
    }
}
