package io.hotpath.it.apps;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One Aeron IPC publication through an embedded media driver, read by two subscriptions on their own threads: one
 * polls as fast as it can all along; the other keeps up until the onset, then takes one fragment per millisecond, so
 * the publication's window fills and its offers come back {@code BACK_PRESSURED}. The publisher offers at a fixed rate
 * (about 20k messages per second, far below what either subscriber takes before the onset) and drops what is refused.
 * The term is 1 MiB, so the publication's window (half a term) rides out a subscriber that waits a few hundred
 * milliseconds for a core before the onset on a busy machine, and still fills within about 0.3 s after it.
 * Arguments: seconds before the onset, seconds after it, Aeron directory. Prints {@code TRUTH laggard slow=<id>
 * fast=<id>} (the subscriptions' registration ids) and {@code FAULT-ONSET slow-aeron-subscriber <epochMillis>}.
 */
public final class AeronLaggardApp {
    static final String CHANNEL = "aeron:ipc?term-length=1m";
    static final int STREAM = 1002;

    private AeronLaggardApp() {}

    public static void main(String[] args) throws Exception {
        final long before = TimeUnit.SECONDS.toNanos(Long.parseLong(args[0]));
        final long after = TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
        final MediaDriver.Context driverContext = new MediaDriver.Context()
                .aeronDirectoryName(args[2])
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(ThreadingMode.SHARED);
        try (MediaDriver driver = MediaDriver.launchEmbedded(driverContext);
                Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
                Publication pub = aeron.addPublication(CHANNEL, STREAM);
                Subscription fast = aeron.addSubscription(CHANNEL, STREAM);
                Subscription slow = aeron.addSubscription(CHANNEL, STREAM)) {
            System.out.println("TRUTH laggard slow=" + slow.registrationId() + " fast=" + fast.registrationId());
            while (!pub.isConnected() || fast.imageCount() == 0 || slow.imageCount() == 0) {
                Thread.yield();
            }
            final long start = System.nanoTime();
            final long onset = start + before;
            final long end = onset + after;
            final AtomicLong received = new AtomicLong();
            final FragmentHandler count = (b, o, l, h) -> received.incrementAndGet();
            final Thread fastReader = new Thread(() -> pollUntil(fast, count, end, Long.MAX_VALUE), "fast-subscriber");
            final Thread slowReader = new Thread(() -> pollUntil(slow, count, end, onset), "slow-subscriber");
            fastReader.setDaemon(true);
            slowReader.setDaemon(true);
            fastReader.start();
            slowReader.start();
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
            long sent = 0;
            long refused = 0;
            boolean announced = false;
            long now;
            while ((now = System.nanoTime()) < end) {
                if (!announced && now >= onset) {
                    announced = true;
                    System.out.println("FAULT-ONSET slow-aeron-subscriber " + System.currentTimeMillis());
                }
                for (int i = 0; i < 10; i++) {
                    if (pub.offer(buffer, 0, buffer.capacity()) > 0) {
                        sent++;
                    } else {
                        refused++;
                    }
                }
                LockSupport.parkNanos(500_000L);
            }
            fastReader.join(5_000);
            slowReader.join(5_000);
            System.out.println("TRUTH publisher sent=" + sent + " refused=" + refused + " received=" + received.get());
        }
    }

    /** Polls until {@code end}; from {@code slowFrom} on, one fragment per millisecond. */
    private static void pollUntil(Subscription sub, FragmentHandler handler, long end, long slowFrom) {
        long now;
        while ((now = System.nanoTime()) < end) {
            if (now >= slowFrom) {
                sub.poll(handler, 1);
                LockSupport.parkNanos(1_000_000L);
            } else if (sub.poll(handler, 64) == 0) {
                Thread.yield();
            }
        }
    }
}
