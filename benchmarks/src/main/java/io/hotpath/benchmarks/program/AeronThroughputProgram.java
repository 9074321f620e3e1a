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
 * publisher thread spinning on {@code offer} of 64-byte messages, one subscriber thread polling. Prints the messages
 * received and the offers refused as back-pressured so far every interval ({@link Progress}) for {@code seconds}.
 *
 * <pre>
 * java -cp benchmarks.jar io.hotpath.benchmarks.program.AeronThroughputProgram [seconds [intervalMillis]]
 * </pre>
 */
public final class AeronThroughputProgram {
    private AeronThroughputProgram() {}

    public static void main(String[] args) throws Exception {
        final double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 20.0;
        final long interval = args.length > 1 ? Long.parseLong(args[1]) : 500L;
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
            final Thread subscriber = new Thread(() -> {
                while (running.get()) {
                    if (sub.poll(handler, 256) == 0) {
                        Thread.onSpinWait();
                    }
                }
            });
            final long[] refused = new long[1];
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
            // Reads of counters written by other threads: approximate at this instant, exact enough for rates over
            // seconds (a long field write is atomic on 64-bit HotSpot).
            Progress.print(seconds, interval, () -> received[0], () -> refused[0]);
            running.set(false);
            publisher.join();
            subscriber.join();
        }
    }
}
