package io.hotpath.exporter.metrics;

import io.hotpath.bootstrap.BucketHistogram;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.Snapshot;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link Snapshot} into OpenTelemetry metric data: every counter a cumulative sum, every gauge an up-down sum,
 * every distribution an exponential histogram, one point per probe, attributed with {@code hotpath.probe.name} and
 * {@code hotpath.probe.kind}.
 *
 * <p><b>Exact across outages.</b> The core's counters are cumulative since the probe was registered and the start time
 * of every point is the agent's start, so each export carries the whole total. An export the receiver never got loses
 * nothing: the next one carries it.
 *
 * <p><b>Bounded cardinality.</b> The first {@code maxProbes} probes by id (ids are handed out in registration order and
 * never reused, so the set is stable for the life of the JVM) get their own series. Later probes are added up into one
 * series per metric with the single attribute {@code otel.metric.overflow=true}, the SDK's own convention for
 * cardinality overflow, and counted in {@code hotpath.export.probe.folded}. Everything is additive, so the overflow
 * series stays cumulative and exact. The core's own overflow probe ({@code hotpath.overflow}) is exported only once it
 * recorded something.
 *
 * <p>One converter belongs to one exporting thread (it caches attributes per probe id).
 */
public final class SnapshotConverter {
    /** Attribute key of the probe name. */
    public static final AttributeKey<String> PROBE_NAME = AttributeKey.stringKey("hotpath.probe.name");

    /** Attribute key of the probe kind. */
    public static final AttributeKey<String> PROBE_KIND = AttributeKey.stringKey("hotpath.probe.kind");

    /** Attribute key of the byte direction of {@code .io} metrics (semantic convention). */
    public static final AttributeKey<String> IO_DIRECTION = AttributeKey.stringKey("network.io.direction");

    /** The attributes of the series that probes beyond the cap share. */
    public static final Attributes OVERFLOW = Attributes.of(AttributeKey.booleanKey("otel.metric.overflow"), true);

    private static final List<MetricCatalog.Metric> METRICS = MetricCatalog.all();

    /** For every metric ordinal, the ordinal of the first metric with the same name (the two {@code .io} entries). */
    private static final int[] GROUP = groups();

    private final InstrumentationScopeInfo scope;
    private final int maxProbes;
    private final int maxBuckets;
    private final long startEpochNanos;

    /** Attributes by probe id; index 0 plain, 1 transmit, 2 receive. Grown on demand. */
    private Attributes[][] attributes = new Attributes[0][];

    /**
     * @param scope the instrumentation scope of every metric
     * @param maxProbes probes (besides the core's overflow probe) with their own series
     * @param maxBuckets most buckets per exponential histogram point
     * @param startEpochNanos start of every cumulative series: the agent's start
     */
    public SnapshotConverter(InstrumentationScopeInfo scope, int maxProbes, int maxBuckets, long startEpochNanos) {
        this.scope = scope;
        this.maxProbes = maxProbes;
        this.maxBuckets = maxBuckets;
        this.startEpochNanos = startEpochNanos;
    }

    /** The analyzer's overall and per-probe health as {@code hotpath.health}, next to this snapshot's probes. */
    MetricData health(HealthReading reading, Snapshot snapshot, Resource resource) {
        return HealthMetrics.health(reading, snapshot, resource, scope, maxProbes, startEpochNanos);
    }

    /** The analyzer's overall band as {@code hotpath.health.state}. */
    MetricData healthState(HealthReading reading, Snapshot snapshot, Resource resource) {
        return HealthMetrics.state(reading, snapshot, resource, scope, startEpochNanos);
    }

    /** The agent's own cost as the {@code hotpath.agent.*} gauges. */
    List<MetricData> self(SelfReading reading, Snapshot snapshot, Resource resource) {
        return SelfMetrics.all(reading, snapshot, resource, scope, startEpochNanos);
    }

