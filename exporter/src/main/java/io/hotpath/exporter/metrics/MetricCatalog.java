package io.hotpath.exporter.metrics;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every metric hotpath exports, per probe kind: name, instrument shape, unit, description, and which counter, gauge or
 * distribution of a probe sample feeds it. docs/metrics.md is the same table for people; a unit test keeps the two
 * equal.
 *
 * <p>Naming follows the OpenTelemetry semantic-convention rules (dot namespaces, UCUM units with {@code {annotations}},
 * {@code s} for durations, no {@code _total}, UpDownCounters not pluralised). No accepted convention covers in-process
 * queues or thread pools — messaging metrics describe clients of a broker, and the JVM executor metrics are only a
 * proposal — so names live under {@code hotpath.*}; the executor ones mirror the proposed {@code jvm.executor.*} shape.
 * Where a convention attribute exists it is used ({@code network.io.direction}).
 */
public final class MetricCatalog {
    /** What an OTLP data point of a metric looks like. */
    public enum Shape {
        /** Monotonic cumulative sum (an OpenTelemetry Counter). */
        COUNTER,
        /** Non-monotonic cumulative sum (an UpDownCounter): a current amount that adds up across probes. */
        UP_DOWN_COUNTER,
        /** Cumulative exponential histogram. */
        HISTOGRAM
    }

    /** Which part of a probe sample a metric reads. */
    public enum Source {
        /** A cumulative counter, by {@link Slot} index. */
        COUNTER,
        /** A gauge, by {@link Gauge} index. */
        GAUGE,
        /** A distribution, by {@link Dist} index. */
        DIST
    }

    /**
     * One exported metric.
     *
     * @param ordinal position in {@link #all()}, for array-indexed grouping
     * @param name the OpenTelemetry metric name
     * @param shape counter, up-down counter or histogram
     * @param unit UCUM unit
     * @param description one sentence
     * @param source which part of a sample feeds it
     * @param index the {@link Slot}, {@link Gauge} or {@link Dist} index
     * @param direction the {@code network.io.direction} attribute value, or null
     */
    public record Metric(
            int ordinal,
            String name,
            Shape shape,
            String unit,
            String description,
            Source source,
            int index,
            String direction) {

        /** Whether the values are nanoseconds exported as seconds. */
        public boolean nanosToSeconds() {
            return source == Source.DIST && unit.equals("s");
        }
    }

    private static final List<Metric> ALL = new ArrayList<>();
    private static final Map<PathKind, List<Metric>> BY_KIND = new EnumMap<>(PathKind.class);

