package io.hotpath.exporter;

import io.hotpath.exporter.config.OtelEnvironment;
import io.hotpath.exporter.config.OtlpSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the exporter needs, resolved: hotpath's own {@code hotpath.export.*} settings and the standard
 * OpenTelemetry ones ({@link OtelEnvironment}).
 *
 * @param mode where metrics and events go
 * @param metrics OTLP transport for metrics
 * @param logs OTLP transport for log events
 * @param interval how often metrics are exported ({@code OTEL_METRIC_EXPORT_INTERVAL})
 * @param exportTimeout how long the periodic reader waits for one export ({@code OTEL_METRIC_EXPORT_TIMEOUT})
 * @param maxProbes probes with their own series; later ones share the overflow series ({@code
 *     hotpath.export.probes.max})
 * @param maxBuckets most buckets in one exponential histogram point ({@code hotpath.export.histogram.max-buckets})
 * @param flushTimeout longest time the final export may add to JVM shutdown ({@code hotpath.export.flush.timeout})
 * @param serviceName {@code OTEL_SERVICE_NAME}, if set
 * @param resourceAttributes {@code OTEL_RESOURCE_ATTRIBUTES}
 * @param agentVersion the agent's version, for {@code telemetry.distro.version} and the instrumentation scope
 * @param otlpMetrics whether metrics go out over OTLP in mode OTLP ({@code OTEL_METRICS_EXPORTER})
 * @param prometheus where the Prometheus scrape listens, if on ({@code OTEL_METRICS_EXPORTER=prometheus})
 */
public record ExportSettings(
        Mode mode,
        OtlpSettings metrics,
        OtlpSettings logs,
        Duration interval,
        Duration exportTimeout,
        int maxProbes,
        int maxBuckets,
        Duration flushTimeout,
        Optional<String> serviceName,
        Map<String, String> resourceAttributes,
        String agentVersion,
        boolean otlpMetrics,
        Optional<io.hotpath.exporter.config.PrometheusSettings> prometheus) {

    /** Where exported data goes ({@code hotpath.export.exporter}). */
    public enum Mode {
        /** OTLP to a collector or any OTLP receiver; the default. */
        OTLP,
        /** One line per metric point and event on stderr, through the agent's log; for trying things out. */
        LOGGING,
        /** Nothing is exported and no export thread starts. */
        NONE;

        /** Parses {@code otlp}, {@code logging} or {@code none}. */
        public static Mode of(String label) {
            return valueOf(label.trim().toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** Default {@code hotpath.export.probes.max}. */
    public static final int DEFAULT_MAX_PROBES = 2000;

    /** Default {@code hotpath.export.histogram.max-buckets}. */
    public static final int DEFAULT_MAX_BUCKETS = 320;

    /** Freezes the attributes. */
    public ExportSettings {
        resourceAttributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(resourceAttributes));
    }

    /** Combines hotpath's settings with what the OpenTelemetry environment says. */
    public static ExportSettings of(
            Mode mode,
            OtelEnvironment.Result otel,
            int maxProbes,
            int maxBuckets,
            Duration flushTimeout,
            String agentVersion) {
        return new ExportSettings(
                mode,
                otel.metrics(),
                otel.logs(),
                otel.metricInterval(),
                otel.metricExportTimeout(),
                maxProbes,
                maxBuckets,
                flushTimeout,
                otel.serviceName(),
                otel.resourceAttributes(),
                agentVersion,
                otel.otlpMetrics(),
                otel.prometheus());
    }
}
