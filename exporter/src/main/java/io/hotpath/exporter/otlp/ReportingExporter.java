package io.hotpath.exporter.otlp;

import io.hotpath.exporter.config.OtlpSettings;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.function.Supplier;

/**
 * What the reporting metric and log-record exporters share: each export's outcome goes to {@link ExportHealth}, and
 * flush and shutdown go straight to the wrapped exporter. The SDK's two exporter interfaces share no supertype, so the
 * wrapped exporter's flush and shutdown are handed in as suppliers; these public methods implement both interfaces'.
 */
abstract class ReportingExporter {
    private final OtlpSettings target;
    private final ExportHealth health;
    private final Supplier<CompletableResultCode> flush;
    private final Supplier<CompletableResultCode> shutdown;

    ReportingExporter(
            OtlpSettings target,
            ExportHealth health,
            Supplier<CompletableResultCode> flush,
            Supplier<CompletableResultCode> shutdown) {
        this.target = target;
        this.health = health;
        this.flush = flush;
        this.shutdown = shutdown;
    }

    /** Runs {@code send} and reports its outcome for this exporter's target. */
    final CompletableResultCode track(Supplier<CompletableResultCode> send) {
        return health.track(target, send);
    }

    /** Flushes the wrapped exporter. */
    public CompletableResultCode flush() {
        return flush.get();
    }

    /** Shuts the wrapped exporter down. */
    public CompletableResultCode shutdown() {
        return shutdown.get();
    }
}
