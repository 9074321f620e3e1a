package io.hotpath.benchmarks.ipc;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Locale;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@link AeronPollBenchmark}'s workload (16 offers of 64 bytes, then polls until the 16 fragments are read, on one
 * thread) timed by that thread's CPU time, so that the time it waits for a core on a busy machine is not counted. Run
 * it once without and once with the agent, alternating, and compare the medians: the difference is the agent's added
 * cost per message, offer and poll together (the poll's own advice runs once per 16 fragments). A cross-check of the
 * JMH figures on a busy machine, not a replacement for them.
 *
 * <pre>
 * java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED [-javaagent:agent/target/hotpath-agent.jar] \
 *      -cp benchmarks/target/benchmarks.jar io.hotpath.benchmarks.ipc.AeronCpuTimeMain [rounds] [messages]
 * </pre>
 */
public final class AeronCpuTimeMain {
    private static final int BATCH = 16;
    private static long received;

    private AeronCpuTimeMain() {}

    public static void main(String[] args) throws Exception {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        final int messages = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        final FragmentHandler count = (b, o, l, h) -> received++;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        try (MediaDriver driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                        .aeronDirectoryName(
                                Files.createTempDirectory("hotpath-cpu-aeron-").toString())
                        .dirDeleteOnStart(true)
                        .dirDeleteOnShutdown(true)
                        .threadingMode(ThreadingMode.SHARED));
                Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
                Subscription subscription = aeron.addSubscription("aeron:ipc?term-length=16m", 11);
                Publication publication = aeron.addPublication("aeron:ipc?term-length=16m", 11)) {
            while (!publication.isConnected()) {
                Thread.onSpinWait();
            }
            final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (int warm = 0; warm < 3; warm++) {
                run(publication, subscription, count, buffer, messages);
            }
            final double[] perMessage = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                final long start = threads.getCurrentThreadCpuTime();
                run(publication, subscription, count, buffer, messages);
                perMessage[r] = (double) (threads.getCurrentThreadCpuTime() - start) / messages;
            }
            Arrays.sort(perMessage);
            System.out.printf(
                    Locale.ROOT,
                    "offer+poll median %.2f ns/message (CPU)  min %.2f  max %.2f  rounds %d  agent %s%n",
                    perMessage[rounds / 2],
                    perMessage[0],
                    perMessage[rounds - 1],
                    rounds,
                    System.getProperty("hotpath.version") != null
                            || ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                                    .anyMatch(a -> a.startsWith("-javaagent")));
        }
    }

    private static void run(
            Publication publication, Subscription subscription, FragmentHandler count, UnsafeBuffer buffer, int n) {
        for (int m = 0; m < n; m += BATCH) {
            for (int i = 0; i < BATCH; ) {
                if (publication.offer(buffer, 0, 64) > 0) {
                    i++;
                }
            }
            final long want = received + BATCH;
            while (received < want) {
                subscription.poll(count, BATCH);
            }
        }
    }
}
