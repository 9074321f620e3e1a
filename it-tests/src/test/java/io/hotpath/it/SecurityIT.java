package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.hotpath.it.otlp.ExportChecks;
import io.hotpath.it.otlp.HttpOtlpReceiver;
import io.hotpath.it.security.ListeningSockets;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the agent exposes, checked on real JVMs on the JDK that runs the tests (the JDK 17 and the JDK 25 pass of CI
 * each run it once):
 *
 * <ul>
 *   <li>It opens no listening socket of its own: no TCP socket in LISTEN, no bound UDP socket, no listening UNIX
 *       socket, read from {@code /proc} while the reference application runs with the defaults and with every
 *       feature turned on. The HTTP endpoint is off unless {@code hotpath.http.port} is set.
 *   <li>When it is set, the endpoint binds loopback (the only listening socket), refuses writes without the token,
 *       and prints the generated token once, on its own line, nowhere else.
 *   <li>A webhook URL's credentials (user info and query) never appear in the agent's output, nor in its dump: not
 *       when the endpoint refuses every POST, not when the URL is unusable or malformed, not at debug level.
 * </ul>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecurityIT {
    static final String PASSWORD = "s3cr3t-pw-4711";
    static final String TOKEN = "t0k3n-value-0815";

    private static Path jdk() {
        return Path.of(System.getProperty("java.home"));
    }

    /** The check itself works: a socket this JVM listens on is found, and goes once closed. */
    @Test
    void listeningSocketsAreSeen() throws IOException {
        final long pid = ProcessHandle.current().pid();
        final ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        final int port = s.getLocalPort();
        try {
            // IPv4 or IPv4-mapped IPv6, as the JDK chose.
            assertThat(ListeningSockets.of(pid))
                    .anyMatch(l -> l.endsWith(" 127.0.0.1:" + port) || l.endsWith("127.0.0.1]:" + port));
        } finally {
            s.close();
        }
        assertThat(ListeningSockets.of(pid)).noneMatch(l -> l.endsWith(":" + port));
    }

    static Stream<Arguments> configurations() {
        return Stream.of(Arguments.of("defaults", false), Arguments.of("everything on", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void agentOpensNoListeningSocket(String name, boolean everything) throws Exception {
        final Path dump = Launch.workFile("security-" + (everything ? "all" : "defaults") + "-dump.json");
        try (HttpOtlpReceiver receiver = HttpOtlpReceiver.onFreePort().start();
                Webhook webhook = Webhook.start(200)) {
            final Launch launch = Launch.on(jdk())
                    .prop("hotpath.dump.file", dump.toString())
                    .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
                    .referenceApp(slowSubscriberAt1s("5s"))
                    .timeout(Duration.ofSeconds(90));
            if (everything) {
                launch.env("OTEL_METRIC_EXPORT_INTERVAL", "500")
                        .prop("hotpath.log.level", "debug")
                        .prop("hotpath.include.jdk", "true")
                        .prop("hotpath.analyzer.locks.monitoring", "true")
                        .prop("hotpath.optimizer.mode", "apply")
                        .prop("hotpath.summary.interval", "1s")
                        .prop("hotpath.dump.interval", "500ms")
                        .prop("hotpath.sampling.rate", "1000000")
                        .prop("hotpath.probes", "io.hotpath.reference.*#publish*:broadcast")
                        .prop("hotpath.alerts.min-severity", "info")
                        .prop("hotpath.alerts.webhook.url", webhook.url("/hook"));
            }
            final CompletableFuture<Launch.Result> run = ExportChecks.inBackground(launch);
            final Set<String> listening = new LinkedHashSet<>();
            int looks = 0;
            while (!run.isDone()) {
                for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
                    if (p.info().commandLine().orElse("").contains(dump.toString())) {
                        try {
                            listening.addAll(ListeningSockets.of(p.pid()));
                            looks++;
                        } catch (IOException exited) {
                            // it ended between the listing and the look
                        }
                    }
                }
                Thread.sleep(250);
            }
            final Launch.Result r = run.get(10, TimeUnit.SECONDS);
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(looks).as("looks at the running JVM's sockets").isGreaterThanOrEqualTo(5);
            assertThat(listening)
                    .as("sockets the JVM listened on\n" + r.describe())
                    .isEmpty();
            if (everything) {
                assertThat(webhook.posts())
                        .as("the webhook was used\n" + r.describe())
                        .isPositive();
                assertThat(receiver.received().metricsRequests()).isNotEmpty();
            }
        }
    }

    @Test
    void httpEndpointBindsLoopbackAndRefusesTokenlessWrites() throws Exception {
        final Path dump = Launch.workFile("security-http-dump.json");
        final Launch launch = Launch.on(jdk())
                .prop("hotpath.http.port", "0")
                .prop("hotpath.export.exporter", "none")
                .prop("hotpath.dump.file", dump.toString())
                .referenceApp("--scenario", "basic", "--duration", "6s", "--quiet", "--rate", "2000")
                .timeout(Duration.ofSeconds(90));
        final io.hotpath.it.http.Endpoint e = io.hotpath.it.http.Endpoint.start(launch, dump.toString());
        assertThat(e.listening).hasSize(1);
        assertThat(e.listening.get(0)).matches("tcp6? (\\[::ffff:)?127\\.0\\.0\\.1\\]?:\\d+");
        assertThat(e.getWhenReady("/api/dump").statusCode()).isEqualTo(200);
        for (String path : List.of("/api/optimizer/mode", "/api/settings", "/api/alerts/1/ack", "/api/probes/x")) {
            final var r = e.post(path, null, "{\"mode\":\"off\"}");
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.body()).as(path).startsWith("{\"error\":\"writes need the header");
        }
        final Launch.Result r = e.run.get(80, TimeUnit.SECONDS);
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final List<String> tokenLines = r.agentLines().stream()
                .filter(l -> l.contains("HTTP write token: "))
                .toList();
        assertThat(tokenLines).as(r.describe()).hasSize(1);
        final String token = tokenLines.get(0).substring(tokenLines.get(0).indexOf("HTTP write token: ") + 18);
        assertThat(token).matches("[A-Za-z0-9_-]{22}");
        final String all = r.stdout() + r.stderr();
        assertThat(all.indexOf(token)).as("the token is printed once").isEqualTo(all.lastIndexOf(token));
        assertThat(Files.readString(dump)).doesNotContain(token);
    }

    static Stream<Arguments> webhookUrls() {
        final String secret = "alice:" + PASSWORD + "@";
        final String query = "?token=" + TOKEN + "&team=ops";
        return Stream.of(
                Arguments.of("refusing endpoint", "http://" + secret + "127.0.0.1:%d/hook" + query, "failed after"),
                Arguments.of("not http", "ftp://" + secret + "example.invalid/hook" + query, "is not usable"),
                Arguments.of("malformed", "https://" + secret + "127.0.0.1/a b" + query, "is not usable"),
                Arguments.of("no host", "https://" + secret + "/hook" + query, "is not usable"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("webhookUrls")
    void webhookCredentialsAreNeverLogged(String name, String urlPattern, String expectedLine) throws Exception {
        try (Webhook webhook = Webhook.start(500)) {
            final String url = String.format(urlPattern, webhook.port());
            final boolean delivered = expectedLine.equals("failed after");
            final Path dump = Launch.workFile("security-webhook-dump.json");
            final Launch.Result r = Launch.on(jdk())
                    .prop("hotpath.dump.file", dump.toString())
                    .prop("hotpath.export.exporter", "none")
                    .prop("hotpath.log.level", "debug")
                    .prop("hotpath.alerts.min-severity", "info")
                    .prop("hotpath.alerts.webhook.url", url)
                    .prop("hotpath.alerts.webhook.retries", "1")
                    .prop("hotpath.alerts.webhook.timeout", "2s")
                    .referenceApp(slowSubscriberAt1s(delivered ? "5s" : "1s"))
                    .timeout(Duration.ofSeconds(90))
                    .run();
            assertThat(r.exitCode()).as(r.describe()).isZero();
            if (delivered) {
                assertThat(webhook.posts()).as("POSTs refused\n" + r.describe()).isPositive();
            }
            final List<String> outputs = new ArrayList<>(List.of(r.stdout(), r.stderr()));
            if (Files.exists(dump)) {
                outputs.add(Files.readString(dump));
            }
            for (String text : outputs) {
                assertThat(text)
                        .as("a credential of the webhook URL in the JVM's output or dump\n" + r.describe())
                        .doesNotContain(PASSWORD)
                        .doesNotContain(TOKEN);
            }
            assertThat(r.agentLines())
                    .as("the agent says what went wrong, without the secrets\n" + r.describe())
                    .anyMatch(l -> l.contains("webhook") && l.contains(expectedLine));
        }
    }

    /** A loopback webhook endpoint answering every POST with one status, counting them. */
    private static final class Webhook implements AutoCloseable {
        private final HttpServer server;
        private final AtomicInteger posts = new AtomicInteger();

        private Webhook(HttpServer server) {
            this.server = server;
        }

        static Webhook start(int status) throws IOException {
            final HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            final Webhook w = new Webhook(s);
            s.createContext("/", exchange -> {
                try (exchange;
                        InputStream in = exchange.getRequestBody()) {
                    in.readAllBytes();
                    w.posts.incrementAndGet();
                    exchange.sendResponseHeaders(status, -1);
                }
            });
            s.start();
            return w;
        }

        int port() {
            return server.getAddress().getPort();
        }

        String url(String path) {
            return "http://127.0.0.1:" + port() + path;
        }

        int posts() {
            return posts.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** The reference application's basic scenario at 2,000 msg/s for {@code duration}, a slow subscriber from 1 s. */
    private static String[] slowSubscriberAt1s(String duration) {
        return new String[] {
            "--scenario",
            "basic",
            "--duration",
            duration,
            "--quiet",
            "--rate",
            "2000",
            "--fault",
            "slow-subscriber",
            "--fault-at",
            "1s"
        };
    }
}
