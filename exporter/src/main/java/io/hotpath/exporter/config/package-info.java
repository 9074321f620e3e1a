/**
 * The standard OpenTelemetry configuration the exporter honours ({@code OTEL_EXPORTER_OTLP_*} environment variables
 * and {@code otel.exporter.otlp.*} system properties, {@code OTEL_METRIC_EXPORT_INTERVAL}, {@code OTEL_SERVICE_NAME},
 * {@code OTEL_RESOURCE_ATTRIBUTES}), parsed into plain values with one clear line per bad value.
 */
package io.hotpath.exporter.config;
