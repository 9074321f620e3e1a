package io.hotpath.exporter.metrics;

import io.hotpath.bootstrap.BucketHistogram;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.List;

/**
 * A batch with one metric of each shape the agent exports (counter, exponential histogram, long and double gauge),
 * built like the real ones, with made-up names and values. It is only ever encoded into a sender that discards it
 * (see {@code io.hotpath.exporter.otlp.MarshalWarmUp}), never sent.
 */
public final class WarmUpBatch {
    private WarmUpBatch() {}

    /** The batch, for {@code resource} and {@code scope}. */
    public static List<MetricData> of(Resource resource, InstrumentationScopeInfo scope, long startEpochNanos) {
        final long now = Math.max(startEpochNanos, System.currentTimeMillis() * 1_000_000L);
        final Attributes probe =
                Attributes.of(SnapshotConverter.PROBE_NAME, "warm.up#probe", SnapshotConverter.PROBE_KIND, "queue");
        final long[] counts = new long[BucketHistogram.SUM_INDEX + 1];
        counts[1] = 1;
        counts[BucketHistogram.BUCKETS - 1] = 1;
        counts[BucketHistogram.SUM_INDEX] = 1_000;
        return List.of(
                new SnapshotMetric(
                        resource,
                        scope,
                        "hotpath.warm.up.calls",
                        "",
                        "{call}",
                        MetricDataType.LONG_SUM,
                        SumData.createLongSumData(
                                true,
                                AggregationTemporality.CUMULATIVE,
                                List.of(LongPointData.create(startEpochNanos, now, probe, 1)))),
                new SnapshotMetric(
                        resource,
                        scope,
                        "hotpath.warm.up.latency",
                        "",
                        "s",
                        MetricDataType.EXPONENTIAL_HISTOGRAM,
                        ExponentialHistogramData.create(
                                AggregationTemporality.CUMULATIVE,
                                List.of(ExponentialHistograms.point(counts, true, 160, startEpochNanos, now, probe)))),
                new SnapshotMetric(
                        resource,
                        scope,
                        "hotpath.warm.up.state",
                        "",
                        "1",
                        MetricDataType.LONG_GAUGE,
                        GaugeData.createLongGaugeData(
                                List.of(LongPointData.create(startEpochNanos, now, Attributes.empty(), 1)))),
                new SnapshotMetric(
                        resource,
                        scope,
                        "hotpath.warm.up.ratio",
                        "",
                        "1",
                        MetricDataType.DOUBLE_GAUGE,
                        GaugeData.createDoubleGaugeData(
                                List.of(DoublePointData.create(startEpochNanos, now, probe, 0.5, List.of())))));
    }
}
