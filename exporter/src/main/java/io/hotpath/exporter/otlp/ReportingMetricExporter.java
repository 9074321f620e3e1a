package io.hotpath.exporter.otlp;

import io.hotpath.exporter.config.OtlpSettings;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;

/** A metric exporter that reports each export's outcome to {@link ExportHealth}, and is always cumulative. */
public final class ReportingMetricExporter extends ReportingExporter implements MetricExporter {
    private final MetricExporter delegate;
    private final AtomicInteger inFlight = new AtomicInteger();

    /** Wraps {@code delegate}, which sends to {@code target}. */
    public ReportingMetricExporter(MetricExporter delegate, OtlpSettings target, ExportHealth health) {
        super(target, health, delegate::flush, delegate::shutdown);
        this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
        inFlight.incrementAndGet();
        final CompletableResultCode result = track(() -> delegate.export(metrics));
        result.whenComplete(inFlight::decrementAndGet);
        return result;
    }

    /** Whether no export is in progress. */
    public boolean idle() {
        return inFlight.get() == 0;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
        return delegate.getDefaultAggregation(instrumentType);
    }

    @Override
    public MemoryMode getMemoryMode() {
        return MemoryMode.IMMUTABLE_DATA;
    }
}
