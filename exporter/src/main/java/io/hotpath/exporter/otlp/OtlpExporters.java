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
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLException;

/**
 * Builds the SDK's OTLP exporters from {@link OtlpSettings}, always with the senders {@link SenderLoader} names, the
 * exporters' self-telemetry off, and the given executor for the blocking send work.
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
                .setRetryExceptionPredicate(e -> !(e instanceof ConnectException
                        || e instanceof HttpConnectTimeoutException
                        || e instanceof SSLException))
                .build();
    }

    /** An OTLP metric exporter for {@code s}, timing out after {@code timeout}. */
    public static MetricExporter metrics(
            OtlpSettings s, Duration timeout, RetryPolicy retry, ExecutorService executor) {
        if (s.protocol() == Protocol.GRPC) {
            final OtlpGrpcMetricExporterBuilder b = OtlpGrpcMetricExporter.builder()
                    .setComponentLoader(SenderLoader.INSTANCE)
                    .setEndpoint(s.endpoint().toString())
                    .setTimeout(timeout)
                    .setCompression(s.compression())
                    .setRetryPolicy(retry)
                    .setExecutorService(executor)
                    .setMeterProvider(MeterProvider::noop)
                    .setAggregationTemporalitySelector(AggregationTemporalitySelector.alwaysCumulative());
            s.headers().forEach(b::addHeader);
            s.certificate().ifPresent(p -> b.setTrustedCertificates(read(p)));
            if (s.clientKey().isPresent() && s.clientCertificate().isPresent()) {
                b.setClientTls(
                        read(s.clientKey().get()), read(s.clientCertificate().get()));
            }
            return b.build();
        }
        final OtlpHttpMetricExporterBuilder b = OtlpHttpMetricExporter.builder()
                .setComponentLoader(SenderLoader.INSTANCE)
                .setEndpoint(s.endpoint().toString())
                .setTimeout(timeout)
                .setCompression(s.compression())
                .setRetryPolicy(retry)
                .setExecutorService(executor)
                .setMeterProvider(MeterProvider::noop)
                .setAggregationTemporalitySelector(AggregationTemporalitySelector.alwaysCumulative());
        s.headers().forEach(b::addHeader);
        s.certificate().ifPresent(p -> b.setTrustedCertificates(read(p)));
        if (s.clientKey().isPresent() && s.clientCertificate().isPresent()) {
            b.setClientTls(read(s.clientKey().get()), read(s.clientCertificate().get()));
        }
        return b.build();
    }

    /** An OTLP log-record exporter for {@code s}. */
    public static LogRecordExporter logs(OtlpSettings s, RetryPolicy retry, ExecutorService executor) {
        if (s.protocol() == Protocol.GRPC) {
            final OtlpGrpcLogRecordExporterBuilder b = OtlpGrpcLogRecordExporter.builder()
                    .setComponentLoader(SenderLoader.INSTANCE)
                    .setEndpoint(s.endpoint().toString())
                    .setTimeout(s.timeout())
                    .setCompression(s.compression())
                    .setRetryPolicy(retry)
                    .setExecutorService(executor)
                    .setMeterProvider(MeterProvider::noop);
            s.headers().forEach(b::addHeader);
            s.certificate().ifPresent(p -> b.setTrustedCertificates(read(p)));
            if (s.clientKey().isPresent() && s.clientCertificate().isPresent()) {
                b.setClientTls(
                        read(s.clientKey().get()), read(s.clientCertificate().get()));
            }
            return b.build();
        }
        final OtlpHttpLogRecordExporterBuilder b = OtlpHttpLogRecordExporter.builder()
                .setComponentLoader(SenderLoader.INSTANCE)
                .setEndpoint(s.endpoint().toString())
                .setTimeout(s.timeout())
                .setCompression(s.compression())
                .setRetryPolicy(retry)
                .setExecutorService(executor)
                .setMeterProvider(MeterProvider::noop);
        s.headers().forEach(b::addHeader);
        s.certificate().ifPresent(p -> b.setTrustedCertificates(read(p)));
        if (s.clientKey().isPresent() && s.clientCertificate().isPresent()) {
            b.setClientTls(read(s.clientKey().get()), read(s.clientCertificate().get()));
        }
        return b.build();
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }
}
