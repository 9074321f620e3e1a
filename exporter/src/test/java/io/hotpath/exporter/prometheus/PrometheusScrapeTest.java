package io.hotpath.exporter.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.ipc.AgentThreads;
import io.hotpath.exporter.ExportSettings;
import io.hotpath.exporter.Exporter;
import io.hotpath.exporter.RecordingLog;
import io.hotpath.exporter.config.OtelEnvironment;
import io.hotpath.exporter.metrics.HealthReading;
import io.hotpath.exporter.metrics.SelfReading;
import io.opentelemetry.sdk.resources.Resource;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scrape through the SDK's own Prometheus exporter, read over real HTTP. */
@Timeout(60)
public class PrometheusScrapeTest {
    @Test
    void theScrapeCarriesTheCoresTotalsUnderPrometheusNamesOnDaemonThreadsOfTheAgent() throws Exception {
        final Probe probe = Probes.register("test.Scrape.queue", PathKind.QUEUE, Dist.bit(Dist.WAIT));
        probe.add(Slot.IN, 41);
        probe.add(Slot.OUT, 40);
        probe.record(Dist.WAIT, 5_000);
        final Set<Thread> before = Thread.getAllStackTraces().keySet();
        final int port = freePort();
        final List<String> lines = new ArrayList<>();
        final Exporter e = start(port, lines, "prometheus");
        try {
            assertThat(lines).contains("INFO Prometheus scrape on http://127.0.0.1:" + port + "/metrics");
            final Scrape s = Scrape.get(port);
            assertThat(s.value("hotpath_queue_enqueued_total", "hotpath_probe_name", "test.Scrape.queue"))
                    .isEqualTo(41);
            assertThat(s.value("hotpath_queue_depth", "hotpath_probe_name", "test.Scrape.queue"))
                    .isEqualTo(1);
            assertThat(s.value(
                            "hotpath_queue_consumer_wait_duration_seconds_count",
                            "hotpath_probe_name",
                            "test.Scrape.queue"))
                    .isEqualTo(1);
            assertThat(s.value("hotpath_queue_enqueued_total", "hotpath_probe_name", "test.Scrape.queue"))
                    .isEqualTo(41);
            assertThat(s.value("hotpath_health", "hotpath_probe_name", "test.Scrape.queue"))
                    .isEqualTo(0.7);
            probe.add(Slot.IN, 1);
            assertThat(Scrape.get(port)
                            .value("hotpath_queue_enqueued_total", "hotpath_probe_name", "test.Scrape.queue"))
                    .as("each scrape reads the core afresh")
                    .isEqualTo(42);

            // The scrape's threads: the request pool's and the JDK server's dispatcher (the test's own HTTP client
            // and the OTLP senders start threads too, from the test's thread).
            final List<Thread> started = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t))
                    .filter(t -> t.getName().startsWith("hotpath-prometheus-")
                            || t.getName().equals("HTTP-Dispatcher"))
                    .collect(Collectors.toList());
            assertThat(started)
                    .extracting(Thread::getName)
                    .anyMatch(n -> n.startsWith("hotpath-prometheus-"))
                    .anyMatch(n -> n.equals("HTTP-Dispatcher"));
            assertThat(started)
                    .as("every thread the scrape started is a daemon of the agent's group")
                    .allSatisfy(t -> {
                        assertThat(t.isDaemon()).as(t.getName()).isTrue();
                        assertThat(t.getThreadGroup()).as(t.getName()).isNotNull();
                        assertThat(t.getThreadGroup().getName()).as(t.getName()).isEqualTo("hotpath");
                    });
        } finally {
            e.shutdown(Duration.ofSeconds(10));
        }
        assertThat(listening(port)).as("the port is closed after shutdown").isFalse();
        final long left = Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("hotpath-prometheus-")
                        || t.getName().equals("HTTP-Dispatcher"))
                .count();
        assertThat(left).as("the scrape's threads end with it").isZero();
    }

    @Test
    void aPortInUseCostsTheScrapeOnlyInOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            final List<String> lines = new ArrayList<>();
            final Exporter e = start(taken.getLocalPort(), lines, "prometheus");
            try {
                assertThat(lines)
                        .filteredOn(l -> l.contains("Prometheus"))
                        .singleElement()
                        .satisfies(l -> assertThat(l)
                                .startsWith("WARN the Prometheus scrape could not listen on http://127.0.0.1:"
                                        + taken.getLocalPort() + "/metrics")
                                .contains("OTEL_EXPORTER_PROMETHEUS_PORT"));
            } finally {
                e.shutdown(Duration.ofSeconds(10));
            }
        }
    }

    public static Exporter start(int port, List<String> lines, String exporters) {
        final Properties system = new Properties();
        system.setProperty("otel.metrics.exporter", exporters);
        system.setProperty("otel.exporter.prometheus.port", String.valueOf(port));
        // OTLP to a port nobody listens on: events have somewhere to go, and nothing here waits for them.
        system.setProperty("otel.exporter.otlp.endpoint", "http://127.0.0.1:9");
        final ExportSettings settings = ExportSettings.of(
                ExportSettings.Mode.OTLP,
                OtelEnvironment.read(Map.of(), system),
                2000,
                320,
                Duration.ofSeconds(1),
                "test");
        return Exporter.startInSteps(
                settings,
                Resource.empty(),
                new RecordingLog(lines),
                1L,
                () -> new HealthReading(0.7, "degraded", Map.of("test.Scrape.queue", 0.7)),
                () -> new SelfReading(1.5, 1024, 0.25, 0.01),
                e -> true);
    }

    public static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static {
        // The agent thread group exists before any test thread is compared against it.
        AgentThreads.current();
    }
}
