package io.hotpath.reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The application's own exact account of a run, taken after the orderly shutdown, printed as
 * {@code GROUND-TRUTH {json}} and checked against the invariants. Integration tests compare the agent's numbers with
 * these.
 *
 * <p>Every count maps to specific queue and pool calls:
 *
 * <table>
 *   <caption>Counts and the calls they count</caption>
 *   <tr><th>field</th><th>counts</th></tr>
 *   <tr><td>published</td><td>ingress {@code offer()} calls (or {@code put()} calls with --block-producers)</td></tr>
 *   <tr><td>ingressQueued</td><td>ingress {@code offer()} returning true, or {@code put()} returning</td></tr>
 *   <tr><td>ingressOverflow</td><td>ingress {@code offer()} returning false (message dropped)</td></tr>
 *   <tr><td>drainToCalls</td><td>ingress {@code drainTo(c, max)} calls, including those returning 0</td></tr>
 *   <tr><td>drainToNonEmptyCalls</td><td>ingress {@code drainTo} calls returning more than 0</td></tr>
 *   <tr><td>drainToElements</td><td>sum of the values returned by ingress {@code drainTo}</td></tr>
 *   <tr><td>ingressPollCalls</td><td>ingress {@code poll(timeout, unit)} calls, including timeouts</td></tr>
 *   <tr><td>ingressPolled</td><td>ingress {@code poll(timeout, unit)} calls returning an element</td></tr>
 *   <tr><td>ingressDequeued</td><td>drainToElements + ingressPolled</td></tr>
 *   <tr><td>batches</td><td>non-empty batches handed to the dispatcher (see {@link Batcher})</td></tr>
 *   <tr><td>dispatchSubmitted</td><td>dispatcher pool {@code execute()} calls, retries included</td></tr>
 *   <tr><td>dispatchRejected</td><td>{@code execute()} calls that threw RejectedExecutionException</td></tr>
 *   <tr><td>dispatchCompleted</td><td>fan-out tasks whose {@code run()} finished</td></tr>
 *   <tr><td>subscriberDelivered</td><td>subscriber {@code LinkedBlockingQueue.put()} calls that returned</td></tr>
 *   <tr><td>subscriberConsumed</td><td>subscriber {@code take()} calls that returned a message</td></tr>
 *   <tr><td>fixedPoolTasks</td><td>stats tasks completed on the {@code Executors.newFixedThreadPool(2)} pool</td></tr>
 * </table>
 */
public final class GroundTruth {
    /** Prefix of the stdout line carrying the JSON. */
    public static final String LINE_PREFIX = "GROUND-TRUTH ";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One subscriber's counts. */
    record SubscriberTruth(
            String name, long delivered, long consumed, long remaining, java.util.Map<String, Long> wire) {}

    /** Wall-clock marks of a run, from {@link System#nanoTime()}. */
    record Timeline(long startNanos, long producersStoppedNanos, long endNanos) {
        long producingMillis() {
            return (producersStoppedNanos - startNanos) / 1_000_000;
        }

        long elapsedMillis() {
            return (endNanos - startNanos) / 1_000_000;
        }
    }

    private final BroadcasterConfig config;
    private final Timeline timeline;
    private final long published;
    private final long ingressQueued;
    private final long ingressOverflow;
    private final long ingressRemaining;
    private final long drainToCalls;
    private final long drainToNonEmptyCalls;
    private final long drainToElements;
    private final long ingressPollCalls;
    private final long ingressPolled;
    private final long batches;
    private final long drainStartedBatches;
    private final long pollStartedBatches;
    private final long batchedMessages;
    private final long maxBatchSize;
    private final long dispatchSubmitted;
    private final long dispatchRejected;
    private final long dispatchCompleted;
    private final long dispatchFailed;
    private final long droppedBatches;
    private final long droppedMessages;
    private final List<SubscriberTruth> subscribers;
    private final long fixedPoolSubmitted;
    private final long fixedPoolTasks;
    private final LatencyRecorder latency;
    private final List<String> violations;

