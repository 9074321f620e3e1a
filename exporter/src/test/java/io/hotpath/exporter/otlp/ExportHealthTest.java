package io.hotpath.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.exporter.RecordingLog;
import io.hotpath.exporter.config.OtelEnvironment;
import io.hotpath.exporter.config.OtlpSettings;
import io.opentelemetry.exporter.internal.FailedExportException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExportHealthTest {
    private final List<String> lines = new ArrayList<>();
    private long now;
    private final ExportHealth health = new ExportHealth(new RecordingLog(lines), () -> now);

    @Test
    void oneLineAMinuteWhileExportsKeepFailingThenOneWhenTheyWorkAgain() {
        final OtlpSettings target = settings(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"));
        for (int i = 0; i < 120; i++) { // two minutes of one failure a second
            health.failure(target, FailedExportException.httpFailedExceptionally(new ConnectException()));
            now += TimeUnit.SECONDS.toNanos(1);
        }
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .startsWith("WARN OTLP metrics export to http://collector:4318/v1/metrics failed: connection refused");
        assertThat(lines.get(1)).contains("(59 more failed exports since the last message)");
        health.success(target);
        health.success(target);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2))
                .startsWith("INFO OTLP export to http://collector:4318/v1/metrics works again after 120");
    }

    @Test
    void theGrpcSendersFailuresReadTheSameAsTheJdkSenders() {
        // OkHttp (the gRPC sender) reports a connect timeout, a read timeout and a call timeout this way.
        final Throwable connect = new java.net.SocketTimeoutException("Connect timed out");
        assertThat(ExportHealth.reason(FailedExportException.grpcFailedExceptionally(connect)))
                .isEqualTo("connect timed out");
        assertThat(ExportHealth.isConnectFailure(FailedExportException.grpcFailedExceptionally(connect)))
                .isTrue();
        assertThat(ExportHealth.reason(new java.net.SocketTimeoutException("Read timed out")))
                .isEqualTo("timed out");
        assertThat(ExportHealth.isConnectFailure(new java.net.SocketTimeoutException("Read timed out")))
                .isFalse();
        assertThat(ExportHealth.reason(new java.io.InterruptedIOException("timeout")))
                .isEqualTo("timed out");
        assertThat(ExportHealth.reason(FailedExportException.grpcFailedExceptionally(
                        new ConnectException("Failed to connect to /127.0.0.1:4317"))))
                .isEqualTo("connection refused");
    }

    @Test
    void trackReportsEachOutcomeAndTurnsAThrowingSendIntoAFailedExport() {
        final OtlpSettings target = settings(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"));
        final io.opentelemetry.sdk.common.CompletableResultCode thrown = health.track(target, () -> {
            throw new IllegalStateException("closed");
        });
        assertThat(thrown.isDone()).isTrue();
        assertThat(thrown.isSuccess()).isFalse();
        assertThat(lines).singleElement().asString().contains("failed: IllegalStateException: closed");
        final io.opentelemetry.sdk.common.CompletableResultCode pending =
                new io.opentelemetry.sdk.common.CompletableResultCode();
        assertThat(health.track(target, () -> pending)).isSameAs(pending);
        assertThat(health.anySuccess()).isFalse();
        pending.succeed();
        assertThat(health.anySuccess()).isTrue();
        assertThat(lines).hasSize(2).last().asString().startsWith("INFO OTLP export to http://collector:4318");
    }

    @Test
    void nothingListeningOnTheDefaultEndpointIsOnlyAnInfoLine() {
        final OtlpSettings target = settings(Map.of());
        health.failure(target, FailedExportException.httpFailedExceptionally(new ConnectException()));
        assertThat(lines).singleElement().asString().startsWith("INFO no OTLP receiver at http://localhost:4318");
        assertThat(health.lastFailedToConnect()).isTrue();
    }

    @Test
    void noReceiverAtTheDefaultEndpointIsSaidOnceNotEveryMinute() {
        final OtlpSettings target = settings(Map.of());
        for (int i = 0; i < 5; i++) {
            health.failure(target, FailedExportException.httpFailedExceptionally(new ConnectException()));
            now += TimeUnit.MINUTES.toNanos(2);
        }
        assertThat(lines).singleElement().asString().startsWith("INFO no OTLP receiver at");
    }

    @Test
    void theDefaultEndpointIsQuietUntilItOnceWorked() {
        final OtlpSettings target = settings(Map.of());
        health.failure(target, new java.net.http.HttpTimeoutException("request timed out"));
        now += TimeUnit.MINUTES.toNanos(2);
        health.success(target);
        now += TimeUnit.MINUTES.toNanos(2);
        health.failure(target, FailedExportException.httpFailedExceptionally(new ConnectException()));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("INFO no OTLP receiver at http://localhost:4318/v1/metrics (timed out)");
        assertThat(lines.get(1)).startsWith("INFO OTLP export to http://localhost:4318/v1/metrics works again");
        assertThat(lines.get(2)).startsWith("WARN OTLP metrics export to http://localhost:4318/v1/metrics failed");
    }

    @Test
    void reasonsNameTheStatusNotTheHeaders() {
        assertThat(ExportHealth.reason(null)).isEqualTo("no response in time");
        assertThat(ExportHealth.reason(new java.net.http.HttpTimeoutException("request timed out")))
                .isEqualTo("timed out");
    }

    private static OtlpSettings settings(Map<String, String> env) {
        return OtelEnvironment.read(env, new Properties()).metrics();
    }
}