    /** Converts one snapshot; the result lists each metric name once, in catalog order. */
    public List<MetricData> convert(Snapshot snapshot, Resource resource) {
        final long epochNanos = snapshot.epochMillis() * 1_000_000L;
        final int n = METRICS.size();
        final List<List<PointData>> points = new ArrayList<>(Collections.nCopies(n, null));
        final long[] foldedValue = new long[n];
        final boolean[] folded = new boolean[n];
        final long[][] foldedDist = new long[n][];
        long foldedProbes = 0;

        for (ProbeSample sample : snapshot.probes()) {
            if (sample.id() == Probes.OVERFLOW_ID && idle(sample)) {
                continue;
            }
            final boolean own = sample.id() <= maxProbes;
            if (!own) {
                foldedProbes++;
            }
            for (MetricCatalog.Metric m : MetricCatalog.of(sample.kind())) {
                final int o = m.ordinal();
                switch (m.source()) {
                    case COUNTER, GAUGE -> {
                        final boolean counter = m.source() == MetricCatalog.Source.COUNTER;
                        final long v = counter ? sample.counter(m.index()) : sample.gauge(m.index());
                        if (!counter && v == Gauge.ABSENT) {
                            continue;
                        }
                        if (own) {
                            add(points, o, LongPointData.create(startEpochNanos, epochNanos, attributes(sample, m), v));
                        } else {
                            foldedValue[o] += v;
                            folded[o] = true;
                        }
                    }
                    case DIST -> {
                        final long[] d = sample.dist(m.index());
                        if (d == null) {
                            continue;
                        }
                        if (own) {
                            add(points, o, histogram(d, m, attributes(sample, m), epochNanos));
                        } else {
                            if (foldedDist[o] == null) {
                                foldedDist[o] = new long[BucketHistogram.LENGTH];
                            }
                            final long[] sum = foldedDist[o];
                            for (int i = 0; i < sum.length; i++) {
                                sum[i] += d[i];
                            }
                            folded[o] = true;
                        }
                    }
                }
            }
        }

        if (foldedProbes > 0) {
            for (MetricCatalog.Metric m : METRICS) {
                final int o = m.ordinal();
                if (!folded[o]) {
                    continue;
                }
                final Attributes attrs = m.direction() == null
                        ? OVERFLOW
                        : OVERFLOW.toBuilder().put(IO_DIRECTION, m.direction()).build();
                add(
                        points,
                        o,
                        m.source() == MetricCatalog.Source.DIST
                                ? histogram(foldedDist[o], m, attrs, epochNanos)
                                : LongPointData.create(startEpochNanos, epochNanos, attrs, foldedValue[o]));
            }
        }
        add(
                points,
                MetricCatalog.REJECTED_REGISTRATIONS.ordinal(),
                LongPointData.create(
                        startEpochNanos, epochNanos, Attributes.empty(), snapshot.rejectedRegistrations()));
        add(
                points,
                MetricCatalog.FOLDED_PROBES.ordinal(),
                LongPointData.create(startEpochNanos, epochNanos, Attributes.empty(), foldedProbes));

        final List<MetricData> out = new ArrayList<>();
        for (MetricCatalog.Metric m : METRICS) {
            final List<PointData> p = points.get(m.ordinal());
            if (p != null) {
                out.add(metric(m, p, resource));
            }
        }
        final MetricData tunables = TunableValues.metric(resource, scope, epochNanos);
        if (tunables != null) {
            out.add(tunables);
        }
        return out;
    }

    private ExponentialHistogramPointData histogram(
            long[] counts, MetricCatalog.Metric m, Attributes attrs, long epochNanos) {
        return ExponentialHistograms.point(counts, m.nanosToSeconds(), maxBuckets, startEpochNanos, epochNanos, attrs);
    }

    @SuppressWarnings("unchecked")
    private MetricData metric(MetricCatalog.Metric m, List<PointData> p, Resource resource) {
        final boolean histogram = m.shape() == MetricCatalog.Shape.HISTOGRAM;
        final Data<?> data = histogram
                ? ExponentialHistogramData.create(
                        AggregationTemporality.CUMULATIVE, (List<ExponentialHistogramPointData>) (List<?>) p)
                : SumData.createLongSumData(
                        m.shape() == MetricCatalog.Shape.COUNTER,
                        AggregationTemporality.CUMULATIVE,
                        (List<LongPointData>) (List<?>) p);
        return new SnapshotMetric(
                resource,
                scope,
                m.name(),
                m.description(),
                m.unit(),
                histogram ? MetricDataType.EXPONENTIAL_HISTOGRAM : MetricDataType.LONG_SUM,
                data);
    }

    private static void add(List<List<PointData>> points, int ordinal, PointData point) {
        final int g = GROUP[ordinal];
        List<PointData> list = points.get(g);
        if (list == null) {
            list = new ArrayList<>();
            points.set(g, list);
        }
        list.add(point);
    }

    private Attributes attributes(ProbeSample sample, MetricCatalog.Metric m) {
        final int id = sample.id();
        if (id >= attributes.length) {
            attributes = Arrays.copyOf(attributes, Math.max(id + 1, attributes.length * 2));
        }
        Attributes[] cached = attributes[id];
        // A probe's name and kind never change, but guard against a stale cache entry all the same.
        if (cached == null || !sample.name().equals(cached[0].get(PROBE_NAME))) {
            cached = new Attributes[3];
            cached[0] = Attributes.of(
                    PROBE_NAME, sample.name(), PROBE_KIND, sample.kind().label());
            attributes[id] = cached;
        }
        if (m.direction() == null) {
            return cached[0];
        }
        final int slot = m.direction().equals("transmit") ? 1 : 2;
        if (cached[slot] == null) {
            cached[slot] =
                    cached[0].toBuilder().put(IO_DIRECTION, m.direction()).build();
        }
        return cached[slot];
    }

    private static boolean idle(ProbeSample sample) {
        for (long c : sample.counters()) {
            if (c != 0) {
                return false;
            }
        }
        return true;
    }

    private static int[] groups() {
        final int[] g = new int[METRICS.size()];
        final Map<String, Integer> first = new HashMap<>();
        for (MetricCatalog.Metric m : METRICS) {
            g[m.ordinal()] = first.computeIfAbsent(m.name(), k -> m.ordinal());
        }
        return g;
    }
}
