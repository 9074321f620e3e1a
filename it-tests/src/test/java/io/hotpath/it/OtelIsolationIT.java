package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.OwnOpenTelemetryApp;
import io.hotpath.it.otlp.ExportChecks;
import io.hotpath.it.otlp.HttpOtlpReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** An application's own OpenTelemetry (1.40) works beside the agent's relocated 1.68 and never sees it. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OtelIsolationIT {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void applicationKeepsItsOwnOpenTelemetryAndExitsOnItsOwn(Path jdk) throws Exception {
        final List<Path> libs;
        try (Stream<Path> files = Files.list(Launch.APP_LIBS)) {
            libs = files.filter(p -> p.getFileName().toString().startsWith("opentelemetry-"))
                    .toList();
        }
        assertThat(libs).hasSizeGreaterThanOrEqualTo(4);
        try (HttpOtlpReceiver receiver = HttpOtlpReceiver.onFreePort().start()) {
            final Launch.Result r = Launch.on(jdk)
                    .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
                    .env("OTEL_METRIC_EXPORT_INTERVAL", "500")
                    .testMain(OwnOpenTelemetryApp.class, libs, "2500")
                    .timeout(Duration.ofSeconds(60))
                    .run();
            assertThat(r.timedOut())
                    .as("the JVM exits by itself: no non-daemon thread of ours\n" + r.describe())
                    .isFalse();
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.stdout())
                    .as(r.describe())
                    .contains("HIDDEN io.hotpath.shaded.io.opentelemetry.api.OpenTelemetry")
                    .contains("HIDDEN io.hotpath.shaded.io.opentelemetry.sdk.metrics.SdkMeterProvider")
                    .contains("HIDDEN io.hotpath.exporter.Exporter")
                    .contains("API-FROM opentelemetry-api-1.40.0.jar")
                    .contains("SDK-VERSION 1.40.0")
                    .contains("GLOBAL io.opentelemetry.api.metrics.DefaultMeterProvider")
                    .contains("APP-METRIC app.requests 7")
                    .contains("JUL true 0")
                    .contains("APP-OK")
                    .doesNotContain("VISIBLE");
            assertThat(receiver.received().metricNames())
                    .as("only the agent's metrics (and its SDK's own otel.sdk.* telemetry) go to the agent's receiver")
                    .isNotEmpty()
                    .allMatch(n -> n.startsWith("hotpath.") || n.startsWith("otel.sdk."))
                    .doesNotContain("app.requests");
            assertThat(ExportChecks.sum(
                            receiver.received(),
                            "hotpath.queue.enqueued",
                            n -> n.startsWith("io.hotpath.it.apps.OwnOpenTelemetryApp")))
                    .isEqualTo(2);
        }
    }
}
