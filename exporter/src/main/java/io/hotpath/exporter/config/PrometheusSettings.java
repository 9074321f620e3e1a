package io.hotpath.exporter.config;

/**
 * Where the Prometheus scrape listens ({@code OTEL_EXPORTER_PROMETHEUS_HOST}, {@code OTEL_EXPORTER_PROMETHEUS_PORT}).
 *
 * <p>The host defaults to {@code 127.0.0.1}, not OpenTelemetry's {@code 0.0.0.0}: the agent never listens on a
 * non-loopback address unless asked to.
 *
 * @param host the address to bind
 * @param port the TCP port, 1 to 65535
 */
public record PrometheusSettings(String host, int port) {
    /** OpenTelemetry's default port for the Prometheus exporter. */
    public static final int DEFAULT_PORT = 9464;

    /** Loopback: hotpath's default, where OpenTelemetry's is {@code 0.0.0.0}. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** The scrape URL as the start-up log shows it. */
    public String url() {
        final String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return "http://" + h + ":" + port + "/metrics";
    }
}
