package io.hotpath.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.BucketHistogram;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.Snapshot;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SnapshotConverterTest {
    private static final long START = 1_700_000_000_000_000_000L;
    private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("io.hotpath");
    private static final Resource RESOURCE = Resource.empty();

    @Test
    void countersAreCumulativeMonotonicSumsWithExactValuesUnitsAndAttributes() {
        final ProbeSample queue = queue(1, "com.acme.Broadcaster.ingress", 82_400, 60_000, 24);
        final List<MetricData> metrics = convert(2000, queue);

        final MetricData enqueued = metric(metrics, "hotpath.queue.enqueued");
        assertThat(enqueued.getType()).isEqualTo(MetricDataType.LONG_SUM);
        assertThat(enqueued.getUnit()).isEqualTo("{message}");
        assertThat(enqueued.getLongSumData().isMonotonic()).isTrue();
        assertThat(enqueued.getLongSumData().getAggregationTemporality()).isEqualTo(AggregationTemporality.CUMULATIVE);
        final LongPointData point =
                enqueued.getLongSumData().getPoints().iterator().next();
        assertThat(point.getValue()).isEqualTo(82_400);
        assertThat(point.getStartEpochNanos()).isEqualTo(START);
        assertThat(point.getEpochNanos()).isEqualTo(5_000L * 1_000_000L);
        assertThat(point.getAttributes())
                .isEqualTo(Attributes.of(
                        SnapshotConverter.PROBE_NAME,
                        "com.acme.Broadcaster.ingress",
                        SnapshotConverter.PROBE_KIND,
                        "queue"));
        assertThat(value(metrics, "hotpath.queue.dequeued", "com.acme.Broadcaster.ingress"))
                .isEqualTo(60_000);
        assertThat(value(metrics, "hotpath.queue.dropped", "com.acme.Broadcaster.ingress"))
                .isEqualTo(24);
        assertThat(value(metrics, "hotpath.queue.removed", "com.acme.Broadcaster.ingress"))
                .isZero();
        assertThat(metric(metrics, "hotpath.queue.enqueued").getInstrumentationScopeInfo())
                .isEqualTo(SCOPE);
    }

    @Test
    void gaugesAreNonMonotonicSumsAndAbsentOnesAreLeftOut() {
        final List<MetricData> metrics = convert(2000, queue(1, "q", 10, 4, 0), executor(2, "pool", 7));
        final MetricData depth = metric(metrics, "hotpath.queue.depth");
        assertThat(depth.getLongSumData().isMonotonic()).isFalse();
        assertThat(value(metrics, "hotpath.queue.depth", "q")).isEqualTo(6);
        assertThat(value(metrics, "hotpath.executor.thread.count", "pool")).isEqualTo(7);
        // The queue has no pool gauges, the pool no queue ones.
        assertThat(metric(metrics, "hotpath.executor.thread.count").getData().getPoints())
                .hasSize(1);
    }

    @Test
    void distributionsAreExponentialHistogramsInSeconds() {
        final ProbeSample q = queue(1, "q", 10, 10, 0);
        final List<MetricData> metrics = convert(2000, q);
        final MetricData wait = metric(metrics, "hotpath.queue.consumer.wait.duration");
        assertThat(wait.getType()).isEqualTo(MetricDataType.EXPONENTIAL_HISTOGRAM);
        assertThat(wait.getUnit()).isEqualTo("s");
        assertThat(wait.getExponentialHistogramData().getAggregationTemporality())
                .isEqualTo(AggregationTemporality.CUMULATIVE);
        final ExponentialHistogramPointData p =
                wait.getExponentialHistogramData().getPoints().iterator().next();
        assertThat(p.getCount()).isEqualTo(3);
        assertThat(p.getSum()).isEqualTo((1_000 + 2_000 + 1_000_000) * 1e-9);
        final ExponentialHistogramPointData size =
                (ExponentialHistogramPointData) metric(metrics, "hotpath.queue.batch.size")
                        .getData()
                        .getPoints()
                        .iterator()
                        .next();
        assertThat(size.getSum()).isEqualTo(5 + 7);
        assertThat(metric(metrics, "hotpath.queue.batch.size").getUnit()).isEqualTo("{message}");
    }

    @Test
    void probesBeyondTheCapAreAddedUpIntoTheOverflowSeriesAndCounted() {
        final List<MetricData> metrics = convert(
                2,
                queue(1, "a", 1, 0, 0),
                queue(2, "b", 10, 0, 0),
                queue(3, "c", 100, 0, 1),
                queue(4, "d", 1000, 0, 2));
        final MetricData enqueued = metric(metrics, "hotpath.queue.enqueued");
        final Map<Attributes, Long> byAttributes = enqueued.getLongSumData().getPoints().stream()
                .collect(Collectors.toMap(LongPointData::getAttributes, LongPointData::getValue));
        assertThat(byAttributes).hasSize(3);
        assertThat(byAttributes.get(SnapshotConverter.OVERFLOW)).isEqualTo(1100);
        assertThat(value(metrics, "hotpath.queue.dropped", null)).isEqualTo(3);
        final ExponentialHistogramPointData foldedWait =
                metric(metrics, "hotpath.queue.consumer.wait.duration")
                        .getExponentialHistogramData()
                        .getPoints()
                        .stream()
                        .filter(p -> p.getAttributes().equals(SnapshotConverter.OVERFLOW))
                        .findFirst()
                        .orElseThrow();
        assertThat(foldedWait.getCount()).isEqualTo(6);
        assertThat(value(metrics, "hotpath.export.probe.folded", null)).isEqualTo(2);
        assertThat(enqueued.getLongSumData().getPoints())
                .allSatisfy(p -> assertThat(p.getAttributes().get(AttributeKey.booleanKey("otel.metric.overflow")))
                        .isIn(null, true));
    }

    @Test
    void theCoresOverflowProbeIsExportedOnlyOnceItRecordedSomething() {
        final ProbeSample idle = method(0, "hotpath.overflow", 0);
        assertThat(convert(2000, idle)).noneMatch(m -> m.getName().startsWith("hotpath.method."));
        final List<MetricData> busy = convert(2000, method(0, "hotpath.overflow", 5));
        assertThat(value(busy, "hotpath.method.calls", "hotpath.overflow")).isEqualTo(5);
    }

    @Test
    void ioBytesAreOneMetricWithTheDirectionAttribute() {
        final long[] counters = new long[Slot.COUNT];
        counters[Slot.BYTES_OUT] = 300;
        counters[Slot.BYTES_IN] = 200;
        final ProbeSample ipc =
                new ProbeSample(1, "socket", PathKind.IPC, counters, new long[Dist.COUNT][], absentGauges());
        final List<MetricData> metrics = convert(2000, ipc);
        assertThat(metrics.stream().filter(m -> m.getName().equals("hotpath.ipc.io")))
                .hasSize(1);
        final Map<String, Long> byDirection = metric(metrics, "hotpath.ipc.io").getLongSumData().getPoints().stream()
                .collect(Collectors.toMap(
                        p -> p.getAttributes().get(SnapshotConverter.IO_DIRECTION), LongPointData::getValue));
        assertThat(byDirection).containsExactlyInAnyOrderEntriesOf(Map.of("transmit", 300L, "receive", 200L));
    }

    @Test
    void theDroppedCounterIsNamedPerKindAsTheDumpNamesIt() {
        final long[] ipcCounters = new long[Slot.COUNT];
        ipcCounters[Slot.DROPPED] = 7;
        final long[] fanOutCounters = new long[Slot.COUNT];
        fanOutCounters[Slot.DROPPED] = 3;
        final List<MetricData> metrics = convert(
                2000,
                new ProbeSample(
                        1,
                        "aeron.Publication#offer",
                        PathKind.IPC,
                        ipcCounters,
                        new long[Dist.COUNT][],
                        absentGauges()),
                new ProbeSample(2, "group", PathKind.BROADCAST, fanOutCounters, new long[Dist.COUNT][], absentGauges()),
                method(3, "m", 1));
        assertThat(value(metrics, "hotpath.ipc.sends.back_pressured", "aeron.Publication#offer"))
                .isEqualTo(7);
        assertThat(value(metrics, "hotpath.broadcast.recipients.failed", "group"))
                .isEqualTo(3);
        assertThat(MetricCatalog.all())
                .noneMatch(m -> m.name().contains("dropped") && !m.name().startsWith("hotpath.queue."));
        assertThat(MetricCatalog.of(PathKind.METHOD))
                .noneMatch(m -> m.index() == Slot.DROPPED && m.source() == MetricCatalog.Source.COUNTER);
    }

    @Test
    void everyMetricNameIsUniqueAndFollowsTheNamingRules() {
        final List<String> names = MetricCatalog.all().stream()
                .map(MetricCatalog.Metric::name)
                .distinct()
                .toList();
        assertThat(names).allMatch(n -> n.matches("hotpath(\\.[a-z][a-z0-9_]*)+"));
        assertThat(names).noneMatch(n -> n.endsWith("_total") || n.endsWith(".total"));
        assertThat(MetricCatalog.all())
                .filteredOn(m -> m.shape() == MetricCatalog.Shape.HISTOGRAM && m.index() != Dist.SIZE)
                .allMatch(m -> m.unit().equals("s") && m.name().endsWith("duration"));
    }

    @Test
    void tunableValuesAreOneGaugeWithAPointPerTunableOnlyWhileASourceIsSet() {
        try {
            assertThat(convert(10, queue(1, "q", 5, 3, 0)))
                    .noneMatch(m -> m.getName().equals(TunableValues.NAME));
            final Map<String, Long> values = new java.util.LinkedHashMap<>();
            values.put("batch", 64L);
            values.put("pool.core:com.acme.Dispatcher.pool", 3L);
            TunableValues.source(() -> values);
            final MetricData m = convert(10, queue(1, "q", 5, 3, 0)).stream()
                    .filter(d -> d.getName().equals(TunableValues.NAME))
                    .findFirst()
                    .orElseThrow();
            assertThat(m.getType()).isEqualTo(MetricDataType.LONG_GAUGE);
            assertThat(m.getUnit()).isEqualTo("{value}");
            assertThat(m.getLongGaugeData().getPoints())
                    .extracting(p -> p.getAttributes().get(TunableValues.TUNABLE_NAME), LongPointData::getValue)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("batch", 64L),
                            org.assertj.core.groups.Tuple.tuple("pool.core:com.acme.Dispatcher.pool", 3L));
            values.clear();
            assertThat(convert(10, queue(1, "q", 5, 3, 0)))
                    .noneMatch(d -> d.getName().equals(TunableValues.NAME));
        } finally {
            TunableValues.source(null);
        }
    }

    // ---------------------------------------------------------------- fixtures

    private static List<MetricData> convert(int maxProbes, ProbeSample... samples) {
        final SnapshotConverter converter = new SnapshotConverter(SCOPE, maxProbes, 320, START);
        return converter.convert(new Snapshot(1, 5_000, List.of(samples), 0), RESOURCE);
    }

    private static ProbeSample queue(int id, String name, long in, long out, long dropped) {
        final long[] counters = new long[Slot.COUNT];
        counters[Slot.IN] = in;
        counters[Slot.OUT] = out;
        counters[Slot.DROPPED] = dropped;
        final long[][] dists = new long[Dist.COUNT][];
        dists[Dist.LATENCY] = histogram();
        dists[Dist.WAIT] = histogram(1_000, 2_000, 1_000_000);
        dists[Dist.SIZE] = histogram(5, 7);
        final long[] gauges = absentGauges();
        gauges[Gauge.DEPTH] = in - out;
        gauges[Gauge.INSTANCES] = 1;
        return new ProbeSample(id, name, PathKind.QUEUE, counters, dists, gauges);
    }

    private static ProbeSample executor(int id, String name, long threads) {
        final long[] counters = new long[Slot.COUNT];
        final long[][] dists = new long[Dist.COUNT][];
        dists[Dist.LATENCY] = histogram(10);
        dists[Dist.WAIT] = histogram(10);
        final long[] gauges = absentGauges();
        gauges[Gauge.DEPTH] = 0;
        gauges[Gauge.ACTIVE] = 0;
        gauges[Gauge.POOL_SIZE] = threads;
        gauges[Gauge.CORE_POOL_SIZE] = threads;
        gauges[Gauge.MAX_POOL_SIZE] = threads;
        gauges[Gauge.INSTANCES] = 1;
        return new ProbeSample(id, name, PathKind.EXECUTOR, counters, dists, gauges);
    }

    private static ProbeSample method(int id, String name, long calls) {
        final long[] counters = new long[Slot.COUNT];
        counters[Slot.CALLS] = calls;
        return new ProbeSample(id, name, PathKind.METHOD, counters, new long[Dist.COUNT][], absentGauges());
    }

    private static long[] absentGauges() {
        final long[] g = new long[Gauge.COUNT];
        Arrays.fill(g, Gauge.ABSENT);
        return g;
    }

    private static long[] histogram(long... values) {
        final BucketHistogram h = new BucketHistogram();
        for (long v : values) {
            h.record(v);
        }
        final long[] out = new long[BucketHistogram.LENGTH];
        h.readCounts(out);
        return out;
    }

    private static MetricData metric(List<MetricData> metrics, String name) {
        final List<MetricData> found = new ArrayList<>();
        for (MetricData m : metrics) {
            if (m.getName().equals(name)) {
                found.add(m);
            }
        }
        assertThat(found).as(name).hasSize(1);
        return found.get(0);
    }

    /** The value of the point with this probe name, or of the overflow series when {@code probe} is null. */
    private static long value(List<MetricData> metrics, String name, String probe) {
        return metric(metrics, name).getLongSumData().getPoints().stream()
                .filter(p -> probe == null
                        ? !p.getAttributes().asMap().containsKey(SnapshotConverter.PROBE_NAME)
                        : probe.equals(p.getAttributes().get(SnapshotConverter.PROBE_NAME)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no point for " + probe + " in " + name))
                .getValue();
    }
}
