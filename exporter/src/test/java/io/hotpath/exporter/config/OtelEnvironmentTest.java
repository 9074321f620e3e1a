package io.hotpath.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtelEnvironmentTest {
    @Test
    void nothingSetMeansOtlpHttpToLocalhost4318() {
        final OtelEnvironment.Result r = OtelEnvironment.read(Map.of(), new Properties());
        assertThat(r.problems()).isEmpty();
        assertThat(r.metrics().protocol()).isEqualTo(Protocol.HTTP_PROTOBUF);
        assertThat(r.metrics().endpoint()).hasToString("http://localhost:4318/v1/metrics");
        assertThat(r.logs().endpoint()).hasToString("http://localhost:4318/v1/logs");
        assertThat(r.metrics().defaultEndpoint()).isTrue();
        assertThat(r.metrics().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(r.metrics().compression()).isEqualTo("none");
        assertThat(r.metricInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(r.metrics().unusable()).isEmpty();
    }

    @Test
    void genericEndpointGetsTheSignalPathSpecificOneIsUsedAsIs() {
        final OtelEnvironment.Result r = OtelEnvironment.read(
                Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/base/",
                        "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "https://logs.example:443/custom"),
                new Properties());
        assertThat(r.metrics().endpoint()).hasToString("http://collector:4318/base/v1/metrics");
        assertThat(r.logs().endpoint()).hasToString("https://logs.example:443/custom");
        assertThat(r.metrics().defaultEndpoint()).isFalse();
    }

    @Test
    void systemPropertiesWinOverEnvironmentVariables() {
        final Properties sys = new Properties();
        sys.setProperty("otel.exporter.otlp.timeout", "2500");
        sys.setProperty("otel.metric.export.interval", "1000");
        final OtelEnvironment.Result r = OtelEnvironment.read(
                Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "7000", "OTEL_METRIC_EXPORT_INTERVAL", "5000"), sys);
        assertThat(r.metrics().timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(r.metricInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void headersArePercentDecodedAndSignalHeadersOverrideGenericOnes() {
        final OtelEnvironment.Result r = OtelEnvironment.read(
                Map.of(
                        "OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20s3cret,x-tenant=a",
                        "OTEL_EXPORTER_OTLP_METRICS_HEADERS", "x-tenant=b"),
                new Properties());
        assertThat(r.metrics().headers())
                .containsEntry("Authorization", "Bearer s3cret")
                .containsEntry("x-tenant", "b");
        assertThat(r.logs().headers()).containsEntry("x-tenant", "a");
        assertThat(r.metrics().toString()).doesNotContain("s3cret");
    }

    @Test
    void badHeadersAreReportedWithoutTheirValue() {
        final OtelEnvironment.Result r = OtelEnvironment.read(
                Map.of("OTEL_EXPORTER_OTLP_HEADERS", "api-key=ok,tokenWithoutEquals-s3cret,k=%G1s3cret,bad key=x"),
                new Properties());
        assertThat(r.problems()).hasSize(3).allMatch(p -> p.contains("OTEL_EXPORTER_OTLP_HEADERS"));
        assertThat(String.join("\n", r.problems())).doesNotContain("s3cret");
        assertThat(r.metrics().headers()).containsOnlyKeys("api-key");
        assertThat(r.logs().headers()).containsOnlyKeys("api-key");
    }

    @Test
    void everyBadValueIsOneLineNamingTheVariableTheValueAndWhatIsAllowed() {
        final OtelEnvironment.Result r = OtelEnvironment.read(
                Map.of(
                        "OTEL_EXPORTER_OTLP_TIMEOUT", "fast",
                        "OTEL_EXPORTER_OTLP_COMPRESSION", "zstd",
                        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/json",
                        "OTEL_METRIC_EXPORT_INTERVAL", "-5",
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://user:pw@host:21",
                        "OTEL_EXPORTER_OTLP_CERTIFICATE", "/nonexistent/ca.pem"),
                new Properties());
        // A generic variable is read for metrics and for logs, but reported once.
        assertThat(r.problems())
                .anyMatch(p -> p.startsWith("invalid OTEL_EXPORTER_OTLP_TIMEOUT='fast' (environment variable)")
                        && p.contains("expected milliseconds from 1 to 600000")
                        && p.endsWith("using 10000"))
                .anyMatch(p -> p.contains("OTEL_EXPORTER_OTLP_COMPRESSION='zstd'") && p.contains("gzip or none"))
                .anyMatch(p -> p.contains("OTEL_EXPORTER_OTLP_PROTOCOL='http/json'")
                        && p.contains("http/json is not supported"))
                .anyMatch(p -> p.contains("OTEL_METRIC_EXPORT_INTERVAL='-5'"))
                .anyMatch(p -> p.contains("OTEL_EXPORTER_OTLP_ENDPOINT='ftp://host:21'"))
                .anyMatch(p -> p.contains("OTEL_EXPORTER_OTLP_CERTIFICATE") && p.contains("readable PEM file"));
        assertThat(r.problems()).hasSize(6);
        assertThat(String.join("\n", r.problems())).doesNotContain("pw@");
        assertThat(r.metrics().endpoint()).hasToString("http://localhost:4318/v1/metrics");
        assertThat(r.metrics().timeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void grpcOverCleartextUsesTheDefaultCollectorPort() {
        final OtelEnvironment.Result r =
                OtelEnvironment.read(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), new Properties());
        assertThat(r.metrics().protocol()).isEqualTo(Protocol.GRPC);
        assertThat(r.metrics().endpoint()).hasToString("http://localhost:4317");
        assertThat(r.logs().endpoint()).hasToString("http://localhost:4317");
        assertThat(r.metrics().unusable()).isEmpty();
        assertThat(r.logs().unusable()).isEmpty();
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void grpcOverTlsIsUsableAndKeepsTheEndpointAsGiven(@TempDir Path dir) throws Exception {
        final Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        final OtelEnvironment.Result r = OtelEnvironment.read(
                Map.of(
                        "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4317",
                        "OTEL_EXPORTER_OTLP_CERTIFICATE", ca.toString(),
                        "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"),
                new Properties());
        assertThat(r.problems()).isEmpty();
        assertThat(r.metrics().endpoint()).hasToString("https://collector:4317");
        assertThat(r.metrics().unusable()).isEmpty();
        assertThat(r.metrics().certificate()).contains(ca);
        assertThat(r.logs().compression()).isEqualTo("gzip");
    }

    @Test
    void serviceNameResourceAttributesAndTemporality() {
        final OtelEnvironment.Result r = OtelEnvironment.read(
                Map.of(
                        "OTEL_SERVICE_NAME", "checkout",
                        "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=prod,team=a%2Cb,broken",
                        "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "delta"),
                new Properties());
        assertThat(r.serviceName()).contains("checkout");
        assertThat(r.resourceAttributes())
                .containsEntry("deployment.environment.name", "prod")
                .containsEntry("team", "a,b")
                .hasSize(2);
        assertThat(r.problems())
                .anyMatch(p -> p.contains("'broken'"))
                .anyMatch(p -> p.contains("TEMPORALITY_PREFERENCE='delta'") && p.contains("cumulative"));
    }

    @Test
    void clientKeyWithoutCertificateIsReportedAndIgnored(@TempDir Path dir) throws Exception {
        final Path key = Files.writeString(dir.resolve("key.pem"), "k");
        final OtelEnvironment.Result r =
                OtelEnvironment.read(Map.of("OTEL_EXPORTER_OTLP_CLIENT_KEY", key.toString()), new Properties());
        assertThat(r.metrics().clientKey()).isEmpty();
        assertThat(r.problems()).anyMatch(p -> p.contains("needs both"));
    }

    @Test
    void prometheusIsOffUnlessTheMetricsExporterListNamesItAndListensOnLoopbackByDefault() {
        final OtelEnvironment.Result none = OtelEnvironment.read(Map.of(), new Properties());
        assertThat(none.prometheus()).isEmpty();
        assertThat(none.otlpMetrics()).isTrue();

        final OtelEnvironment.Result only =
                OtelEnvironment.read(Map.of("OTEL_METRICS_EXPORTER", "prometheus"), new Properties());
        assertThat(only.prometheus()).contains(new PrometheusSettings("127.0.0.1", 9464));
        assertThat(only.otlpMetrics()).isFalse();
        assertThat(only.problems()).isEmpty();

        final Properties system = new Properties();
        system.setProperty("otel.metrics.exporter", " otlp , prometheus");
        system.setProperty("otel.exporter.prometheus.port", "19464");
        system.setProperty("otel.exporter.prometheus.host", "0.0.0.0");
        final OtelEnvironment.Result both = OtelEnvironment.read(Map.of("OTEL_EXPORTER_PROMETHEUS_PORT", "1"), system);
        assertThat(both.prometheus()).contains(new PrometheusSettings("0.0.0.0", 19464));
        assertThat(both.otlpMetrics()).isTrue();
        assertThat(both.prometheus().get().url()).isEqualTo("http://0.0.0.0:19464/metrics");
    }

    @Test
    void badPrometheusValuesAreOneLineEachNamingTheValueAndWhatIsAllowed() {
        final OtelEnvironment.Result r = OtelEnvironment.read(
                Map.of(
                        "OTEL_METRICS_EXPORTER", "prometheus,zipkin",
                        "OTEL_EXPORTER_PROMETHEUS_PORT", "70000",
                        "OTEL_EXPORTER_PROMETHEUS_HOST", "bad host"),
                new Properties());
        assertThat(r.prometheus()).contains(new PrometheusSettings("127.0.0.1", 9464));
        assertThat(r.problems())
                .containsExactlyInAnyOrder(
                        "invalid OTEL_METRICS_EXPORTER entry 'zipkin' (environment variable): expected otlp,"
                                + " prometheus or none, separated by commas; that entry is ignored",
                        "invalid OTEL_EXPORTER_PROMETHEUS_PORT='70000' (environment variable): expected a TCP port"
                                + " from 1 to 65535; using 9464",
                        "invalid OTEL_EXPORTER_PROMETHEUS_HOST='bad host' (environment variable): expected a host"
                                + " name or IP address such as 127.0.0.1; using 127.0.0.1");
        assertThat(OtelEnvironment.read(Map.of("OTEL_METRICS_EXPORTER", "none"), new Properties()))
                .satisfies(n -> {
                    assertThat(n.otlpMetrics()).isFalse();
                    assertThat(n.prometheus()).isEmpty();
                });
    }
}
