package io.hotpath.exporter.otlp;

import io.hotpath.exporter.config.OtlpSettings;
import io.hotpath.exporter.config.Protocol;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporterBuilder;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * Builds the SDK's OTLP exporters from {@link OtlpSettings}, always with the senders of the given {@link
 * SenderLoader}, the exporters' self-telemetry off, and the given executor for the blocking send work.
 */
public final class OtlpExporters {
    private OtlpExporters() {}

    /**
     * The retry policy of the final export at JVM exit: a few quick attempts for 429/5xx and dropped connections, none
     * when nothing listens at all, so that an absent receiver never delays the exit.
     */
    public static RetryPolicy exitRetryPolicy() {
        return RetryPolicy.builder()
                .setMaxAttempts(3)
                .setInitialBackoff(Duration.ofMillis(100))
                .setMaxBackoff(Duration.ofMillis(400))
                .setBackoffMultiplier(2)
                .setRetryExceptionPredicate(e -> !(ExportHealth.isConnectFailure(e) || e instanceof SSLException))
                .build();
    }

    /** An OTLP metric exporter for {@code s}, timing out after {@code timeout}. */
    public static MetricExporter metrics(
            OtlpSettings s, Duration timeout, RetryPolicy retry, ExecutorService executor, SenderLoader loader) {
        if (s.protocol() == Protocol.GRPC) {
            final OtlpGrpcMetricExporterBuilder b = OtlpGrpcMetricExporter.builder()
                    .setComponentLoader(loader)
                    .setEndpoint(s.endpoint().toString())
                    .setTimeout(timeout)
                    .setCompression(s.compression())
                    .setRetryPolicy(retry)
                    .setExecutorService(executor)
                    .setMeterProvider(MeterProvider::noop)
                    .setAggregationTemporalitySelector(AggregationTemporalitySelector.alwaysCumulative());
            headersAndTls(s, b::addHeader, b::setTrustedCertificates, b::setClientTls);
            return b.build();
        }
        final OtlpHttpMetricExporterBuilder b = OtlpHttpMetricExporter.builder()
                .setComponentLoader(loader)
                .setEndpoint(s.endpoint().toString())
                .setTimeout(timeout)
                .setCompression(s.compression())
                .setRetryPolicy(retry)
                .setExecutorService(executor)
                .setMeterProvider(MeterProvider::noop)
                .setAggregationTemporalitySelector(AggregationTemporalitySelector.alwaysCumulative());
        headersAndTls(s, b::addHeader, b::setTrustedCertificates, b::setClientTls);
        return b.build();
    }

    /** An OTLP log-record exporter for {@code s}. */
    public static LogRecordExporter logs(
            OtlpSettings s, RetryPolicy retry, ExecutorService executor, SenderLoader loader) {
        if (s.protocol() == Protocol.GRPC) {
            final OtlpGrpcLogRecordExporterBuilder b = OtlpGrpcLogRecordExporter.builder()
                    .setComponentLoader(loader)
                    .setEndpoint(s.endpoint().toString())
                    .setTimeout(s.timeout())
                    .setCompression(s.compression())
                    .setRetryPolicy(retry)
                    .setExecutorService(executor)
                    .setMeterProvider(MeterProvider::noop);
            headersAndTls(s, b::addHeader, b::setTrustedCertificates, b::setClientTls);
            return b.build();
        }
        final OtlpHttpLogRecordExporterBuilder b = OtlpHttpLogRecordExporter.builder()
                .setComponentLoader(loader)
                .setEndpoint(s.endpoint().toString())
                .setTimeout(s.timeout())
                .setCompression(s.compression())
                .setRetryPolicy(retry)
                .setExecutorService(executor)
                .setMeterProvider(MeterProvider::noop);
        headersAndTls(s, b::addHeader, b::setTrustedCertificates, b::setClientTls);
        return b.build();
    }

    /**
     * Headers and TLS material of {@code s}, handed to one of the SDK's four exporter builders (gRPC or HTTP, metrics
     * or logs), which share these setters but no interface.
     */
    private static void headersAndTls(
            OtlpSettings s,
            BiConsumer<String, String> header,
            Consumer<byte[]> trusted,
            BiConsumer<byte[], byte[]> clientTls) {
        s.headers().forEach(header);
        s.certificate().ifPresent(p -> trusted.accept(read(p)));
        if (s.clientKey().isPresent() && s.clientCertificate().isPresent()) {
            clientTls.accept(
                    read(s.clientKey().get()), read(s.clientCertificate().get()));
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }
}
