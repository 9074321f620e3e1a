package io.hotpath.exporter.metrics;

import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.Snapshot;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * The analyzer's health as two gauges, read once per export from a {@link HealthReading}:
 *
 * <ul>
 *   <li>{@code hotpath.health} (1): overall health 0..1 as one point without attributes, and one point per probe
 *       with {@code hotpath.probe.name} and {@code hotpath.probe.kind} (1 for a probe without active findings); the
 *       probes past the export cap share one point with {@code otel.metric.overflow=true} holding their lowest health;
 *   <li>{@code hotpath.health.state} (1): one point per band ({@code hotpath.health.state} = {@code healthy},
 *       {@code degraded}, {@code unhealthy}), 1 for the current overall band and 0 for the others, the convention
 *       for a state as a metric.
 * </ul>
 */
final class HealthMetrics {
    static final String HEALTH = "hotpath.health";
    static final String STATE = "hotpath.health.state";
    static final AttributeKey<String> STATE_KEY = AttributeKey.stringKey("hotpath.health.state");

    private HealthMetrics() {}

    /** {@code hotpath.health}: the overall point, one point per probe up to the cap, and the overflow point. */
    static MetricData health(
            HealthReading reading,
            Snapshot snapshot,
            Resource resource,
            InstrumentationScopeInfo scope,
            int maxProbes,
            long startEpochNanos) {
        final long epochNanos = snapshot.epochMillis() * 1_000_000L;
        final List<DoublePointData> health = new ArrayList<>();
        health.add(point(startEpochNanos, epochNanos, Attributes.empty(), reading.overall()));
        double folded = 2; // above any health: none folded yet
        for (ProbeSample sample : snapshot.probes()) {
            if (sample.id() == Probes.OVERFLOW_ID) {
                continue;
            }
            final double h = reading.probes().getOrDefault(sample.name(), 1.0);
            if (sample.id() <= maxProbes) {
                health.add(point(
                        startEpochNanos,
                        epochNanos,
                        Attributes.of(
                                SnapshotConverter.PROBE_NAME,
                                sample.name(),
                                SnapshotConverter.PROBE_KIND,
                                sample.kind().label()),
                        h));
            } else {
                folded = Math.min(folded, h);
            }
        }
        if (folded <= 1) {
            health.add(point(startEpochNanos, epochNanos, SnapshotConverter.OVERFLOW, folded));
        }
        return new SnapshotMetric(
                resource,
                scope,
                HEALTH,
                "Health score 0..1 of the analyzer: overall (no attributes) and per probe; healthy > 0.8,"
                        + " degraded 0.5-0.8, unhealthy <= 0.5",
                "1",
                MetricDataType.DOUBLE_GAUGE,
                GaugeData.createDoubleGaugeData(health));
    }

    /** {@code hotpath.health.state}: one point per band, 1 for the current one. */
    static MetricData state(
            HealthReading reading,
            Snapshot snapshot,
            Resource resource,
            InstrumentationScopeInfo scope,
            long startEpochNanos) {
        final long epochNanos = snapshot.epochMillis() * 1_000_000L;
        final List<LongPointData> states = new ArrayList<>();
        for (String s : HealthReading.STATES) {
            states.add(LongPointData.create(
                    startEpochNanos, epochNanos, Attributes.of(STATE_KEY, s), s.equals(reading.state()) ? 1 : 0));
        }
        return new SnapshotMetric(
                resource,
                scope,
                STATE,
                "Overall health band of the analyzer: 1 for the current state, 0 for the others",
                "1",
                MetricDataType.LONG_GAUGE,
                GaugeData.createLongGaugeData(states));
    }

    private static DoublePointData point(long start, long epoch, Attributes attributes, double value) {
        return DoublePointData.create(start, epoch, attributes, value, List.of());
    }
}
