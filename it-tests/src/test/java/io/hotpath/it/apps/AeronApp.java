package io.hotpath.it.apps;

import io.aeron.Aeron;
import io.aeron.DirectBufferVector;
import io.aeron.Publication;
import io.aeron.RethrowingErrorHandler;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.FragmentHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An Aeron IPC stream through an embedded media driver: a publisher alternating offer and tryClaim, a subscriber
 * polling. Arguments: messages, message size, {@code fast} or {@code slow} (the subscriber takes one fragment per
 * millisecond, so the publisher is back-pressured), Aeron directory. Prints {@code TRUTH offer|claim|poll|stream ...}
 * with every outcome the application saw, the publication's final position and the polls whose handler threw.
 */
public final class AeronApp {
    static final String CHANNEL = "aeron:ipc?term-length=64k";
    static final int STREAM = 1001;

    private AeronApp() {}

    public static void main(String[] args) throws Exception {
        final int messages = Integer.parseInt(args[0]);
        final int size = Integer.parseInt(args[1]);
        final boolean slow = args[2].equals("slow");
        final MediaDriver.Context driverContext = new MediaDriver.Context()
                .aeronDirectoryName(args[3])
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(ThreadingMode.SHARED);
        final long[] offer = new long[6]; // index 0 ok, 1..5 = -result
        final long[] claim = new long[6];
        long bytes = 0;
        long vectorsSent = 0;
        try (MediaDriver driver = MediaDriver.launchEmbedded(driverContext);
                // A fragment handler's exception leaves the poll (Aeron's default only logs it), so the agent must
                // count that poll from its exit on a throw.
                Aeron aeron = Aeron.connect(new Aeron.Context()
                        .aeronDirectoryName(driver.aeronDirectoryName())
                        .subscriberErrorHandler(RethrowingErrorHandler.INSTANCE));
                Publication pub = aeron.addPublication(CHANNEL, STREAM)) {
            // The agent builds its Aeron advice when a program first uses Aeron, and never makes it wait for that:
            // calls made before the advice is in place are not counted. The client and the publication, made before,
            // are adopted by the agent once it is; every call counted below is made under it.
            final boolean ready = AdviceThreads.awaitNone(TimeUnit.SECONDS.toNanos(60));
            System.out.println("TRUTH advice ready=" + (ready ? 1 : 0));
            // Nothing subscribed yet: one offer that must report NOT_CONNECTED.
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[size]);
            tally(offer, pub.offer(buffer, 0, size));
            final AtomicLong fragments = new AtomicLong();
            final AtomicLong polls = new AtomicLong();
            final AtomicLong received = new AtomicLong();
            try (Subscription sub = aeron.addSubscription(CHANNEL, STREAM)) {
                final Thread subscriber = new Thread(() -> {
                    final FragmentHandler handler = (b, o, l, h) -> {
                        fragments.incrementAndGet();
                        received.addAndGet(l);
                    };
                    while (fragments.get() < messages) {
                        polls.incrementAndGet();
                        if (sub.poll(handler, slow ? 1 : 16) == 0 || slow) {
                            sleepOrYield(slow);
                        }
                    }
                });
                subscriber.start();
                final BufferClaim bufferClaim = new BufferClaim();
                final int half = size / 2;
                final DirectBufferVector[] vectors = {
                    new DirectBufferVector(buffer, 0, half), new DirectBufferVector(buffer, half, size - half)
                };
                for (int i = 0; i < messages; i++) {
                    while (true) {
                        final long r;
                        if (i % 4 == 0) {
                            r = pub.offer(buffer, 0, size);
                            tally(offer, r);
                        } else if (i % 4 == 2) {
                            // The same message in two parts: the two-buffer and the vector offer.
                            r = i % 8 == 2 ? pub.offer(buffer, 0, half, buffer, half, size - half) : pub.offer(vectors);
                            tally(offer, r);
                            if (i % 8 == 6 && r > 0) {
                                vectorsSent++;
                            }
                        } else {
                            r = pub.tryClaim(size, bufferClaim);
                            tally(claim, r);
                            if (r > 0) {
                                bufferClaim.commit();
                            }
                        }
                        if (r > 0) {
                            bytes += size;
                            break;
                        }
                        Thread.yield();
                    }
                }
                subscriber.join(60_000);
                // One more message, polled first by a handler that throws: the agent counts that poll as an error.
                // Aeron may deliver the fragment again; the counting handler below takes it if so.
                while (true) {
                    final long r = pub.offer(buffer, 0, size);
                    tally(offer, r);
                    if (r > 0) {
                        bytes += size;
                        break;
                    }
                    Thread.yield();
                }
                final FragmentHandler counting = (b, o, l, h) -> {
                    fragments.incrementAndGet();
                    received.addAndGet(l);
                };
                long thrown = 0;
                final long deadline = System.nanoTime() + 10_000_000_000L;
                while (thrown == 0 && System.nanoTime() < deadline) {
                    try {
                        if (sub.poll(
                                        (b, o, l, h) -> {
                                            throw new IllegalStateException("handler failure");
                                        },
                                        1)
                                == 0) {
                            Thread.yield();
                        }
                    } catch (IllegalStateException expected) {
                        thrown++;
                    }
                }
                for (int i = 0; i < 50; i++) {
                    sub.poll(counting, 16);
                    Thread.sleep(1);
                }
                System.out.println("TRUTH stream position=" + pub.position() + " thrown=" + thrown);
            }
            System.out.println("TRUTH offer " + outcomes(offer));
            System.out.println("TRUTH claim " + outcomes(claim));
            System.out.println("TRUTH vector ok=" + vectorsSent);
            System.out.println("TRUTH poll polls=" + polls.get() + " fragments=" + fragments.get() + " bytes="
                    + received.get() + " sent=" + bytes);
        }
    }

    private static void sleepOrYield(boolean slow) {
        if (slow) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            Thread.yield();
        }
    }

    static void tally(long[] counts, long result) {
        if (result > 0) {
            counts[0]++;
        } else if (result >= -5) {
            counts[(int) -result]++;
        }
    }

    static String outcomes(long[] c) {
        return "ok=" + c[0] + " not_connected=" + c[1] + " back_pressured=" + c[2] + " admin_action=" + c[3]
                + " closed=" + c[4] + " max_position=" + c[5];
    }
}