    static {
        final List<Metric> queue = List.of(
                counter("hotpath.queue.enqueued", "{message}", "Elements the queue accepted.", Slot.IN),
                counter("hotpath.queue.dequeued", "{message}", "Elements taken out of the queue.", Slot.OUT),
                counter(
                        "hotpath.queue.dropped",
                        "{message}",
                        "Offers the queue refused because it was full (overflow).",
                        Slot.DROPPED),
                counter(
                        "hotpath.queue.producer.blocked",
                        "{call}",
                        "Producer calls that may wait (put, timed offer, transfer) that found the queue full just before calling (a lock-free read; see docs/dump-format.md).",
                        Slot.BLOCKED),
                counter(
                        "hotpath.queue.consumer.waited",
                        "{call}",
                        "Consumer calls that may wait (take, timed poll) that found the queue empty just before calling (a lock-free read; see docs/dump-format.md).",
                        Slot.WAITED),
                counter(
                        "hotpath.queue.removed",
                        "{message}",
                        "Elements removed other than by dequeueing (remove(Object), clear, ...).",
                        Slot.REMOVED),
                counter(
                        "hotpath.queue.batches",
                        "{batch}",
                        "Batch drains (drainTo) that moved at least one element.",
                        Slot.BATCHES),
                counter(
                        "hotpath.queue.batched",
                        "{message}",
                        "Elements moved out by batch drains; also counted in hotpath.queue.dequeued.",
                        Slot.BATCH_ITEMS),
                upDown(
                        "hotpath.queue.depth",
                        "{message}",
                        "Elements waiting in the queue: enqueued - dequeued - removed.",
                        Gauge.DEPTH),
                upDown(
                        "hotpath.queue.instance.count",
                        "{queue}",
                        "Live queues created at the site (at most 256 tracked per site).",
                        Gauge.INSTANCES),
                histogram(
                        "hotpath.queue.producer.blocked.duration",
                        "s",
                        "How long a producer that found the queue full took to get in (sampled).",
                        Dist.LATENCY),
                histogram(
                        "hotpath.queue.consumer.wait.duration",
                        "s",
                        "How long a consumer that found the queue empty took to get an element (sampled).",
                        Dist.WAIT),
                histogram("hotpath.queue.batch.size", "{message}", "Elements per batch drain.", Dist.SIZE));
        BY_KIND.put(PathKind.QUEUE, queue);
        BY_KIND.put(PathKind.BATCH, queue);

        BY_KIND.put(
                PathKind.EXECUTOR,
                List.of(
                        counter(
                                "hotpath.executor.task.submitted",
                                "{task}",
                                "Tasks handed to the executor (execute/submit and scheduling calls), accepted or not.",
                                Slot.CALLS),
                        counter("hotpath.executor.task.accepted", "{task}", "Tasks the executor accepted.", Slot.IN),
                        counter(
                                "hotpath.executor.task.rejected",
                                "{task}",
                                "Tasks the executor refused and did not run (RejectedExecutionException, a discard"
                                        + " policy).",
                                Slot.DROPPED),
                        counter(
                                "hotpath.executor.task.caller_ran",
                                "{task}",
                                "Tasks the executor refused that its CallerRunsPolicy ran on the submitting thread:"
                                        + " back-pressure onto the caller, nothing lost.",
                                Slot.CALLER_RAN),
                        counter(
                                "hotpath.executor.task.rerun",
                                "{task}",
                                "Periodic tasks a scheduled executor put back into its queue after a run (not"
                                        + " submissions).",
                                Slot.RERUNS),
                        counter("hotpath.executor.task.started", "{task}", "Tasks that started running.", Slot.STARTED),
                        counter("hotpath.executor.task.completed", "{task}", "Tasks that finished running.", Slot.OUT),
                        counter("hotpath.executor.task.failed", "{task}", "Tasks that threw.", Slot.ERRORS),
                        counter(
                                "hotpath.executor.task.removed",
                                "{task}",
                                "Tasks removed from the work queue before running (remove, purge).",
                                Slot.REMOVED),
                        upDown(
                                "hotpath.executor.queue.size",
                                "{task}",
                                "Tasks waiting in the work queue: accepted - started - removed.",
                                Gauge.DEPTH),
                        upDown(
                                "hotpath.executor.task.active",
                                "{task}",
                                "Tasks running: started - completed.",
                                Gauge.ACTIVE),
                        upDown(
                                "hotpath.executor.thread.count",
                                "{thread}",
                                "Threads in the site's live thread pools.",
                                Gauge.POOL_SIZE),
                        upDown(
                                "hotpath.executor.thread.core",
                                "{thread}",
                                "Core pool size of the site's live thread pools, summed.",
                                Gauge.CORE_POOL_SIZE),
                        upDown(
                                "hotpath.executor.thread.limit",
                                "{thread}",
                                "Maximum pool size of the site's live thread pools, summed.",
                                Gauge.MAX_POOL_SIZE),
                        upDown(
                                "hotpath.executor.instance.count",
                                "{executor}",
                                "Live executors created at the site (at most 256 tracked per site).",
                                Gauge.INSTANCES),
                        histogram("hotpath.executor.task.duration", "s", "How long a task ran.", Dist.LATENCY),
                        histogram(
                                "hotpath.executor.task.wait.duration",
                                "s",
                                "How long a task waited in the work queue before it started.",
                                Dist.WAIT)));

        for (PathKind kind : new PathKind[] {PathKind.METHOD, PathKind.BROADCAST, PathKind.IPC}) {
            final String ns = "hotpath." + kind.label() + ".";
            final String sizeUnit = kind == PathKind.IPC ? "By" : kind == PathKind.BROADCAST ? "{recipient}" : "1";
            final List<Metric> metrics = new ArrayList<>(List.of(
                    counter(ns + "calls", "{call}", "Calls of the instrumented operation.", Slot.CALLS),
                    counter(ns + "errors", "{call}", "Calls that threw.", Slot.ERRORS),
                    counter(ns + "messages.sent", "{message}", "Messages sent.", Slot.IN),
                    counter(ns + "messages.received", "{message}", "Messages received.", Slot.OUT),
                    counter(ns + "fanouts", "{send}", "Fan-out sends.", Slot.BATCHES),
                    counter(
                            ns + "fanout.recipients",
                            "{recipient}",
                            "Recipients reached by fan-out sends.",
                            Slot.BATCH_ITEMS),
                    io(ns + "io", "Bytes written (transmit) and read (receive).", Slot.BYTES_OUT, "transmit"),
                    io(ns + "io", "Bytes written (transmit) and read (receive).", Slot.BYTES_IN, "receive"),
                    counter(ns + "writes.partial", "{write}", "Writes that accepted less than offered.", Slot.PARTIAL),
                    counter(ns + "connections.opened", "{connection}", "Connections opened.", Slot.OPENED),
                    counter(ns + "connections.closed", "{connection}", "Connections closed.", Slot.CLOSED),
                    upDown(ns + "instance.count", "{instance}", "Live instances tracked at the site.", Gauge.INSTANCES),
                    histogram(ns + "duration", "s", "How long a call took.", Dist.LATENCY),
                    histogram(
                            ns + "wait.duration",
                            "s",
                            "How long a call waited; for a fan-out, until every recipient's write completed.",
                            Dist.WAIT),
                    histogram(
                            ns + "size",
                            sizeUnit,
                            "Size per call: recipients per fan-out, bytes per write.",
                            Dist.SIZE)));
            // The dropped slot is named for what it counts in each kind, as the dump names it (report.KindCounters):
            // recipients whose write failed for a fan-out, sends the transport refused for lack of room for IPC
            // (nothing was dropped by us); a method probe never writes it.
            if (kind == PathKind.BROADCAST) {
                metrics.add(counter(
                        ns + "recipients.failed",
                        "{recipient}",
                        "Recipients of a fan-out send whose write failed.",
                        Slot.DROPPED));
            }
            if (kind == PathKind.IPC) {
                metrics.add(counter(
                        ns + "sends.back_pressured",
                        "{call}",
                        "Sends the transport refused for lack of room (Aeron BACK_PRESSURED, a datagram send that"
                                + " took nothing); nothing was dropped by hotpath.",
                        Slot.DROPPED));
                metrics.add(counter(
                        ns + "sends.not_connected",
                        "{call}",
                        "Sends refused because nothing is connected (Aeron NOT_CONNECTED).",
                        Slot.NOT_CONNECTED));
                metrics.add(counter(
                        ns + "sends.admin_action",
                        "{call}",
                        "Sends to retry after an administrative action (Aeron ADMIN_ACTION).",
                        Slot.ADMIN_ACTION));
                metrics.add(counter(
                        ns + "sends.closed",
                        "{call}",
                        "Sends refused because the publication or channel is closed.",
                        Slot.SEND_CLOSED));
                metrics.add(counter(
                        ns + "sends.max_position",
                        "{call}",
                        "Sends refused because the stream reached its maximum position (Aeron"
                                + " MAX_POSITION_EXCEEDED).",
                        Slot.MAX_POSITION));
                metrics.add(counter(
                        ns + "unwritable",
                        "{event}",
                        "Times a channel became unwritable (Netty: outbound buffer over its high mark).",
                        Slot.UNWRITABLE));
                metrics.add(upDown(
                        ns + "pending",
                        "By",
                        "Bytes queued for writing and not yet written (Netty: the live channels' outbound buffers).",
                        Gauge.PENDING_BYTES));
                metrics.add(upDown(
                        ns + "lag",
                        "By",
                        "Bytes the slowest subscriber of the stream is behind its publisher (Aeron: publication"
                                + " position minus the lowest subscriber position).",
                        Gauge.LAG));
            }
            BY_KIND.put(kind, List.copyOf(metrics));
        }
    }

