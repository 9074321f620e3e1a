package io.hotpath.exporter.metrics;

import io.hotpath.bootstrap.snapshot.Snapshot;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's own cost as gauges without attributes, read once per export from a {@link SelfReading}:
 * {@code hotpath.agent.cpu.time} (s), {@code hotpath.agent.cpu.utilization} (1),
 * {@code hotpath.agent.memory.allocated} (By) and {@code hotpath.agent.recording.time} (s, estimated).
 */
final class SelfMetrics {
    static final String CPU_TIME = "hotpath.agent.cpu.time";
    static final String CPU_UTILIZATION = "hotpath.agent.cpu.utilization";
    static final String ALLOCATED = "hotpath.agent.memory.allocated";
    static final String RECORDING_TIME = "hotpath.agent.recording.time";

    private SelfMetrics() {}

    static List<MetricData> all(
            SelfReading r,
            Snapshot snapshot,
            io.opentelemetry.sdk.resources.Resource resource,
            InstrumentationScopeInfo scope,
            long startEpochNanos) {
        final long epochNanos = snapshot.epochMillis() * 1_000_000L;
        final List<MetricData> out = new ArrayList<>(4);
        out.add(gauge(
                resource,
                scope,
                CPU_TIME,
                "CPU time of the agent's own threads since it started",
                "s",
                startEpochNanos,
                epochNanos,
                r.cpuSeconds()));
        out.add(gauge(
                resource,
                scope,
                CPU_UTILIZATION,
                "CPU of the agent's own threads over the last second, in cores (0.01 is 1 % of one core)",
                "1",
                startEpochNanos,
                epochNanos,
                r.backgroundCores()));
        if (r.allocatedBytes() >= 0) {
            out.add(new SnapshotMetric(
                    resource,
                    scope,
                    ALLOCATED,
                    "Heap allocated by the agent's own threads since it started",
                    "By",
                    MetricDataType.LONG_GAUGE,
                    GaugeData.createLongGaugeData(List.of(LongPointData.create(
                            startEpochNanos, epochNanos, Attributes.empty(), r.allocatedBytes())))));
        }
        out.add(gauge(
                resource,
                scope,
                RECORDING_TIME,
                "Estimated CPU time the application's threads spent recording since the agent started: operations"
                        + " recorded times a per-operation cost calibrated on this machine",
                "s",
                startEpochNanos,
                epochNanos,
                r.recordingSeconds()));
        return out;
    }

    private static MetricData gauge(
            io.opentelemetry.sdk.resources.Resource resource,
            InstrumentationScopeInfo scope,
            String name,
            String description,
            String unit,
            long start,
            long epoch,
            double value) {
        return new SnapshotMetric(
                resource,
                scope,
                name,
                description,
                unit,
                MetricDataType.DOUBLE_GAUGE,
                GaugeData.createDoubleGaugeData(
                        List.of(DoublePointData.create(start, epoch, Attributes.empty(), value, List.of()))));
    }
}
