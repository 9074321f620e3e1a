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
        final CompletableResultCode result;
        try {
            result = delegate.export(logs);
        } catch (RuntimeException e) {
            health.failure(target, e);
            return CompletableResultCode.ofExceptionalFailure(e);
        }
        result.whenComplete(() -> {
            if (result.isSuccess()) {
                health.success(target);
            } else {
                health.failure(target, result.getFailureThrowable());
            }
        });
        return result;
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