    /** Probe-table registrations refused because the table was full (self-monitoring). */
    public static final Metric REJECTED_REGISTRATIONS = add(
            "hotpath.probe.registration.rejected",
            Shape.COUNTER,
            "{probe}",
            "Sites that found the probe table full (hotpath.probes.max) and share the hotpath.overflow probe.",
            Source.COUNTER,
            -1,
            null);

    /** Probes beyond hotpath.export.probes.max, exported together in the overflow series (self-monitoring). */
    public static final Metric FOLDED_PROBES = add(
            "hotpath.export.probe.folded",
            Shape.UP_DOWN_COUNTER,
            "{probe}",
            "Probes beyond hotpath.export.probes.max, exported together under otel.metric.overflow=true.",
            Source.GAUGE,
            -1,
            null);

    private MetricCatalog() {}

    /** The metrics of one probe kind, in output order. */
    public static List<Metric> of(PathKind kind) {
        return BY_KIND.get(kind);
    }

    /** Every metric, each once (the two directions of an {@code .io} metric are two entries of one name). */
    public static List<Metric> all() {
        return List.copyOf(ALL);
    }

    static int size() {
        return ALL.size();
    }

    private static Metric counter(String name, String unit, String description, int slot) {
        return add(name, Shape.COUNTER, unit, description, Source.COUNTER, slot, null);
    }

    private static Metric io(String name, String description, int slot, String direction) {
        return add(name, Shape.COUNTER, "By", description, Source.COUNTER, slot, direction);
    }

    private static Metric upDown(String name, String unit, String description, int gauge) {
        return add(name, Shape.UP_DOWN_COUNTER, unit, description, Source.GAUGE, gauge, null);
    }

    private static Metric histogram(String name, String unit, String description, int dist) {
        return add(name, Shape.HISTOGRAM, unit, description, Source.DIST, dist, null);
    }

    private static Metric add(
            String name, Shape shape, String unit, String description, Source source, int index, String direction) {
        final Metric m = new Metric(ALL.size(), name, shape, unit, description, source, index, direction);
        ALL.add(m);
        return m;
    }
}
