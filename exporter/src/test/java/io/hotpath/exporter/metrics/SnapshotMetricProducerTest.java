package io.hotpath.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.exporter.ExportLog;
import io.hotpath.exporter.RecordingLog;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The producer through the real SDK hook: registered in an SdkMeterProvider, read by a metric reader. */
class SnapshotMetricProducerTest {
    @Test
    void theSdkReadsTheCoresCumulativeTotalsThroughTheProducerHook() {
        final Probe probe =
                Probes.register("test.ProducerTest.queue", PathKind.QUEUE, Dist.bit(Dist.WAIT) | Dist.bit(Dist.SIZE));
        probe.add(Slot.IN, 41);
        probe.add(Slot.OUT, 40);
        probe.record(Dist.WAIT, 5_000);
        final InMemoryMetricReader reader = InMemoryMetricReader.create();
        final Resource resource =
                Resource.builder().put("service.name", "producer-test").build();
        final SdkMeterProvider provider = SdkMeterProvider.builder()
                .setResource(resource)
                .registerMetricReader(reader)
                .registerMetricProducer(new SnapshotMetricProducer(
                        new SnapshotConverter(InstrumentationScopeInfo.create("io.hotpath"), 2000, 320, 42L)))
                .build();
        try {
            assertThat(enqueued(reader.collectAllMetrics())).isEqualTo(41);
            probe.increment(Slot.IN);
            final Collection<MetricData> second = reader.collectAllMetrics();
            assertThat(enqueued(second)).as("cumulative, not delta").isEqualTo(42);
            assertThat(second).allMatch(m -> m.getResource().equals(resource));
            final ExponentialHistogramPointData wait = second.stream()
                    .filter(m -> m.getName().equals("hotpath.queue.consumer.wait.duration"))
                    .flatMap(m -> m.getExponentialHistogramData().getPoints().stream())
                    .filter(p ->
                            "test.ProducerTest.queue".equals(p.getAttributes().get(SnapshotConverter.PROBE_NAME)))
                    .findFirst()
                    .orElseThrow();
            assertThat(wait.getCount()).isEqualTo(1);
            assertThat(wait.getStartEpochNanos()).isEqualTo(42L);
        } finally {
            provider.close();
        }
    }

    @Test
    void healthGoesOutAsGaugesOverallPerProbeAndState() {
        final Probe slow = Probes.register("test.ProducerTest.slowQueue", PathKind.QUEUE, 0);
        final Probe fine = Probes.register("test.ProducerTest.fineQueue", PathKind.QUEUE, 0);
        slow.add(Slot.IN, 1);
        fine.add(Slot.IN, 1);
        final java.util.concurrent.atomic.AtomicReference<HealthReading> health =
                new java.util.concurrent.atomic.AtomicReference<>();
        final InMemoryMetricReader reader = InMemoryMetricReader.create();
        final SdkMeterProvider provider = SdkMeterProvider.builder()
                .registerMetricReader(reader)
                .registerMetricProducer(new SnapshotMetricProducer(
                        new SnapshotConverter(InstrumentationScopeInfo.create("io.hotpath"), 2000, 320, 42L),
                        health::get,
                        ExportLog.silent()))
                .build();
        try {
            assertThat(reader.collectAllMetrics())
                    .as("no health before the analyzer's first tick")
                    .noneMatch(m -> m.getName().startsWith("hotpath.health"));
            health.set(new HealthReading(0.62, "degraded", java.util.Map.of("test.ProducerTest.slowQueue", 0.62)));
            final Collection<MetricData> got = reader.collectAllMetrics();
            final MetricData h = got.stream()
                    .filter(m -> m.getName().equals("hotpath.health"))
                    .findFirst()
                    .orElseThrow();
            assertThat(h.getType()).isEqualTo(io.opentelemetry.sdk.metrics.data.MetricDataType.DOUBLE_GAUGE);
            assertThat(h.getDoubleGaugeData().getPoints())
                    .filteredOn(p -> p.getAttributes().isEmpty())
                    .singleElement()
                    .satisfies(p -> assertThat(p.getValue()).isEqualTo(0.62));
            assertThat(h.getDoubleGaugeData().getPoints())
                    .filteredOn(p -> "test.ProducerTest.slowQueue"
                            .equals(p.getAttributes().get(SnapshotConverter.PROBE_NAME)))
                    .singleElement()
                    .satisfies(p -> {
                        assertThat(p.getValue()).isEqualTo(0.62);
                        assertThat(p.getAttributes().get(SnapshotConverter.PROBE_KIND))
                                .isEqualTo("queue");
                    });
            assertThat(h.getDoubleGaugeData().getPoints())
                    .filteredOn(p -> "test.ProducerTest.fineQueue"
                            .equals(p.getAttributes().get(SnapshotConverter.PROBE_NAME)))
                    .singleElement()
                    .satisfies(p -> assertThat(p.getValue()).isEqualTo(1.0));
            final MetricData state = got.stream()
                    .filter(m -> m.getName().equals("hotpath.health.state"))
                    .findFirst()
                    .orElseThrow();
            assertThat(state.getLongGaugeData().getPoints())
                    .extracting(p -> p.getAttributes().get(HealthMetrics.STATE_KEY) + "=" + p.getValue())
                    .containsExactlyInAnyOrder("healthy=0", "degraded=1", "unhealthy=0");
        } finally {
            provider.close();
        }
    }

