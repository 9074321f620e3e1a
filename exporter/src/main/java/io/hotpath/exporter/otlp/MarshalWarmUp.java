package io.hotpath.exporter.otlp;

import io.hotpath.exporter.config.OtlpSettings;
import io.hotpath.exporter.config.Protocol;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Encodes one small batch through the SDK's OTLP/HTTP metric exporter into a sender that discards the bytes, on the
 * thread that builds the export, once the final export's path is ready. A JVM's first export otherwise loads, links and
 * runs for the first time the SDK's protobuf marshalers (some 80 classes) on its own path; when that first export is
 * the final one, the JVM's exit waits for it. Nothing is sent and no connection is opened: the JDK HTTP client's own
 * request path is still first used by the first real export.
 */
public final class MarshalWarmUp {
    private MarshalWarmUp() {}

    /**
     * Runs the warm-up for the metric exporter {@code s} describes; nothing for gRPC (another sender, another encoder).
     *
     * @return whether the batch went through the encoder
     */
    public static boolean run(OtlpSettings s, List<MetricData> batch) {
        if (s.protocol() != Protocol.HTTP_PROTOBUF) {
            return false;
        }
        final Discard discard = new Discard();
        final OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
                .setComponentLoader(discard)
                .setEndpoint(s.endpoint().toString())
                .setMeterProvider(MeterProvider::noop)
                .setAggregationTemporalitySelector(AggregationTemporalitySelector.alwaysCumulative())
                .build();
        try {
            final CompletableResultCode result = exporter.export(batch);
            result.join(5, TimeUnit.SECONDS);
            return result.isSuccess() && discard.bytes > 0;
        } finally {
            exporter.shutdown();
        }
    }

    /** The component loader and sender of the warm-up: counts the encoded bytes and answers 200. */
    private static final class Discard implements ComponentLoader, HttpSenderProvider, HttpSender {
        private long bytes;

        @Override
        @SuppressWarnings("unchecked")
        public <T> Iterable<T> load(Class<T> spi) {
            return spi == HttpSenderProvider.class ? (Iterable<T>) List.of(this) : List.of();
        }

        @Override
        public HttpSender createSender(io.opentelemetry.sdk.common.export.HttpSenderConfig config) {
            return this;
        }

        @Override
        public void send(MessageWriter writer, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
            final OutputStream counting = new OutputStream() {
                @Override
                public void write(int b) {
                    bytes++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes += len;
                }
            };
            try {
                writer.writeMessage(counting);
            } catch (IOException | RuntimeException e) {
                onError.accept(e);
                return;
            }
            onResponse.accept(new HttpResponse() {
                @Override
                public int getStatusCode() {
                    return 200;
                }

                @Override
                public String getStatusMessage() {
                    return "OK";
                }

                @Override
                public byte[] getResponseBody() {
                    return new byte[0];
                }
            });
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
