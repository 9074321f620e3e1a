package io.hotpath.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.exporter.config.OtelEnvironment;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The whole exporter in {@code logging} mode: the SDK pipeline end to end, without a network. */
class ExporterTest {
    @Test
    void loggingModePrintsEveryMetricPointAndEvent() {
        final Probe probe = Probes.register("test.ExporterTest.queue", PathKind.QUEUE, Dist.bit(Dist.SIZE));
        probe.add(Slot.IN, 5);
        probe.record(Dist.SIZE, 3);
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Exporter exporter = Exporter.start(
                settings(ExportSettings.Mode.LOGGING, Map.of()), Resource.empty(), new RecordingLog(lines), 1L);
        try {
            exporter.emit(Event.builder("hotpath.test", Severity.WARNING, "something happened")
                    .attribute("k", 1)
                    .build());
            assertThat(exporter.flushAtExit(Duration.ofSeconds(5))).isTrue();
            assertThat(lines)
                    .anyMatch(l -> l.startsWith("INFO metric hotpath.queue.enqueued{")
                            && l.contains("hotpath.probe.name=test.ExporterTest.queue")
                            && l.endsWith(" 5 {message}"))
                    .anyMatch(
                            l -> l.startsWith("INFO metric hotpath.queue.batch.size{") && l.contains("count=1 sum=3.0"))
                    .anyMatch(l -> l.equals("INFO event hotpath.test WARN something happened{k=1}"));
        } finally {
            exporter.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void grpcOverCleartextToAnAbsentReceiverGivesUpAtExitWithoutDelay() throws Exception {
        final int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Exporter exporter = Exporter.start(
                settings(
                        ExportSettings.Mode.OTLP,
                        Map.of(
                                "OTEL_EXPORTER_OTLP_PROTOCOL",
                                "grpc",
                                "OTEL_EXPORTER_OTLP_ENDPOINT",
                                "http://127.0.0.1:" + port)),
                Resource.empty(),
                new RecordingLog(lines),
                1L);
        try {
            assertThat(exporter.describe()).contains("OTLP grpc metrics to http://127.0.0.1:" + port);
            // The first send loads the OkHttp classes of the call path (a few hundred ms on a loaded machine); the
            // JVM would pay that once, at its first export, whichever it is. Timed below is the one that follows.
            assertThat(exporter.flushAtExit(Duration.ofSeconds(2))).isFalse();
            final long start = System.nanoTime();
            assertThat(exporter.flushAtExit(Duration.ofSeconds(2))).isFalse();
            // Nothing listening is not retried at exit: the exit is not held up for the flush budget.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
            final long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (lines.stream().noneMatch(l -> l.contains("connection refused")) && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(lines).anyMatch(l -> l.startsWith("WARN ") && l.contains("connection refused"));
        } finally {
            exporter.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void httpExportersShareOneClientAndDeliverMetricsAndEvents() throws Exception {
        final Probe probe = Probes.register("test.ExporterTest.shared", PathKind.QUEUE, Dist.bit(Dist.SIZE));
        probe.add(Slot.IN, 7);
        final List<String> paths = new CopyOnWriteArrayList<>();
        final com.sun.net.httpserver.HttpServer server = receiver(paths);
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Exporter exporter = Exporter.start(otlpTo(server), Resource.empty(), new RecordingLog(lines), 1L);
        try {
            exporter.emit(Event.builder("hotpath.test", Severity.INFO, "shared client")
                    .build());
            assertThat(exporter.flushAtExit(Duration.ofSeconds(5)))
                    .as("%s", lines)
                    .isTrue();
            // Periodic metrics, final metrics and events: three senders, one client (one selector thread).
            assertThat(exporter.httpClients()).isEqualTo(1);
            // The client's work ran on the exporter's own long-lived daemon workers, not on a pool of the JDK's whose
            // threads end after a minute idle and come back new at the next export.
            final List<Thread> workers = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("hotpath-otlp-http-"))
                    .toList();
            assertThat(workers).isNotEmpty().allMatch(Thread::isDaemon);
            final long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!paths.contains("/v1/logs") && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(paths).contains("/v1/metrics", "/v1/logs");
        } finally {
            exporter.shutdown(Duration.ofSeconds(5));
            server.stop(0);
        }
    }

    @Test
    void theFinalExportNeedsOnlyTheFirstStep() throws Exception {
        final Probe probe = Probes.register("test.ExporterTest.steps", PathKind.QUEUE, Dist.bit(Dist.SIZE));
        probe.add(Slot.IN, 11);
        final List<String> paths = new CopyOnWriteArrayList<>();
        final com.sun.net.httpserver.HttpServer server = receiver(paths);
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<Exporter> ready = new CopyOnWriteArrayList<>();
        final Exporter exporter = Exporter.startInSteps(
                otlpTo(server), Resource.empty(), new RecordingLog(lines), 1L, null, null, e -> ready.add(e) && false);
        try {
            assertThat(ready).containsExactly(exporter);
            // No periodic reader and no event batcher were built: events are dropped, the final metrics still go.
            exporter.emit(
                    Event.builder("hotpath.test", Severity.INFO, "dropped").build());
            assertThat(exporter.flushAtExit(Duration.ofSeconds(5)))
                    .as("%s", lines)
                    .isTrue();
            assertThat(paths).containsExactly("/v1/metrics");
        } finally {
            exporter.shutdown(Duration.ofSeconds(5));
            server.stop(0);
        }
    }

    /** A loopback OTLP/HTTP receiver that answers every request 200 and records its path in {@code paths}. */
    private static com.sun.net.httpserver.HttpServer receiver(List<String> paths) throws java.io.IOException {
        final com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            paths.add(x.getRequestURI().getPath());
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.start();
        return server;
    }

    /** OTLP export (the default protocol) to {@code server}. */
    private static ExportSettings otlpTo(com.sun.net.httpserver.HttpServer server) {
        return settings(
                ExportSettings.Mode.OTLP,
                Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT",
                        "http://127.0.0.1:" + server.getAddress().getPort()));
    }

    private static ExportSettings settings(ExportSettings.Mode mode, Map<String, String> env) {
        return ExportSettings.of(
                mode, OtelEnvironment.read(env, new Properties()), 2000, 320, Duration.ofSeconds(2), "test");
    }
}
