package io.hotpath.exporter.otlp;

import io.hotpath.exporter.config.OtlpSettings;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.util.Collection;

/** A log-record exporter that reports each export's outcome to {@link ExportHealth}. */
public final class ReportingLogRecordExporter extends ReportingExporter implements LogRecordExporter {
    private final LogRecordExporter delegate;

    /** Wraps {@code delegate}, which sends to {@code target}. */
    public ReportingLogRecordExporter(LogRecordExporter delegate, OtlpSettings target, ExportHealth health) {
        super(target, health, delegate::flush, delegate::shutdown);
        this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<LogRecordData> logs) {
        return track(() -> delegate.export(logs));
    }
}
