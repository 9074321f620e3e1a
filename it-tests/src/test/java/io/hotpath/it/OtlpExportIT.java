package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.otlp.ExportChecks;
import io.hotpath.it.otlp.GrpcOtlpReceiver;
import io.hotpath.it.otlp.HttpOtlpReceiver;
import io.hotpath.it.otlp.OtlpReceiver;
import io.hotpath.it.otlp.Received;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reference application under the agent, exporting to a real OTLP receiver (a test receiver decoding real OTLP
 * protobuf): metric names, units, temporality, attributes, resource and the agent's events, and exact totals against
 * the application's ground truth, over HTTP/protobuf, over gRPC with TLS and over gRPC in cleartext.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OtlpExportIT {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void httpProtobufCarriesExactTotalsUnitsResourceAndEvents(Path jdk) throws Exception {
        final Path classLog = Launch.workFile("http-class-load.log");
        try (HttpOtlpReceiver receiver = HttpOtlpReceiver.onFreePort().start()) {
            final Launch.Result r = exportingTo(jdk, receiver)
                    .jvmArg("-Xlog:class+load=info:file=" + classLog)
                    .env("OTEL_EXPORTER_OTLP_HEADERS", "x-hotpath-token=s3cret%20value")
                    .env("OTEL_SERVICE_NAME", "status-broadcaster")
                    .env("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=it")
                    .run();
            final Received got = receiver.received();
            assertExactWithoutWarnings(r, got);
            assertThat(grpcTransportClasses(classLog))
                    .as("http/protobuf loads nothing of the gRPC sender, OkHttp, Okio or Kotlin")
                    .isEmpty();
            assertThat(r.agentLines())
                    .as(r.describe())
                    .anyMatch(l -> l.contains("export: OTLP http/protobuf metrics to " + receiver.endpoint()
                            + "/v1/metrics every 0.5 s"));
            assertThat(r.stderr() + r.stdout()).as("headers are never logged").doesNotContain("s3cret");
            assertThat(receiver.headerLines()).anyMatch(h -> h.equalsIgnoreCase("x-hotpath-token: s3cret value"));
            assertThat(receiver.contentEncodings()).contains("gzip");
            assertThat(got.metricsRequests())
                    .as("periodic exports and the final one")
                    .hasSizeGreaterThanOrEqualTo(2);

            final Metric enqueued = got.metrics("hotpath.queue.enqueued").get(0);
            assertThat(enqueued.getUnit()).isEqualTo("{message}");
            assertThat(enqueued.getSum().getIsMonotonic()).isTrue();
            assertThat(enqueued.getSum().getAggregationTemporality())
                    .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
            final Metric depth = got.metrics("hotpath.queue.depth").get(0);
            assertThat(depth.getSum().getIsMonotonic()).isFalse();
            final Metric taskDuration =
                    got.metrics("hotpath.executor.task.duration").get(0);
            assertThat(taskDuration.getUnit()).isEqualTo("s");
            assertThat(taskDuration.getExponentialHistogram().getAggregationTemporality())
                    .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
            final long timedTasks = got.latestHistogram("hotpath.executor.task.duration", ExportChecks.POOL)
                    .orElseThrow()
                    .getCount();
            assertThat(timedTasks)
                    .isPositive()
                    .isLessThanOrEqualTo(GroundTruth.of(r).get("dispatchCompleted"));
            // Every point of a series has the same start: cumulative since the agent started.
            assertThat(got.metrics("hotpath.queue.enqueued").stream()
                            .flatMap(m -> m.getSum().getDataPointsList().stream())
                            .map(p -> p.getStartTimeUnixNano())
                            .distinct())
                    .hasSize(1);
            assertThat(Received.attributes(enqueued.getSum().getDataPoints(0).getAttributesList()))
                    .containsOnlyKeys("hotpath.probe.name", "hotpath.probe.kind");

            assertHealth(got);

            final Map<String, String> resource = got.resource();
            assertThat(resource)
                    .containsEntry("service.name", "status-broadcaster")
                    .containsEntry("deployment.environment.name", "it")
                    .containsEntry("telemetry.distro.name", "hotpath")
                    .containsEntry("telemetry.sdk.language", "java")
                    .containsKeys(
                            "telemetry.distro.version",
                            "service.instance.id",
                            "process.pid",
                            "process.runtime.version",
                            "host.name");

            final List<LogRecord> events = got.logRecords();
            assertThat(events).as("the agent's started event\n" + r.describe()).anySatisfy(e -> {
                assertThat(e.getEventName()).isEqualTo("hotpath.agent.started");
                assertThat(e.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_INFO);
                assertThat(e.getBody().getStringValue()).contains("started");
                assertThat(Received.attributes(e.getAttributesList()))
                        .containsEntry("hotpath.agent.start_mode", "premain");
            });
            assertThat(got.logsResource()).containsEntry("service.name", "status-broadcaster");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void grpcOverTlsCarriesExactTotalsAndEvents(Path jdk) throws Exception {
        final Path dir = Files.createDirectories(Launch.workFile("grpc-tls"));
        final GrpcOtlpReceiver.TestCertificate cert = GrpcOtlpReceiver.TestCertificate.create(dir);
        try (GrpcOtlpReceiver receiver = GrpcOtlpReceiver.tls(cert)) {
            final Launch.Result r = exportingTo(jdk, receiver)
                    .env("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
                    .env("OTEL_EXPORTER_OTLP_CERTIFICATE", cert.certificatePem().toString())
                    .run();
            assertExactWithoutWarnings(r, receiver.received());
            assertThat(receiver.received().metricsRequests()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(receiver.received().logRecords())
                    .anyMatch(e -> e.getEventName().equals("hotpath.agent.started"));
            assertThat(receiver.received().resource()).containsEntry("service.name", "hotpath-reference-app");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void grpcOverCleartextCarriesExactTotalsAndEvents(Path jdk) throws Exception {
        final Path classLog = Launch.workFile("grpc-class-load.log");
        try (GrpcOtlpReceiver receiver = GrpcOtlpReceiver.cleartext()) {
            final Launch.Result r = exportingTo(jdk, receiver)
                    .jvmArg("-Xlog:class+load=info:file=" + classLog)
                    .env("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
                    .env("OTEL_EXPORTER_OTLP_HEADERS", "x-hotpath-token=s3cret%20value")
                    .run();
            assertExactWithoutWarnings(r, receiver.received());
            assertThat(r.agentLines())
                    .as(r.describe())
                    .anyMatch(l -> l.contains("export: OTLP grpc metrics to " + receiver.endpoint()));
            assertThat(receiver.received().metricsRequests())
                    .as("periodic exports and the final one")
                    .hasSizeGreaterThanOrEqualTo(2);
            assertThat(receiver.received().logRecords())
                    .anyMatch(e -> e.getEventName().equals("hotpath.agent.started"));
            assertThat(grpcTransportClasses(classLog))
                    .as("the relocated OkHttp sender, loaded because grpc was selected")
                    .contains("io.hotpath.shaded.io.opentelemetry.exporter.sender.okhttp.internal.OkHttpGrpcSender")
                    .anyMatch(c -> c.startsWith("io.hotpath.shaded.okhttp3."))
                    .noneMatch(c -> c.startsWith("okhttp3.") || c.startsWith("kotlin."));
            assertThat(receiver.headerLines()).contains("x-hotpath-token: s3cret value");
            assertThat(receiver.headerLines()).anyMatch(h -> h.equals("grpc-encoding: gzip"));
            assertThat(r.stderr() + r.stdout()).as("headers are never logged").doesNotContain("s3cret");
        }
    }

    /** The reference application for 3 s, exporting with gzip every 0.5 s to {@code receiver}. */
    private static Launch exportingTo(Path jdk, OtlpReceiver receiver) {
        return Launch.on(jdk)
                .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
                .env("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip")
                .env("OTEL_METRIC_EXPORT_INTERVAL", "500")
                .referenceApp("--scenario", "basic", "--duration", "3s", "--quiet");
    }

    /** The run ended normally and without an export warning, and {@code got} holds the app's exact totals. */
    private static void assertExactWithoutWarnings(Launch.Result r, Received got) {
        assertThat(r.exitCode()).as(r.describe()).isZero();
        ExportChecks.assertExact(got, GroundTruth.of(r), r.describe());
        assertThat(ExportChecks.exportWarnings(r)).as(r.describe()).isEmpty();
    }

    /**
     * The classes of the gRPC transport (the SDK's OkHttp sender, OkHttp, Okio, Kotlin; relocated or not) that a JVM
     * run with {@code -Xlog:class+load=info:file=<log>} loaded.
     */
    private static List<String> grpcTransportClasses(Path log) throws java.io.IOException {
        final List<String> prefixes = List.of(
                "io.hotpath.shaded.io.opentelemetry.exporter.sender.okhttp.",
                "io.hotpath.shaded.okhttp3.",
                "io.hotpath.shaded.okio.",
                "io.hotpath.shaded.kotlin.",
                "okhttp3.",
                "okio.",
                "kotlin.");
        final List<String> loaded = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            // [0.123s][info][class,load] io.hotpath.shaded.okhttp3.OkHttpClient source: ...
            final int at = line.indexOf("] ");
            final int end = line.indexOf(' ', at + 2);
            if (line.contains("[class,load]") && at > 0 && end > at) {
                final String name = line.substring(at + 2, end);
                if (prefixes.stream().anyMatch(name::startsWith)) {
                    loaded.add(name);
                }
            }
        }
        return loaded;
    }

    /**
     * The analyzer's health as decoded at the receiver, from the latest request that carries it: {@code hotpath.health}
     * a double gauge with one overall point (no attributes) in [0,1] and one point per probe of that same request (name
     * and kind as on its probe metrics) in [0,1], none below the overall; {@code hotpath.health.state} a gauge with
     * one point per band, 1 exactly for the band of the overall point.
     */
    private static void assertHealth(Received got) {
        ExportMetricsServiceRequest request = null;
        for (Received.MetricsRequest r : got.metricsRequests()) {
            if (!metrics(r.request(), "hotpath.health").isEmpty()) {
                request = r.request();
            }
        }
        assertThat(request)
                .as("a metrics request with hotpath.health; received " + got.metricNames())
                .isNotNull();
        assertThat(metrics(request, "hotpath.health")).hasSize(1);
        final Metric health = metrics(request, "hotpath.health").get(0);
        assertThat(health.hasGauge()).as("hotpath.health is a gauge").isTrue();
        assertThat(health.getUnit()).isEqualTo("1");
        final List<NumberDataPoint> points = health.getGauge().getDataPointsList();
        assertThat(points)
                .allSatisfy(p -> assertThat(p.getValueCase()).isEqualTo(NumberDataPoint.ValueCase.AS_DOUBLE))
                .allSatisfy(p -> assertThat(p.getTimeUnixNano()).isPositive());
        final List<NumberDataPoint> overalls =
                points.stream().filter(p -> p.getAttributesCount() == 0).toList();
        assertThat(overalls).as("one overall point").hasSize(1);
        final NumberDataPoint overall = overalls.get(0);
        assertThat(overall.getAsDouble()).isBetween(0.0, 1.0);

        final Map<String, String> perProbe = new TreeMap<>();
        for (NumberDataPoint p : points) {
            if (p.getAttributesCount() == 0) {
                continue;
            }
            final Map<String, String> a = Received.attributes(p.getAttributesList());
            assertThat(a).containsOnlyKeys("hotpath.probe.name", "hotpath.probe.kind");
            assertThat(p.getAsDouble()).as("health of " + a).isBetween(overall.getAsDouble(), 1.0);
            assertThat(perProbe.put(a.get("hotpath.probe.name"), a.get("hotpath.probe.kind")))
                    .as("one point per probe: " + a)
                    .isNull();
        }
        final Map<String, String> probes = new TreeMap<>();
        for (Metric m : allMetrics(request)) {
            if (m.getName().startsWith("hotpath.health") || !m.getName().startsWith("hotpath.")) {
                continue;
            }
            final List<List<KeyValue>> attributes = m.hasSum()
                    ? m.getSum().getDataPointsList().stream()
                            .map(NumberDataPoint::getAttributesList)
                            .toList()
                    : m.hasExponentialHistogram()
                            ? m.getExponentialHistogram().getDataPointsList().stream()
                                    .map(ExponentialHistogramDataPoint::getAttributesList)
                                    .toList()
                            : List.of();
            for (List<KeyValue> kvs : attributes) {
                final Map<String, String> a = Received.attributes(kvs);
                if (a.containsKey("hotpath.probe.name")) {
                    probes.put(a.get("hotpath.probe.name"), a.get("hotpath.probe.kind"));
                }
            }
        }
        assertThat(perProbe)
                .as("a health point for every probe exported in the same request")
                .isEqualTo(probes)
                .containsKey("io.hotpath.reference.Dispatcher.pool");

        assertThat(metrics(request, "hotpath.health.state")).hasSize(1);
        final Metric state = metrics(request, "hotpath.health.state").get(0);
        assertThat(state.hasGauge()).as("hotpath.health.state is a gauge").isTrue();
        final Map<String, Long> bands = new TreeMap<>();
        for (NumberDataPoint p : state.getGauge().getDataPointsList()) {
            assertThat(p.getValueCase()).isEqualTo(NumberDataPoint.ValueCase.AS_INT);
            bands.put(Received.attributes(p.getAttributesList()).get("hotpath.health.state"), p.getAsInt());
        }
        final double h = overall.getAsDouble();
        final String band = h > 0.8 ? "healthy" : h > 0.5 ? "degraded" : "unhealthy";
        final Map<String, Long> expected = new TreeMap<>(Map.of("healthy", 0L, "degraded", 0L, "unhealthy", 0L));
        expected.put(band, 1L);
        assertThat(bands).as("the band of overall health " + h).isEqualTo(expected);
    }

    private static List<Metric> allMetrics(ExportMetricsServiceRequest request) {
        return request.getResourceMetricsList().stream()
                .flatMap(rm -> rm.getScopeMetricsList().stream())
                .flatMap(sm -> sm.getMetricsList().stream())
                .toList();
    }

    private static List<Metric> metrics(ExportMetricsServiceRequest request, String name) {
        return allMetrics(request).stream()
                .filter(m -> m.getName().equals(name))
                .toList();
    }
}
