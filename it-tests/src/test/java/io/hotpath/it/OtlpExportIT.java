package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.otlp.ExportChecks;
import io.hotpath.it.otlp.GrpcOtlpReceiver;
import io.hotpath.it.otlp.HttpOtlpReceiver;
import io.hotpath.it.otlp.Received;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
    static Stream<Path> jdks() {
        return Jdks.homes().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void httpProtobufCarriesExactTotalsUnitsResourceAndEvents(Path jdk) throws Exception {
        try (HttpOtlpReceiver receiver = HttpOtlpReceiver.onFreePort().start()) {
            final Launch.Result r = Launch.on(jdk)
                    .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
                    .env("OTEL_METRIC_EXPORT_INTERVAL", "500")
                    .env("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip")
                    .env("OTEL_EXPORTER_OTLP_HEADERS", "x-hotpath-token=s3cret%20value")
                    .env("OTEL_SERVICE_NAME", "status-broadcaster")
                    .env("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=it")
                    .referenceApp("--scenario", "basic", "--duration", "3s", "--quiet")
                    .run();
            assertThat(r.exitCode()).as(r.describe()).isZero();
            final GroundTruth truth = GroundTruth.of(r);
            final Received got = receiver.received();
            ExportChecks.assertExact(got, truth, r.describe());

            assertThat(ExportChecks.exportWarnings(r)).as(r.describe()).isEmpty();
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
            assertThat(timedTasks).isPositive().isLessThanOrEqualTo(truth.get("dispatchCompleted"));
            // Every point of a series has the same start: cumulative since the agent started.
            assertThat(got.metrics("hotpath.queue.enqueued").stream()
                            .flatMap(m -> m.getSum().getDataPointsList().stream())
                            .map(p -> p.getStartTimeUnixNano())
                            .distinct())
                    .hasSize(1);
            assertThat(Received.attributes(enqueued.getSum().getDataPoints(0).getAttributesList()))
                    .containsOnlyKeys("hotpath.probe.name", "hotpath.probe.kind");

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
    @MethodSource("jdks")
    void grpcOverTlsCarriesExactTotalsAndEvents(Path jdk) throws Exception {
        final Path dir = Files.createDirectories(Launch.workFile("grpc-tls"));
        final GrpcOtlpReceiver.TestCertificate cert = GrpcOtlpReceiver.TestCertificate.create(dir);
        try (GrpcOtlpReceiver receiver = GrpcOtlpReceiver.tls(cert)) {
            final Launch.Result r = Launch.on(jdk)
                    .env("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
                    .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
                    .env("OTEL_EXPORTER_OTLP_CERTIFICATE", cert.certificatePem().toString())
                    .env("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip")
                    .env("OTEL_METRIC_EXPORT_INTERVAL", "500")
                    .referenceApp("--scenario", "basic", "--duration", "3s", "--quiet")
                    .run();
            assertThat(r.exitCode()).as(r.describe()).isZero();
            ExportChecks.assertExact(receiver.received(), GroundTruth.of(r), r.describe());
            assertThat(ExportChecks.exportWarnings(r)).as(r.describe()).isEmpty();
            assertThat(receiver.received().metricsRequests()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(receiver.received().logRecords())
                    .anyMatch(e -> e.getEventName().equals("hotpath.agent.started"));
            assertThat(receiver.received().resource()).containsEntry("service.name", "hotpath-reference-app");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void grpcOverCleartextCarriesExactTotalsAndEvents(Path jdk) throws Exception {
        try (GrpcOtlpReceiver receiver = GrpcOtlpReceiver.cleartext()) {
            final Launch.Result r = Launch.on(jdk)
                    .env("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
                    .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
                    .env("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip")
                    .env("OTEL_EXPORTER_OTLP_HEADERS", "x-hotpath-token=s3cret%20value")
                    .env("OTEL_METRIC_EXPORT_INTERVAL", "500")
                    .referenceApp("--scenario", "basic", "--duration", "3s", "--quiet")
                    .run();
            assertThat(r.exitCode()).as(r.describe()).isZero();
            ExportChecks.assertExact(receiver.received(), GroundTruth.of(r), r.describe());
            assertThat(ExportChecks.exportWarnings(r)).as(r.describe()).isEmpty();
            assertThat(r.agentLines())
                    .as(r.describe())
                    .anyMatch(l -> l.contains("export: OTLP grpc metrics to " + receiver.endpoint()));
            assertThat(receiver.received().metricsRequests())
                    .as("periodic exports and the final one")
                    .hasSizeGreaterThanOrEqualTo(2);
            assertThat(receiver.received().logRecords())
                    .anyMatch(e -> e.getEventName().equals("hotpath.agent.started"));
            assertThat(receiver.headerLines()).contains("x-hotpath-token: s3cret value");
            assertThat(receiver.headerLines()).anyMatch(h -> h.equals("grpc-encoding: gzip"));
            assertThat(r.stderr() + r.stdout()).as("headers are never logged").doesNotContain("s3cret");
        }
    }
}
