package io.hotpath.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Collection;
import org.junit.jupiter.api.Test;

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
