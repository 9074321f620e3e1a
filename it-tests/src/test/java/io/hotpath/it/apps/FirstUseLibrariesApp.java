package io.hotpath.it.apps;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The first use of Netty and of Aeron while the agent is still building their advice ({@link SlowAgent} {@code build}
 * makes the build take seconds): a write and flush on a Netty channel, then an offer on an Aeron publication nobody
 * subscribes to yet, both on the main thread, recorded by JFR ({@link FirstUseWorkers}: parks, monitor enters and
 * thread starts). Then it waits until the agent's advice threads are done and repeats, now counted: {@code messages}
 * writes on the same channel, one offer refused as not connected, and {@code messages} offers polled by a subscription
 * on the same publication. The channel's outbound buffer and the publication were made before the advice was in place:
 * the agent counts them in its gauges only if it adopted them. Prints {@code TRUTH libraries building=<0|1>
 * ready=<0|1> writeMs=N offerMs=N} ({@code building} 1 when the build was still under way after both first uses),
 * {@code TRUTH netty written=N} and {@code TRUTH aeron position=P not_connected=N back_pressured=N admin_action=N}.
 * Arguments: messages, Aeron directory, jfr.
 */
public final class FirstUseLibrariesApp {
    static final String CHANNEL = "aeron:ipc?term-length=64k";
    static final int STREAM = 1002;
    static final int SIZE = 64;

    private FirstUseLibrariesApp() {}

    public static void main(String[] args) throws Exception {
        final int messages = Integer.parseInt(args[0]);
        final FirstUseWorkers recording = new FirstUseWorkers(true);
        final long writeStart = System.nanoTime();
        final EmbeddedChannel channel = new EmbeddedChannel();
        channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[SIZE]));
        channel.releaseOutbound();
        final long writeNs = System.nanoTime() - writeStart;
        final MediaDriver.Context driverContext = new MediaDriver.Context()
                .aeronDirectoryName(args[1])
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(ThreadingMode.SHARED);
        final long[] outcomes = new long[6]; // -result: 1 not connected, 2 back pressured, 3 admin action
        try (MediaDriver driver = MediaDriver.launchEmbedded(driverContext);
                Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()))) {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SIZE]);
            final long offerStart = System.nanoTime();
            final Publication pub = aeron.addPublication(CHANNEL, STREAM);
            pub.offer(buffer, 0, SIZE);
            final long offerNs = System.nanoTime() - offerStart;
            final boolean building = AdviceThreads.inside("advice");
            final boolean ready = AdviceThreads.awaitNone(TimeUnit.SECONDS.toNanos(120));
            System.out.println("TRUTH libraries building=" + (building ? 1 : 0) + " ready=" + (ready ? 1 : 0)
                    + " writeMs=" + TimeUnit.NANOSECONDS.toMillis(writeNs) + " offerMs="
                    + TimeUnit.NANOSECONDS.toMillis(offerNs));

            for (int i = 0; i < messages; i++) {
                channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[SIZE]));
            }
            channel.releaseOutbound();
            System.out.println("TRUTH netty written=" + messages);

            tally(outcomes, pub.offer(buffer, 0, SIZE));
            try (Subscription sub = aeron.addSubscription(CHANNEL, STREAM)) {
                while (!pub.isConnected()) {
                    Thread.sleep(1);
                }
                final long[] fragments = new long[1];
                for (int sent = 0; sent < messages; ) {
                    final long result = pub.offer(buffer, 0, SIZE);
                    tally(outcomes, result);
                    if (result > 0) {
                        sent++;
                    }
                    sub.poll((b, o, l, h) -> fragments[0]++, 10);
                }
                while (fragments[0] < messages) {
                    sub.poll((b, o, l, h) -> fragments[0]++, 10);
                }
            }
            final long position = pub.position();
            pub.close();
            System.out.println("TRUTH aeron position=" + position + " not_connected=" + outcomes[1] + " back_pressured="
                    + outcomes[2] + " admin_action=" + outcomes[3]);
        } finally {
            channel.finishAndReleaseAll();
        }
        recording.finish(Path.of(args[2]));
    }

    private static void tally(long[] outcomes, long result) {
        if (result < 0 && -result < outcomes.length) {
            outcomes[(int) -result]++;
        }
    }
}
