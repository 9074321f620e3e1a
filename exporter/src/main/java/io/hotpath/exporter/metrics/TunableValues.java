package io.hotpath.exporter.metrics;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The optimizer's tunables as the gauge {@code hotpath.tunable.value}: one point per tunable whose value is known,
 * attributed with {@code hotpath.tunable.name}. The agent registers where the values come from ({@link #source}); the
 * exporter module knows nothing of the optimizer. With no source (optimizer off) the metric is not exported at all.
 */
public final class TunableValues {
    /** The metric's name. */
    public static final String NAME = "hotpath.tunable.value";

    /** Attribute key of the tunable's name. */
    public static final AttributeKey<String> TUNABLE_NAME = AttributeKey.stringKey("hotpath.tunable.name");

    private static volatile Supplier<Map<String, Long>> source;

    private TunableValues() {}

    /** Sets where values come from: current value by tunable name. Null removes it. */
    public static void source(Supplier<Map<String, Long>> values) {
        source = values;
    }

    /** The gauge now, or null when there is no source or no value known yet. */
    static MetricData metric(Resource resource, InstrumentationScopeInfo scope, long epochNanos) {
        final Supplier<Map<String, Long>> s = source;
        if (s == null) {
            return null;
        }
        final Map<String, Long> values = s.get();
        if (values == null || values.isEmpty()) {
            return null;
        }
        final List<LongPointData> points = new ArrayList<>(values.size());
        for (Map.Entry<String, Long> e : values.entrySet()) {
            points.add(LongPointData.create(
                    epochNanos, epochNanos, Attributes.of(TUNABLE_NAME, e.getKey()), e.getValue()));
        }
        return new SnapshotMetric(
                resource,
                scope,
                NAME,
                "Value in force of each optimizer tunable (booleans 0 or 1).",
                "{value}",
                MetricDataType.LONG_GAUGE,
                GaugeData.createLongGaugeData(points));
    }
}