    /**
     * Reads every counter. Call only after the orderly shutdown (or after it gave up, with the reasons in
     * {@code shutdownProblems}, which are reported as violations).
     */
    GroundTruth(
            BroadcasterConfig config,
            Timeline timeline,
            Producer.Counters producers,
            int ingressRemaining,
            Batcher batcher,
            Dispatcher dispatcher,
            List<SubscriberChannel> channels,
            ProgressReporter progress,
            List<String> shutdownProblems) {
        this.config = config;
        this.timeline = timeline;
        this.published = producers.published.sum();
        this.ingressQueued = producers.queued.sum();
        this.ingressOverflow = producers.overflow.sum();
        this.ingressRemaining = ingressRemaining;
        this.drainToCalls = batcher.drainToCalls();
        this.drainToNonEmptyCalls = batcher.drainToNonEmptyCalls();
        this.drainToElements = batcher.drainToElements();
        this.ingressPollCalls = batcher.pollCalls();
        this.ingressPolled = batcher.polled();
        this.batches = batcher.batches();
        this.drainStartedBatches = batcher.drainStartedBatches();
        this.pollStartedBatches = batcher.pollStartedBatches();
        this.batchedMessages = batcher.batchedMessages();
        this.maxBatchSize = batcher.maxBatch();
        this.dispatchSubmitted = dispatcher.submitted();
        this.dispatchRejected = dispatcher.rejected();
        this.dispatchCompleted = dispatcher.completed();
        this.dispatchFailed = dispatcher.failed();
        this.droppedBatches = dispatcher.droppedBatches();
        this.droppedMessages = dispatcher.droppedMessages();
        final List<SubscriberTruth> subscriberTruths = new ArrayList<>();
        this.latency = new LatencyRecorder();
        for (SubscriberChannel channel : channels) {
            subscriberTruths.add(new SubscriberTruth(
                    channel.name(), channel.delivered(), channel.consumed(), channel.backlog(), channel.wire()));
            latency.add(channel.latency());
        }
        this.subscribers = List.copyOf(subscriberTruths);
        this.fixedPoolSubmitted = progress.submitted();
        this.fixedPoolTasks = progress.completed();
        final List<String> problems = new ArrayList<>(shutdownProblems);
        checkInvariants(problems);
        this.violations = List.copyOf(problems);
    }

    /** Broken invariants and shutdown problems, one sentence each; empty when the run is consistent. */
    public List<String> violations() {
        return violations;
    }

    /** Sum over subscribers of successful {@code put()}s. */
    public long subscriberDelivered() {
        long sum = 0;
        for (SubscriberTruth subscriber : subscribers) {
            sum += subscriber.delivered();
        }
        return sum;
    }

    /** Sum over subscribers of successful {@code take()}s. */
    public long subscriberConsumed() {
        long sum = 0;
        for (SubscriberTruth subscriber : subscribers) {
            sum += subscriber.consumed();
        }
        return sum;
    }

    /** Elements taken out of the ingress queue: by {@code drainTo} plus by {@code poll}. */
    public long ingressDequeued() {
        return drainToElements + ingressPolled;
    }

    /** Messages consumed per subscriber per second of the whole run (start to end of the orderly shutdown). */
    public double throughputMsgPerSec() {
        return subscriberConsumed()
                / (double) subscribers.size()
                / seconds(timeline.endNanos() - timeline.startNanos());
    }

