package io.hotpath.reference;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An Aeron IPC stage between the dispatcher and a consumer, through a media driver embedded in this JVM: dispatcher
 * threads {@code offer} each message as one frame to an IPC publication (retrying while back-pressured), and a
 * consumer thread polls the subscription. {@code --slow-aeron-us} makes the consumer sleep per fragment so the
 * publication's window fills and offers come back {@code BACK_PRESSURED}; so does an Aeron back-pressure fault
 * ({@link Faults}) from its onset.
 *
 * <p>Agrona needs {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}; the application jar's manifest
 * carries it ({@code Add-Exports}), so {@code java -jar} needs no flag.
 */
final class AeronStageChannel extends ConsumerChannel {
    static final String CHANNEL = "aeron:ipc?term-length=64k";
    static final int STREAM = 1001;

    private final long pauseNanos;
    private final LongAdder bytesOffered = new LongAdder();
    private final LongAdder bytesPolled = new LongAdder();
    private final LongAdder backPressured = new LongAdder();
    private final LongAdder notConnected = new LongAdder();
    private final LongAdder adminAction = new LongAdder();
    private MediaDriver driver;
    private Aeron aeron;
    private Publication publication;
    private Subscription subscription;
    private Thread consumer;
    private volatile boolean closing;

    AeronStageChannel(String name, long pauseNanos) {
        super(name);
        this.pauseNanos = pauseNanos;
    }

    @Override
    public void start() {
        final Path dir;
        try {
            dir = Files.createTempDirectory("hotpath-reference-aeron-");
        } catch (IOException e) {
            throw new IllegalStateException(name + ": cannot create the Aeron directory: " + e, e);
        }
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                .aeronDirectoryName(dir.toString())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(ThreadingMode.SHARED));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        subscription = aeron.addSubscription(CHANNEL, STREAM);
        publication = aeron.addPublication(CHANNEL, STREAM);
        while (!publication.isConnected()) {
            Thread.onSpinWait();
        }
        consumer = new Thread(this::consume, name + "-consumer");
        consumer.setDaemon(true);
        consumer.start();
    }

    @Override
    public void deliver(StatusMessage message) throws InterruptedException {
        final byte[] frame = WireFrame.encode(message);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        while (true) {
            final long result = publication.offer(buffer, 0, frame.length);
            if (result > 0) {
                break;
            }
            if (result == Publication.BACK_PRESSURED) {
                backPressured.increment();
            } else if (result == Publication.NOT_CONNECTED) {
                notConnected.increment();
            } else if (result == Publication.ADMIN_ACTION) {
                adminAction.increment();
            } else {
                throw new IllegalStateException(name + ": offer failed with " + result);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            Thread.yield();
        }
        bytesOffered.add(frame.length);
        delivered.incrementAndGet();
    }

    private void consume() {
        final FragmentHandler handler = (buffer, offset, length, header) -> {
            final long created = buffer.getLong(offset + WireFrame.HEADER + 4 + 8, java.nio.ByteOrder.BIG_ENDIAN);
            final long pause = pauseNanos + Faults.aeronPauseNanos();
            if (pause > 0) {
                SimulatedWork.pause(pause);
            }
            latency.record(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - created));
            bytesPolled.add(length);
            consumed.incrementAndGet();
        };
        while (!(closing && consumed.get() >= delivered.get())) {
            final boolean slow = pauseNanos > 0 || Faults.aeronPauseNanos() > 0;
            if (subscription.poll(handler, slow ? 1 : 64) == 0) {
                Thread.yield();
            }
        }
    }

    @Override
    public int backlog() {
        return (int) Math.min(Integer.MAX_VALUE, delivered.get() - consumed.get());
    }

    @Override
    public boolean close(Duration timeout) throws InterruptedException {
        closing = true;
        consumer.join(Math.max(1, timeout.toMillis()));
        final boolean done = !consumer.isAlive();
        if (done) {
            publication.close();
            subscription.close();
            aeron.close();
            driver.close();
        }
        return done;
    }

    @Override
    public Map<String, Long> wire() {
        final Map<String, Long> m = new LinkedHashMap<>();
        m.put("offersOk", delivered.get());
        m.put("offersBackPressured", backPressured.sum());
        m.put("offersNotConnected", notConnected.sum());
        m.put("offersAdminAction", adminAction.sum());
        m.put("bytesOffered", bytesOffered.sum());
        m.put("fragmentsPolled", consumed.get());
        m.put("bytesPolled", bytesPolled.sum());
        return m;
    }
}
