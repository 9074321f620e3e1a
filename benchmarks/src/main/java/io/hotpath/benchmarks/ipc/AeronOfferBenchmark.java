package io.hotpath.benchmarks.ipc;

import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.hotpath.benchmarks.AgentCheck;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One {@code Publication.offer} of 64 bytes on an Aeron IPC stream (embedded driver), drained by a subscriber thread
 * that polls. An operation is one offer attempt whatever its outcome; refused attempts are counted ({@code refused},
 * an event count per iteration) so that the regime a fork ran in is visible beside its score.
 *
 * <p><b>One regime.</b> The first version of this benchmark (a driver thread of its own, a subscriber spinning on
 * {@code poll}) landed each fork in one of two regimes, ~25 or ~80-100 ns per offer, with or without the agent. Three
 * things decided the regime, none of them the offer path: (1) three spinning threads (publisher, subscriber, driver)
 * on two cores, so the publication's limit, which the driver moves, went stale whenever the driver lost its core, and
 * offers were refused in bursts; (2) a subscriber caught up with the publisher spins reading the very cache line the
 * publisher writes next, and each offer then pays a cache-line transfer; (3) a subscriber behind the publisher reads
 * old lines and the publisher runs free. Whichever state a fork settled in, it stayed in. So here:
 *
 * <ul>
 *   <li>the driver has no thread ({@link AeronIpc#openInvoked}): the subscriber's thread runs its duty cycle before
 *       each poll, so there are exactly two threads and the limit moves whenever the subscriber reads;
 *   <li>the subscriber reads in batches: when a poll comes back with less than a full batch it has caught up, and it
 *       yields its core instead of spinning on the line the publisher writes next (it stays runnable: a parked thread
 *       on a busy machine waits milliseconds to run again). The publication's window is 32 MiB (a 64 MiB term), far
 *       more than the publisher writes in a time slice, so on a machine with a free core no offer is refused.
 * </ul>
 *
 * The driver's files stay in the temporary directory: on the 2-core test machines a log in {@code /dev/shm} cost the
 * publisher 350-480 ns of CPU per offer against ~20 ns on disk (measured with and without the agent alike).
 *
 * <p>It still measures the offer path and hides nothing of it: whatever the agent adds to {@code offer} runs on the
 * benchmark thread and adds to the score one for one. {@code work} (JMH {@code Blackhole.consumeCPU} tokens after
 * each offer, 0 by default) checks that: {@code -p work=N} with N worth ~20 ns must raise the score by ~20 ns.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AeronOfferBenchmark {
    /** Fragments per poll: a poll returning fewer has caught up with the publisher. */
    static final int FRAGMENT_LIMIT = 256;

    /** Extra work after each offer, in {@link Blackhole#consumeCPU} tokens: a stand-in for a slower offer path. */
    @Param("0")
    public long work;

    private AeronIpc ipc;
    private Publication unconnected;
    private Thread subscriber;
    private volatile boolean running;

    /**
     * Refused offers, reported by JMH per iteration beside the score; the benchmark thread's CPU time is {@link
     * ThreadCpu}.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Outcomes {
        /** Offers refused (back-pressured, or any other negative result) in the iteration. */
        public long refused;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ipc = AeronIpc.openInvoked(7);
        unconnected = ipc.addUnconnected(8);
        running = true;
        final AeronIpc shared = ipc;
        final Subscription subscription = ipc.subscription();
        final FragmentHandler ignore = (b, o, l, h) -> {};
        subscriber = new Thread(
                () -> {
                    while (running) {
                        shared.invoke();
                        if (subscription.poll(ignore, FRAGMENT_LIMIT) < FRAGMENT_LIMIT) {
                            Thread.yield();
                        }
                    }
                },
                "aeron-offer-benchmark-subscriber");
        subscriber.setDaemon(true);
        subscriber.start();
        ipc.offer();
        AgentCheck.requireProbe("aeron.Publication#offer", name -> name.startsWith("aeron.Publication#offer"));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        running = false;
        subscriber.join(5_000);
        ipc.close();
    }

    /**
     * One offer on a publication nobody subscribes to: every call is refused (not connected), so this measures the
     * agent's refusal path (the outcome counted on the operation and its stream) on each call.
     */
    @Benchmark
    public long offerRefused(Outcomes outcomes, ThreadCpu cpu) {
        final long result = ipc.offer(unconnected);
        if (result < 0L) {
            outcomes.refused++;
        }
        return result;
    }

    @Benchmark
    public long offer(Outcomes outcomes, ThreadCpu cpu) {
        final long result = ipc.offer();
        if (result < 0L) {
            outcomes.refused++;
        }
        final long w = work;
        if (w != 0L) {
            Blackhole.consumeCPU(w);
        }
        return result;
    }
}
