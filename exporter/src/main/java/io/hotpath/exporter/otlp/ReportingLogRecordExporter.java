package io.hotpath.exporter.otlp;

import io.hotpath.exporter.config.OtlpSettings;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.util.Collection;

/** A log-record exporter that reports each export's outcome to {@link ExportHealth}. */
public final class ReportingLogRecordExporter implements LogRecordExporter {
    private final LogRecordExporter delegate;
    private final OtlpSettings target;
    private final ExportHealth health;

    /** Wraps {@code delegate}, which sends to {@code target}. */
    public ReportingLogRecordExporter(LogRecordExporter delegate, OtlpSettings target, ExportHealth health) {
        this.delegate = delegate;
        this.target = target;
        this.health = health;
    }

    @Override
    public CompletableResultCode export(Collection<LogRecordData> logs) {
        return health.track(target, () -> delegate.export(logs));
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }
}
