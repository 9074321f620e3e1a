package io.hotpath.exporter.metrics;

import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;

/**
 * One metric built from a snapshot, as the SDK's exporters consume it. The SDK offers public factories for points and
 * data but not for {@link MetricData} itself, so this is the small immutable implementation.
 */
record SnapshotMetric(
        Resource resource,
        InstrumentationScopeInfo scope,
        String name,
        String description,
        String unit,
        MetricDataType type,
        Data<?> data)
        implements MetricData {

    @Override
    public Resource getResource() {
        return resource;
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
        return scope;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public String getUnit() {
        return unit;
    }

    @Override
    public MetricDataType getType() {
        return type;
    }

    @Override
    public Data<?> getData() {
        return data;
    }
}