    @Test
    void aBrokenHealthReadingLeavesOnlyHealthOutAndIsLoggedOnce() {
        final Probe probe = Probes.register("test.ProducerTest.brokenHealthQueue", PathKind.QUEUE, 0);
        probe.add(Slot.IN, 7);
        final List<String> warnings = new ArrayList<>();
        final InMemoryMetricReader reader = InMemoryMetricReader.create();
        final SdkMeterProvider provider = SdkMeterProvider.builder()
                .registerMetricReader(reader)
                .registerMetricProducer(new SnapshotMetricProducer(
                        new SnapshotConverter(InstrumentationScopeInfo.create("io.hotpath"), 2000, 320, 42L),
                        () -> new HealthReading(Double.NaN, "healthy", Map.of()),
                        new RecordingLog(warnings)))
                .build();
        try {
            for (int i = 0; i < 3; i++) {
                final Collection<MetricData> got = reader.collectAllMetrics();
                assertThat(got).noneMatch(m -> m.getName().startsWith("hotpath.health"));
                assertThat(enqueued(got, "test.ProducerTest.brokenHealthQueue"))
                        .as("the probe metrics still go out")
                        .isEqualTo(7);
            }
            assertThat(warnings)
                    .singleElement()
                    .asString()
                    .startsWith("WARN ")
                    .contains("the analyzer's health reading", "overall health NaN is not a number from 0 to 1");
        } finally {
            provider.close();
        }
    }

