package io.hotpath.it.apps;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Aeron's publication classes loaded and used before the agent arrives: a publication offers first, then the agent jar
 * (args[0], options args[1]) is attached to this JVM, then a second publication is added and refuses offers in every
 * way an IPC stream can (not connected, back-pressured by a subscriber that does not poll, admin action at term
 * rotations once it polls, closed). Arguments: agent jar, agent options, Aeron directory. Prints
 * {@code TRUTH offer ...} with every outcome seen after the attach on both publications, {@code TRUTH stream ...} with
 * the second publication's outcomes before it closed, and {@code TRUTH before ...} with the first's before the attach.
 */
public final class AeronLateAttachApp {
    public static final String CHANNEL = "aeron:ipc?term-length=64k";

    private AeronLateAttachApp() {}

    public static void main(String[] args) throws Exception {
        final MediaDriver.Context driverContext = new MediaDriver.Context()
                .aeronDirectoryName(args[2])
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(ThreadingMode.SHARED);
        final long[] before = new long[6];
        final long[] after = new long[6];
        final long[] stream = new long[6];
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[200]);
        try (MediaDriver driver = MediaDriver.launchEmbedded(driverContext);
                Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
                Publication early = aeron.addPublication(CHANNEL, 3001)) {
            for (int i = 0; i < 10; i++) {
                AeronApp.tally(before, early.offer(buffer, 0, 200));
            }
            SelfAttachApp.attach(args[0], args[1]);
            // The class was loaded before the attach: the publication added now finds its stream in the identity table.
            final Publication late = aeron.addPublication(CHANNEL, 3002);
            for (int i = 0; i < 5; i++) {
                AeronApp.tally(after, early.offer(buffer, 0, 200));
                offer(late, buffer, after, stream);
            }
            try (Subscription sub = aeron.addSubscription(CHANNEL, 3002)) {
                while (!late.isConnected()) {
                    Thread.yield();
                }
                // Nobody polls: the window fills and offers come back back-pressured.
                long refusedInARow = 0;
                while (refusedInARow < 100) {
                    refusedInARow = offer(late, buffer, after, stream) < 0 ? refusedInARow + 1 : 0;
                }
                // Polling now: enough messages to rotate the 64 KiB terms several times.
                final FragmentHandler ignore = (b, o, l, h) -> {};
                for (int sent = 0; sent < 3000; ) {
                    if (offer(late, buffer, after, stream) > 0) {
                        sent++;
                    }
                    sub.poll(ignore, 16);
                }
            }
            late.close();
            for (int i = 0; i < 3; i++) {
                AeronApp.tally(after, late.offer(buffer, 0, 200));
            }
        }
        System.out.println("TRUTH before " + AeronApp.outcomes(before));
        System.out.println("TRUTH offer " + AeronApp.outcomes(after));
        System.out.println("TRUTH stream " + AeronApp.outcomes(stream));
    }

    private static long offer(Publication pub, UnsafeBuffer buffer, long[] all, long[] stream) {
        final long r = pub.offer(buffer, 0, 200);
        AeronApp.tally(all, r);
        AeronApp.tally(stream, r);
        return r;
    }
}
