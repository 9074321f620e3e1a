/** The Prometheus scrape ({@code OTEL_METRICS_EXPORTER=prometheus}) through the OpenTelemetry SDK's own exporter. */
package io.hotpath.exporter.prometheus;