    @Test
    void aHealthReadingNamesTheBadValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> new HealthReading(1.5, "healthy", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("overall health 1.5 is not a number from 0 to 1");
        assertThatThrownBy(() -> new HealthReading(0.9, "fine", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("health state 'fine' is not one of healthy, degraded, unhealthy");
        assertThatThrownBy(() -> new HealthReading(0.9, "healthy", Map.of("q", -0.1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("health -0.1 of probe q is not a number from 0 to 1");
    }

    /**
     * The OTLP reader and the Prometheus scrape share one producer and may collect at the same time while the
     * application records: every collection reads whole cumulative totals, and a point already handed out is never
     * changed by a later collection (the taker reuses its own arrays, the points own theirs).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentCollectionsSeeExactCumulativeTotalsAndKeepTheirOwnPoints() throws Exception {
        final String name = "test.ProducerTest.concurrent.queue";
        final Probe probe = Probes.register(name, PathKind.QUEUE, Dist.bit(Dist.WAIT));
        final SnapshotMetricProducer producer = new SnapshotMetricProducer(
                new SnapshotConverter(InstrumentationScopeInfo.create("io.hotpath"), 2000, 320, 42L));
        final Resource resource = Resource.empty();
        final int values = 20_000;
        final AtomicBoolean done = new AtomicBoolean();
        final Thread writer = new Thread(() -> {
            for (int i = 1; i <= values; i++) {
                probe.record(Dist.WAIT, 1_000 + (i % 1_000) * 97L);
                probe.increment(Slot.IN);
            }
            done.set(true);
        });
        final ExecutorService readers = Executors.newFixedThreadPool(2);
        try {
            writer.start();
            final List<Future<List<long[]>>> seen = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                seen.add(readers.submit(() -> {
                    // Each entry: the point's count and the sum of its buckets when collected, and the point itself.
                    final List<ExponentialHistogramPointData> points = new ArrayList<>();
                    final List<long[]> counts = new ArrayList<>();
                    boolean last = false;
                    while (!last) {
                        last = done.get();
                        final ExponentialHistogramPointData p = waitPoint(producer.produce(resource), name);
                        points.add(p);
                        counts.add(new long[] {p.getCount(), bucketTotal(p)});
                    }
                    for (int i = 0; i < points.size(); i++) {
                        assertThat(points.get(i).getCount())
                                .as("a point handed out earlier is left as it was")
                                .isEqualTo(counts.get(i)[0]);
                        assertThat(bucketTotal(points.get(i))).isEqualTo(counts.get(i)[1]);
                    }
                    return counts;
                }));
            }
            for (Future<List<long[]>> f : seen) {
                final List<long[]> counts = f.get(50, TimeUnit.SECONDS);
                long previous = 0;
                for (long[] c : counts) {
                    assertThat(c[0]).as("cumulative: never goes back").isGreaterThanOrEqualTo(previous);
                    previous = c[0];
                }
                assertThat(previous)
                        .as("the last collection after the writer stopped is exact")
                        .isEqualTo(values);
            }
            writer.join();
            final ExponentialHistogramPointData last = waitPoint(producer.produce(resource), name);
            assertThat(last.getCount()).isEqualTo(values);
            assertThat(bucketTotal(last)).isEqualTo(values);
        } finally {
            readers.shutdownNow();
        }
    }

    private static ExponentialHistogramPointData waitPoint(Collection<MetricData> metrics, String probe) {
        return metrics.stream()
                .filter(m -> m.getName().equals("hotpath.queue.consumer.wait.duration"))
                .flatMap(m -> m.getExponentialHistogramData().getPoints().stream())
                .filter(p -> probe.equals(p.getAttributes().get(SnapshotConverter.PROBE_NAME)))
                .findFirst()
                .orElseThrow();
    }

    private static long bucketTotal(ExponentialHistogramPointData p) {
        long total = p.getZeroCount();
        for (long c : p.getPositiveBuckets().getBucketCounts()) {
            total += c;
        }
        return total;
    }

    private static long enqueued(Collection<MetricData> metrics, String probe) {
        return metrics.stream()
                .filter(m -> m.getName().equals("hotpath.queue.enqueued"))
                .flatMap(m -> m.getLongSumData().getPoints().stream())
                .filter(p -> probe.equals(p.getAttributes().get(SnapshotConverter.PROBE_NAME)))
                .mapToLong(LongPointData::getValue)
                .sum();
    }

    private static long enqueued(Collection<MetricData> metrics) {
        return metrics.stream()
                .filter(m -> m.getName().equals("hotpath.queue.enqueued"))
                .flatMap(m -> m.getLongSumData().getPoints().stream())
                .filter(p -> "test.ProducerTest.queue".equals(p.getAttributes().get(SnapshotConverter.PROBE_NAME)))
                .mapToLong(LongPointData::getValue)
                .findFirst()
                .orElseThrow();
    }
}