    /**
     * CPU time of the whole process so far (every thread, an agent's too), in milliseconds; -1 where the JVM does not
     * tell. Lets a harness compare the CPU a fixed load costs with and without an agent.
     */
    static long processCpuMillis() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            final long nanos = os.getProcessCpuTime();
            return nanos < 0 ? -1 : nanos / 1_000_000;
        }
        return -1;
    }

    /** The single-line JSON object; decimals rounded to 3 places, a value that is not finite written as null. */
    public String toJson() {
        final ObjectNode root = JSON.createObjectNode();
        root.put("scenario", config.scenario().cliName())
                .put("durationMs", config.duration().toMillis())
                .put("producingMs", timeline.producingMillis())
                .put("elapsedMs", timeline.elapsedMillis())
                .put("processCpuMs", processCpuMillis());
        final ObjectNode c = root.putObject("config");
        decimal(c, "rateMsgPerSec", config.rate());
        c.put("producers", config.producers())
                .put("subscribers", config.subscribers())
                .put("batchSize", config.batchSize())
                .put("flushIntervalMs", config.flushIntervalMs())
                .put("dispatcherThreads", config.dispatcherThreads())
                .put("ingressCapacity", config.ingressCapacity())
                .put("dispatchQueueCapacity", config.dispatchQueueCapacity())
                .put("subscriberCapacity", config.subscriberCapacity())
                .put("workUs", config.workMicros())
                .put("batchCostUs", config.batchCostMicros())
                .put("slowSubscriber", config.slowSubscriber())
                .put("slowUs", config.slowMicros())
                .put("blockProducers", config.blockProducers())
                .put("dropRejected", config.dropRejected());
        root.put("published", published)
                .put("ingressQueued", ingressQueued)
                .put("ingressOverflow", ingressOverflow)
                .put("ingressDequeued", ingressDequeued())
                .put("ingressPolled", ingressPolled)
                .put("ingressPollCalls", ingressPollCalls)
                .put("drainToCalls", drainToCalls)
                .put("drainToNonEmptyCalls", drainToNonEmptyCalls)
                .put("drainToElements", drainToElements)
                .put("ingressRemaining", ingressRemaining)
                .put("batches", batches)
                .put("drainStartedBatches", drainStartedBatches)
                .put("pollStartedBatches", pollStartedBatches)
                .put("batchedMessages", batchedMessages)
                .put("maxBatchSize", maxBatchSize)
                .put("dispatchSubmitted", dispatchSubmitted)
                .put("dispatchRejected", dispatchRejected)
                .put("dispatchCompleted", dispatchCompleted)
                .put("dispatchFailed", dispatchFailed)
                .put("droppedBatches", droppedBatches)
                .put("droppedMessages", droppedMessages)
                .put("subscriberDelivered", subscriberDelivered())
                .put("subscriberConsumed", subscriberConsumed());
        final ArrayNode subs = root.putArray("subscribers");
        for (SubscriberTruth subscriber : subscribers) {
            final ObjectNode o = subs.addObject()
                    .put("name", subscriber.name())
                    .put("delivered", subscriber.delivered())
                    .put("consumed", subscriber.consumed());
            for (java.util.Map.Entry<String, Long> e : subscriber.wire().entrySet()) {
                o.put(e.getKey(), e.getValue());
            }
        }
        root.put("fixedPoolSubmitted", fixedPoolSubmitted).put("fixedPoolTasks", fixedPoolTasks);
        decimal(
                root,
                "publishRateMsgPerSec",
                published / seconds(timeline.producersStoppedNanos() - timeline.startNanos()));
        decimal(root, "throughputMsgPerSec", throughputMsgPerSec());
        root.put("latencySamples", latency.count())
                .put("latencyP50Us", latency.percentileMicros(50))
                .put("latencyP99Us", latency.percentileMicros(99))
                .put("latencyMaxUs", latency.maxMicros())
                .put("invariantsOk", violations.isEmpty());
        final ArrayNode v = root.putArray("violations");
        violations.forEach(v::add);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the ground truth as JSON", e);
        }
    }

    /** JSON has no infinity (an unlimited stress rate): such a value is null; others keep 3 decimals. */
    private static void decimal(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_EVEN));
        } else {
            node.putNull(name);
        }
    }

    private void checkInvariants(List<String> problems) {
        final long dequeued = ingressDequeued();
        final long delivered = subscriberDelivered();
        final long consumed = subscriberConsumed();
        final int subscriberCount = subscribers.size();
        check(
                problems,
                published == ingressQueued + ingressOverflow,
                "published == ingressQueued + ingressOverflow",
                published,
                ingressQueued + ingressOverflow);
        check(problems, ingressQueued == dequeued, "ingressQueued == ingressDequeued", ingressQueued, dequeued);
        check(problems, ingressRemaining == 0, "ingress queue empty at exit", ingressRemaining, 0);
        check(problems, batchedMessages == dequeued, "batchedMessages == ingressDequeued", batchedMessages, dequeued);
        check(
                problems,
                dispatchSubmitted == dispatchCompleted + dispatchRejected,
                "dispatchSubmitted == dispatchCompleted + dispatchRejected",
                dispatchSubmitted,
                dispatchCompleted + dispatchRejected);
        check(
                problems,
                batches == dispatchCompleted + droppedBatches,
                "batches == dispatchCompleted + droppedBatches",
                batches,
                dispatchCompleted + droppedBatches);
        check(problems, dispatchFailed == 0, "dispatchFailed == 0", dispatchFailed, 0);
        check(problems, delivered == consumed, "subscriberDelivered == subscriberConsumed", delivered, consumed);
        check(
                problems,
                delivered == (dequeued - droppedMessages) * subscriberCount,
                droppedMessages == 0
                        ? "subscriberDelivered == ingressDequeued * subscribers"
                        : "subscriberDelivered == (ingressDequeued - droppedMessages) * subscribers",
                delivered,
                (dequeued - droppedMessages) * subscriberCount);
        for (SubscriberTruth subscriber : subscribers) {
            check(
                    problems,
                    subscriber.delivered() == subscriber.consumed(),
                    subscriber.name() + " delivered == consumed",
                    subscriber.delivered(),
                    subscriber.consumed());
            check(
                    problems,
                    subscriber.remaining() == 0,
                    subscriber.name() + " queue empty at exit",
                    subscriber.remaining(),
                    0);
        }
        check(problems, latency.count() == consumed, "latencySamples == subscriberConsumed", latency.count(), consumed);
        check(
                problems,
                fixedPoolTasks == fixedPoolSubmitted,
                "fixedPoolTasks == fixedPoolSubmitted",
                fixedPoolTasks,
                fixedPoolSubmitted);
    }

    private static void check(List<String> problems, boolean holds, String invariant, long left, long right) {
        if (!holds) {
            problems.add("invariant " + invariant + " violated: " + left + " vs " + right);
        }
    }

    private static double seconds(long nanos) {
        return Math.max(1, nanos) / 1e9;
    }
}
