package io.hotpath.reference;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Wires the stages together, runs one scenario and shuts down in order:
 *
 * <pre>
 * producers ──offer/put──▶ ingress ArrayBlockingQueue ──drainTo/poll──▶ batcher
 *     ──execute──▶ dispatcher ThreadPoolExecutor (ArrayBlockingQueue work queue)
 *     ──put──▶ subscriber LinkedBlockingQueue ×N ──take──▶ consumer thread ×N
 * </pre>
 *
 * <p>The shutdown goes downstream one stage at a time, each stage finishing everything the previous one handed it:
 * producers stop at the deadline and are joined; the batcher empties the ingress queue and dispatches the last batch;
 * the dispatcher pool is shut down and awaited, so every fan-out {@code put} has returned; each subscriber consumes
 * its queue and its consumer is joined; the progress pool is shut down and awaited. Only then are the counters read,
 * so they are final and the invariants can be exact.
 */
public final class StatusBroadcaster {
    /** How long each shutdown stage may take before the run is declared stuck (a slow subscriber may need a while). */
    static final Duration STAGE_TIMEOUT = Duration.ofMinutes(2);

    private final BroadcasterConfig config;
    private final PrintStream out;

    /**
     * @param out where progress lines go (stdout); the ground-truth line is printed by the caller
     */
    public StatusBroadcaster(BroadcasterConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /** Runs the configured scenario to the end and returns the ground truth of the run. */
    public GroundTruth run() throws InterruptedException {
        final ArrayBlockingQueue<StatusMessage> ingress = new ArrayBlockingQueue<>(config.ingressCapacity());

        final List<SubscriberChannel> channels = new ArrayList<>(config.subscribers());
        for (int i = 0; i < config.subscribers(); i++) {
            final long pauseMicros = i == config.slowSubscriber() ? config.slowMicros() : 0;
            channels.add(new QueueSubscriberChannel(
                    "subscriber-" + i,
                    config.subscriberCapacity(),
                    TimeUnit.MICROSECONDS.toNanos(config.workMicros()),
                    TimeUnit.MICROSECONDS.toNanos(pauseMicros)));
        }
        // Wire subscribers (--transport): each is one more channel of the fan-out, so every invariant over subscribers
        // holds for them too; their wire-level counts go into the ground truth.
        if (config.wire("tcp")) {
            channels.add(new NettyBroadcastChannel(
                    "tcp-broadcast",
                    false,
                    config.wireClients(),
                    TimeUnit.MICROSECONDS.toNanos(config.slowWireMicros())));
        }
        if (config.wire("uds")) {
            channels.add(new NettyBroadcastChannel(
                    "uds-broadcast",
                    true,
                    config.wireClients(),
                    TimeUnit.MICROSECONDS.toNanos(config.slowWireMicros())));
        }
        if (config.wire("aeron")) {
            channels.add(new AeronStageChannel("aeron-stage", TimeUnit.MICROSECONDS.toNanos(config.slowAeronMicros())));
        }
        final Dispatcher dispatcher = new Dispatcher(
                config.dispatcherThreads(),
                config.dispatchQueueCapacity(),
                channels,
                config.dropRejected(),
                TimeUnit.MICROSECONDS.toNanos(config.batchCostMicros()));
        final Batcher batcher = new Batcher(ingress, dispatcher, config.batchSize(), config.flushIntervalMs());
        final Producer.Counters producerCounters = new Producer.Counters();
        final ProgressReporter progress = new ProgressReporter(
                new ProgressReporter.Sources(
                        producerCounters.published::sum,
                        () -> sum(channels, true),
                        ingress::size,
                        dispatcher::queued,
                        () -> sum(channels, false),
                        producerCounters.overflow::sum,
                        dispatcher::rejected,
                        into -> channels.forEach(c -> c.drainIntervalLatency(into))),
                config.quiet(),
                out);

        // Start downstream first so nothing published waits for a stage that is not running yet.
        for (SubscriberChannel channel : channels) {
            channel.start();
        }
        batcher.start();

        final long startNanos = System.nanoTime();
        final long durationNanos = config.duration().toNanos();
        final double rateShare = config.rate() / config.producers();
        final List<Thread> producers = new ArrayList<>(config.producers());
        for (int i = 0; i < config.producers(); i++) {
            final Thread thread = new Thread(
                    new Producer(
                            i,
                            ingress,
                            config.scenario(),
                            rateShare,
                            config.blockProducers(),
                            startNanos,
                            durationNanos,
                            producerCounters),
                    "producer-" + i);
            thread.setDaemon(true);
            producers.add(thread);
        }
        Faults.producersStarting();
        for (Thread producer : producers) {
            producer.start();
        }
        progress.start(startNanos);

        final List<String> problems = new ArrayList<>();
        // Producers stop by themselves at the deadline; a blocked put() may need the pipeline to move first.
        final long producerDeadline = startNanos + durationNanos + STAGE_TIMEOUT.toNanos();
        for (Thread producer : producers) {
            producer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(producerDeadline - System.nanoTime())));
            if (producer.isAlive()) {
                problems.add("shutdown: " + producer.getName() + " did not stop within " + STAGE_TIMEOUT);
            }
        }
        final long producersStoppedNanos = System.nanoTime();
        // The wire faults end with the producing phase: the backlog they built drains at full speed.
        Faults.endWireFaults();

        if (!batcher.finish(STAGE_TIMEOUT.toMillis())) {
            problems.add("shutdown: batcher did not empty the ingress queue within " + STAGE_TIMEOUT);
        }
        if (!dispatcher.shutdown(STAGE_TIMEOUT)) {
            problems.add("shutdown: dispatcher pool did not terminate within " + STAGE_TIMEOUT);
        }
        for (SubscriberChannel channel : channels) {
            if (!channel.close(STAGE_TIMEOUT)) {
                problems.add("shutdown: " + channel.name() + " did not consume its queue within " + STAGE_TIMEOUT);
            }
        }
        final long endNanos = System.nanoTime();
        if (!progress.stop(STAGE_TIMEOUT)) {
            problems.add("shutdown: progress pool did not terminate within " + STAGE_TIMEOUT);
        }

        return new GroundTruth(
                config,
                new GroundTruth.Timeline(startNanos, producersStoppedNanos, endNanos),
                producerCounters,
                ingress.size(),
                batcher,
                dispatcher,
                channels,
                progress,
                problems);
    }

    /** Total consumed ({@code consumed}) or total backlog of all channels, for the progress line. */
    private static long sum(List<SubscriberChannel> channels, boolean consumed) {
        long sum = 0;
        for (SubscriberChannel channel : channels) {
            sum += consumed ? channel.consumed() : channel.backlog();
        }
        return sum;
    }
}
