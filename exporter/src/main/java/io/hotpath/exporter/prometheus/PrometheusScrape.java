package io.hotpath.exporter.prometheus;

import io.hotpath.exporter.config.PrometheusSettings;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.concurrent.ExecutorService;

/**
 * The Prometheus scrape: the OpenTelemetry SDK's own Prometheus exporter (relocated in the agent jar), which turns the
 * same metrics the OTLP export sends into Prometheus names ({@code hotpath.queue.enqueued} with unit {@code
 * {message}} becomes {@code hotpath_queue_enqueued_total}, {@code s} adds {@code _seconds}) and serves them at {@code
 * /metrics}. Kept in a class of its own so that the exporter's Prometheus classes load only when the scrape is on.
 */
public final class PrometheusScrape {
    private PrometheusScrape() {}

    /**
     * A reader whose server is already listening.
     *
     * @param settings where to listen
     * @param requests runs the scrape requests; the reader shuts it down with the server
     * @throws RuntimeException when the server cannot listen (an address in use, a host that does not resolve)
     */
    public static MetricReader reader(PrometheusSettings settings, ExecutorService requests) {
        return PrometheusHttpServer.builder()
                .setHost(settings.host())
                .setPort(settings.port())
                .setExecutor(requests)
                // Our own request pool serves one scrape at a time; the SDK still wants immutable data with a pool it
                // did not make. A scrape is not a hot path: building fresh points costs allocation, not latency.
                .setMemoryMode(io.opentelemetry.sdk.common.export.MemoryMode.IMMUTABLE_DATA)
                .build();
    }
}
