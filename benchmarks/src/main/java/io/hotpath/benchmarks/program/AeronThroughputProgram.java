package io.hotpath.benchmarks.program;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicBoolean;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A real Aeron IPC throughput program, as a user would first try the agent on: an embedded media driver, one
 * publisher thread spinning on {@code offer} of 64-byte messages, one subscriber thread polling. Measures the second
 * half of the run (the first half warms up) and prints {@code RESULT msgPerSec=<n> backPressured=<n>}: messages
 * received per second, and offers refused as back-pressured in that half.
 *
 * <pre>
 * java -cp benchmarks.jar io.hotpath.benchmarks.program.AeronThroughputProgram [seconds]
 * </pre>
 */
public final class AeronThroughputProgram {
    private AeronThroughputProgram() {}

    public static void main(String[] args) throws Exception {
        final double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 6.0;
        final MediaDriver.Context ctx = new MediaDriver.Context()
                .aeronDirectoryName(
                        Files.createTempDirectory("hotpath-aeron-program-").toString())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(ThreadingMode.SHARED)
                // Two application threads spin already; on a 2-core machine a spinning driver thread would make a
                // third, and the run would measure the scheduler. For IPC the driver only moves the publisher's limit
                // forward, and a 1 ms nap is far inside the publication window (half the
                // 64 MiB IPC term by default: tens of milliseconds of traffic at these rates).
                .sharedIdleStrategy(new SleepingMillisIdleStrategy(1));
        try (MediaDriver driver = MediaDriver.launchEmbedded(ctx);
                Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
                Subscription sub = aeron.addSubscription("aeron:ipc", 10);
                Publication pub = aeron.addPublication("aeron:ipc", 10)) {
            while (!pub.isConnected()) {
                Thread.onSpinWait();
            }
            final AtomicBoolean running = new AtomicBoolean(true);
            final long[] received = new long[1];
            final FragmentHandler handler = (b, o, l, h) -> received[0]++;
            final long[] receivedAtHalf = new long[1];
            final Thread subscriber = new Thread(() -> {
                while (running.get()) {
                    if (sub.poll(handler, 256) == 0) {
                        Thread.onSpinWait();
                    }
                }
            });
            final long[] refused = new long[2]; // back-pressured total, at half
            final Thread publisher = new Thread(() -> {
                final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
                while (running.get()) {
                    if (pub.offer(buffer, 0, 64) == Publication.BACK_PRESSURED) {
                        refused[0]++;
                    }
                }
            });
            subscriber.start();
            publisher.start();
            final long half = (long) (seconds * 500);
            Thread.sleep(half);
            // Reads of counters written by other threads: approximate at this instant, exact enough for rates over
            // seconds (a long field write is atomic on 64-bit HotSpot).
            final long t0 = System.nanoTime();
            receivedAtHalf[0] = received[0];
            refused[1] = refused[0];
            Thread.sleep(half);
            final long r1 = received[0];
            final long p1 = refused[0];
            final long t1 = System.nanoTime();
            running.set(false);
            publisher.join();
            subscriber.join();
            final double msgPerSec = (r1 - receivedAtHalf[0]) / ((t1 - t0) / 1e9);
            System.out.printf(
                    java.util.Locale.ROOT, "RESULT msgPerSec=%.0f backPressured=%d%n", msgPerSec, p1 - refused[1]);
        }
    }
}
