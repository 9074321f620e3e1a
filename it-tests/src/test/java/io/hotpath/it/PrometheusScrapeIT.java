package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hotpath.it.apps.ScrapedQueueApp;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Prometheus scrape of a real JVM running the built agent ({@code OTEL_METRICS_EXPORTER=prometheus}): read over
 * HTTP in the Prometheus text format, and scraped by a real Prometheus server whose query API must return the
 * application's own count of queued messages, exactly.
 */
class PrometheusScrapeIT {
    private static final int MESSAGES = 20_000;
    private static final String QUEUED = "hotpath_queue_enqueued_total";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(120)
    void theScrapeServesTheQueuesCountUnderItsPrometheusName() throws Exception {
        final int port = freePort();
        try (Running app = Running.start(port, 60)) {
            final long queued = app.awaitTruth();
            final String text = getOnceListening("http://127.0.0.1:" + port + "/metrics");
            assertThat(sum(text, QUEUED)).as(text).isEqualTo(queued);
            assertThat(text).contains("# TYPE " + QUEUED + " counter");
            assertThat(text).contains("hotpath_queue_depth{");
            assertThat(app.agentLog()).contains("Prometheus scrape on http://127.0.0.1:" + port + "/metrics");
        }
    }

    @Test
    @Timeout(180)
    void aRealPrometheusServerScrapesTheAgentAndItsQueryMatchesGroundTruth() throws Exception {
        final Path binary = Path.of(System.getProperty("hotpath.it.prometheus", "/usr/bin/prometheus"));
        assumeTrue(
                Files.isExecutable(binary),
                "no Prometheus server at " + binary + " (apt-get install prometheus; CI installs it)");
        final int agentPort = freePort();
        final int promPort = freePort();
        final Path dir = Files.createDirectories(Launch.workFile("prometheus"));
        final Path config = dir.resolve("prometheus.yml");
        Files.writeString(
                config,
                "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
                        + "scrape_configs:\n  - job_name: hotpath\n    static_configs:\n"
                        + "      - targets: ['127.0.0.1:" + agentPort + "']\n");
        final Process prometheus = new ProcessBuilder(
                        binary.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + promPort,
                        "--enable-feature=native-histograms")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        try (Running app = Running.start(agentPort, 90)) {
            final long queued = app.awaitTruth();
            final String query = "sum(" + QUEUED + "{job=\"hotpath\",hotpath_probe_name=~\""
                    + "io\\\\.hotpath\\\\.it\\\\.apps\\\\.ScrapedQueueApp.*\"})";
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Double seen = null;
            while (System.nanoTime() - deadline < 0) {
                seen = queryValue(promPort, query);
                if (seen != null && seen == queued) {
                    break;
                }
                Thread.sleep(500);
            }
            assertThat(seen)
                    .as("Prometheus query " + query + "; its log:\n" + Files.readString(dir.resolve("prometheus.log")))
                    .isEqualTo((double) queued);
            // The native histogram reached Prometheus too (protobuf scrape): a quantile over it is a number.
            final Double p99 = queryValue(
                    promPort,
                    "histogram_quantile(0.99, sum(hotpath_queue_producer_blocked_duration_seconds"
                            + "{job=\"hotpath\"}))");
            System.out.println("Prometheus " + query + " = " + seen + " (ground truth queued=" + queued
                    + "); p99 producer blocked = " + p99);
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The value of an instant query's single result, or null when there is none (yet). */
    private static Double queryValue(int port, String query) throws Exception {
        final String body = get(
                "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        final Map<String, Object> json = Json.object(body);
        if (!"success".equals(json.get("status"))) {
            return null;
        }
        @SuppressWarnings("unchecked")
        final List<Object> result = (List<Object>) ((Map<String, Object>) json.get("data")).get("result");
        if (result.size() != 1) {
            return null;
        }
        @SuppressWarnings("unchecked")
        final List<Object> value = (List<Object>) ((Map<String, Object>) result.get(0)).get("value");
        if (value == null) {
            return null;
        }
        final double v = Double.parseDouble((String) value.get(1));
        return Double.isNaN(v) ? null : v;
    }

    /** Sum of the samples of {@code name} in a text-format scrape, over the app's queue probes. */
    static long sum(String text, String name) {
        final Pattern line = Pattern.compile("^" + name + "\\{([^}]*)} (\\S+)", Pattern.MULTILINE);
        final Matcher m = line.matcher(text);
        double total = 0;
        while (m.find()) {
            if (m.group(1).contains("hotpath_probe_name=\"io.hotpath.it.apps.ScrapedQueueApp")) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return (long) total;
    }

    /**
     * {@link #get}, retried while nothing listens yet (the agent builds its exporter in the background) and while the
     * page is empty: the SDK's server listens as soon as it is built, a moment before its reader is registered, and a
     * scrape in between gets a page without any metric.
     */
    private static String getOnceListening(String url) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                final String page = get(url);
                if (page.contains("# TYPE ") || System.nanoTime() - deadline > 0) {
                    return page;
                }
                Thread.sleep(200);
            } catch (java.net.ConnectException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static String get(String url) throws Exception {
        final HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + "\n" + r.body()).isEqualTo(200);
        return r.body();
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The app, launched in the background with the agent's scrape on {@code port}; stopped on close. */
    private record Running(CompletableFuture<Launch.Result> result, Path truth, Path stop) implements AutoCloseable {
        static Running start(int port, int lingerSeconds) throws Exception {
            final Path truth = Launch.workFile("scraped-truth.txt");
            final Path stop = Launch.workFile("scraped-stop");
            final Launch launch = Launch.on(Jdks.homes().get(0))
                    .prop("hotpath.export.flush.timeout", "0ms")
                    .env("OTEL_METRICS_EXPORTER", "prometheus")
                    .env("OTEL_EXPORTER_PROMETHEUS_PORT", String.valueOf(port))
                    .testMain(
                            ScrapedQueueApp.class,
                            List.of(),
                            String.valueOf(MESSAGES),
                            truth.toString(),
                            stop.toString(),
                            String.valueOf(lingerSeconds))
                    .timeout(Duration.ofSeconds(lingerSeconds + 30));
            final CompletableFuture<Launch.Result> result = CompletableFuture.supplyAsync(() -> {
                try {
                    return launch.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            return new Running(result, truth, stop);
        }

        long awaitTruth() throws Exception {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(truth)) {
                if (result.isDone()) {
                    throw new AssertionError(
                            "the app ended early:\n" + result.get().describe());
                }
                assertThat(System.nanoTime() - deadline)
                        .as("ground truth within 60 s")
                        .isNegative();
                Thread.sleep(50);
            }
            for (String line : Files.readAllLines(truth)) {
                if (line.startsWith("queued=")) {
                    final long queued = Long.parseLong(line.substring("queued=".length()));
                    assertThat(queued).isEqualTo(MESSAGES);
                    return queued;
                }
            }
            throw new AssertionError("no queued= line in " + truth);
        }

        String agentLog() throws Exception {
            close();
            return result.get(60, TimeUnit.SECONDS).stderr();
        }

        @Override
        public void close() throws java.io.IOException {
            if (!Files.exists(stop)) {
                Files.writeString(stop, "stop");
            }
        }
    }
}
