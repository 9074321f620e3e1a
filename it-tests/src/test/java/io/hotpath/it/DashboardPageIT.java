package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard page as packed in the built agent jar, in headless Chromium, against the page document
 * ({@code /api/page}) of a dump the reference broadcaster wrote under the slow-subscriber fault (plus one probe whose
 * name is markup), served by a small server in this test
 * under the strict Content-Security-Policy the page is written for. Checks what a person sees: health, findings with
 * their evidence and optimizer actions, a chart per busy probe, the tunables, and "disconnected" when the endpoint
 * goes away. {@code DashboardIT} runs the same page against the agent's own endpoint.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardPageIT {
    /** The policy the page needs, no more: everything from the agent's own origin, nothing inline. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; report-uri /csp-report";

    static final String DASHBOARD = "inst/io/hotpath/agent/http/dashboard/";
    static final List<String> FILES =
            List.of("index.html", "app.js", "app.css", "uPlot.iife.min.js", "uPlot.min.css", "uPlot.LICENSE.txt");

    private Chromium chromium;
    private HttpServer server;
    private String fixture;
    private final Map<String, byte[]> page = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> cspReports = new CopyOnWriteArrayList<>();
    /** Page documents the server still answers; below zero, every one. */
    private final AtomicInteger dumpsLeft = new AtomicInteger(-1);

    @BeforeEach
    void start() throws IOException {
        chromium = Chromium.find().orElse(null);
        Assumptions.assumeTrue(chromium != null, Chromium::missing);
        try (ZipFile jar = new ZipFile(Launch.AGENT_JAR.toFile())) {
            for (String f : FILES) {
                final ZipEntry e = jar.getEntry(DASHBOARD + f);
                assertThat(e).as("%s%s in %s", DASHBOARD, f, Launch.AGENT_JAR).isNotNull();
                try (InputStream in = jar.getInputStream(e)) {
                    page.put(f, in.readAllBytes());
                }
            }
        }
        try (InputStream in = Objects.requireNonNull(
                DashboardPageIT.class.getResourceAsStream("/dashboard/page-slow-subscriber.json"))) {
            fixture = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            final String path = ex.getRequestURI().getPath();
            requests.add(ex.getRequestMethod() + " " + path);
            ex.getResponseHeaders().set("Content-Security-Policy", CSP);
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            if (path.equals("/csp-report")) {
                cspReports.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                ex.sendResponseHeaders(204, -1);
                return;
            }
            if (path.equals("/api/page")) {
                if (dumpsLeft.getAndUpdate(n -> n > 0 ? n - 1 : n) == 0) {
                    ex.sendResponseHeaders(503, -1);
                    return;
                }
                // A fresh reading each time, as the agent gives: the page charts one point per new time.
                final String now = Instant.now().toString();
                reply(ex, "application/json", fixture.replaceFirst("\"time\":\"[^\"]*\"", "\"time\":\"" + now + "\""));
                return;
            }
            final String name = path.equals("/") ? "index.html" : path.substring(1);
            final byte[] body = page.get(name);
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            ex.getResponseHeaders().set("Content-Type", type(name));
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    private static void reply(HttpExchange ex, String type, String text) throws IOException {
        final byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
    }

    private static String type(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        return "text/plain; charset=utf-8";
    }

    @Test
    void showsHealthFindingsChartsAndTunablesOfTheDump() throws Exception {
        final String dom = chromium.dumpDom(url(), Duration.ofSeconds(5), Duration.ofSeconds(60));

        assertThat(dom).as("connection state").contains("data-state=\"live\"");
        assertThat(dom).as("overall health").containsPattern("id=\"health-state\" data-state=\"unhealthy\">unhealthy<");
        // The fault's finding: the slow subscriber's queue is saturated, with its evidence and the optimizer's action.
        final String queue = "io.hotpath.reference.QueueSubscriberChannel.queue";
        assertThat(dom).contains("data-kind=\"saturation\" data-probe=\"" + queue + "\"");
        assertThat(dom).contains("<dt>in_per_s</dt>");
        assertThat(dom).contains("What the optimizer did:");
        assertThat(dom).contains(queue + " is saturated");
        // One chart per busy probe (every probe of the dump with a rate, up to the page's default of 8).
        final List<String> charts = attributes(dom, "figure class=\"chart\" data-probe=\"([^\"]*)\"");
        assertThat(charts).contains(queue, "io.hotpath.reference.StatusBroadcaster.run:42");
        assertThat(charts).hasSizeBetween(5, 8);
        assertThat(dom).contains("class=\"uplot");
        // The tunables with current, original and bounds.
        assertThat(dom)
                .containsPattern(
                        "<tr data-tunable=\"batch\"><td class=\"name\">batch</td><td>batch-size</td>"
                                + "<td>[^<]*</td><td class=\"num\">16</td><td class=\"num\">64</td><td class=\"num\">1 – 1024</td>");
        assertThat(dom).contains("<tr data-action=\"change\">");
        // Alerts with their acknowledgement: an acknowledge button (disabled until a token is given), or who did.
        assertThat(dom).containsPattern("<button type=\"button\" class=\"ack-button\" data-id=\"\\d+\" disabled=\"\"");
        assertThat(dom).containsPattern("<td class=\"ack\">yes by http at \\d\\d:\\d\\d:\\d\\dZ</td>");
        // A probe name that is markup is shown as text, never parsed.
        assertThat(dom).contains("com.acme.&lt;img src=x onerror=alert(1)&gt;#evil");
        assertThat(dom).doesNotContain("<img src=\"x\"");

        assertThat(requests)
                .as("requests: only the page's own files and the API")
                .allSatisfy(r -> assertThat(r)
                        .matches("GET /(|index\\.html|app\\.js|app\\.css|uPlot\\.iife\\.min\\.js|uPlot\\.min\\.css"
                                + "|api/page|favicon\\.ico)"));
        assertThat(requests.stream().filter(r -> r.equals("GET /api/page")).count())
                .as("one page document a second over 5 s of the page's time: %s", requests)
                .isBetween(3L, 7L);
        assertThat(cspReports).as("Content-Security-Policy violations").isEmpty();

        final var png = Chromium.SCREENSHOTS.resolve("dashboard-fixture.png");
        chromium.screenshot(url(), png, 1600, 2200, Duration.ofSeconds(3), Duration.ofSeconds(60));
        assertThat(Files.size(png)).isGreaterThan(10_000);
    }

    @Test
    void saysDisconnectedAndKeepsTheLastReadingWhenTheEndpointGoesAway() throws Exception {
        dumpsLeft.set(2);
        final String dom = chromium.dumpDom(url(), Duration.ofSeconds(6), Duration.ofSeconds(60));

        assertThat(dom).contains("data-state=\"disconnected\"");
        assertThat(dom).containsPattern("disconnected \\(HTTP 503\\), retrying in \\d+ s · showing the reading of ");
        assertThat(dom)
                .as("the last reading stays on screen")
                .contains("data-probe=\"io.hotpath.reference.QueueSubscriberChannel.queue\"");
        assertThat(dom).contains("<body class=\"stale\">");
        assertThat(requests.stream().filter(r -> r.equals("GET /api/page")).count())
                .as("it keeps retrying: %s", requests)
                .isGreaterThan(3L);
    }

    private static List<String> attributes(String dom, String regex) {
        final Matcher m = Pattern.compile(regex).matcher(dom);
        final List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
        }
        return out;
    }
}
