package io.hotpath.benchmarks.ipc;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import java.io.IOException;
import java.nio.file.Files;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The Aeron workload the JMH benchmarks and the CPU-time harness share: an embedded media driver, a client, and one
 * IPC publication and subscription on a stream, connected. {@link #offerAndPoll} is one round of {@value #BATCH}
 * offers of a 64-byte message followed by polls until the {@value #BATCH} fragments are read, on the calling thread,
 * so the subscriber never lags.
 *
 * <p>The driver runs either on a thread of its own ({@link #open}, shared threading) or nowhere until someone calls
 * {@link #invoke} ({@link #openInvoked}: the driver's and the client conductor's duty cycles run on the caller's
 * thread). An invoked driver is what a two-thread benchmark on a two-core machine needs: no third thread competes for
 * the cores, and the publication's limit (which the driver moves from the subscriber's position) moves exactly when
 * the subscriber's thread runs.
 */
final class AeronIpc implements AutoCloseable {
    /** Messages per {@link #offerAndPoll} round. */
    static final int BATCH = 16;

    private static final String CHANNEL = "aeron:ipc?term-length=16m";

    /**
     * For {@link #openInvoked}: a 64 MiB term, so the publication's window (half a term) holds 32 MiB, some
     * milliseconds of offers, and a subscriber that loses its core for a moment does not refuse the publisher.
     */
    private static final String WIDE_CHANNEL = "aeron:ipc?term-length=64m";

    private final MediaDriver driver;
    /** The driver's duty cycle when it has no thread of its own; null otherwise. */
    private final AgentInvoker driverInvoker;

    private final Aeron aeron;
    private final Publication publication;
    private final Subscription subscription;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
    private long received;
    private final FragmentHandler count = (b, o, l, h) -> received++;

    private AeronIpc(MediaDriver driver, String channel, int streamId) {
        this.driver = driver;
        this.driverInvoker = driver.sharedAgentInvoker();
        final Aeron.Context client = new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName());
        if (driverInvoker != null) {
            // The client awaits the driver's replies by invoking it, and its own conductor runs in invoke().
            client.driverAgentInvoker(driverInvoker).useConductorAgentInvoker(true);
        }
        this.aeron = Aeron.connect(client);
        this.subscription = aeron.addSubscription(channel, streamId);
        this.publication = aeron.addPublication(channel, streamId);
        while (!publication.isConnected()) {
            invoke();
            Thread.onSpinWait();
        }
    }

    /** Launches a driver (shared threading) in a fresh temporary directory and connects one publication to one subscription. */
    static AeronIpc open(int streamId) throws IOException {
        return open(streamId, ThreadingMode.SHARED, CHANNEL);
    }

    /**
     * As {@link #open}, with a driver that has no thread: it and the client's conductor run only in {@link #invoke},
     * which one thread at a time must call regularly (the client's keep-alive goes through it too).
     */
    static AeronIpc openInvoked(int streamId) throws IOException {
        return open(streamId, ThreadingMode.INVOKER, WIDE_CHANNEL);
    }

    private static AeronIpc open(int streamId, ThreadingMode mode, String channel) throws IOException {
        final MediaDriver driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                .aeronDirectoryName(
                        Files.createTempDirectory("hotpath-bench-aeron-").toString())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(mode));
        try {
            return new AeronIpc(driver, channel, streamId);
        } catch (RuntimeException e) {
            driver.close();
            throw e;
        }
    }

    /** One duty cycle of an invoked driver and of the client's conductor ({@link #openInvoked}); nothing otherwise. */
    int invoke() {
        if (driverInvoker == null) {
            return 0;
        }
        return driverInvoker.invoke() + aeron.conductorAgentInvoker().invoke();
    }

    /** The subscription, for a reader of its own (see {@link AeronOfferBenchmark}). */
    Subscription subscription() {
        return subscription;
    }

    /** One offer attempt of the 64-byte message: the new position, or a negative back-pressure code. */
    long offer() {
        return publication.offer(buffer, 0, 64);
    }

    /**
     * A publication on {@code streamId} of the same channel that no subscription reads: every offer on it is refused as
     * not connected. Call before any other thread calls {@link #invoke}: adding goes through the invoked driver.
     */
    Publication addUnconnected(int streamId) {
        return aeron.addPublication(WIDE_CHANNEL, streamId);
    }

    /** One offer attempt of the 64-byte message on {@code other}. */
    long offer(Publication other) {
        return other.offer(buffer, 0, 64);
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
