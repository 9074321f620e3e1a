package io.hotpath.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.operate.LiveState;
import io.hotpath.agent.operate.Operations;
import io.hotpath.bootstrap.snapshot.SnapshotTaker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The endpoint over a real socket: the dump, the page, and requests it must refuse. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpEndpointTest {
    private HttpEndpoint endpoint;
    private LiveState live;

    @BeforeEach
    void start() throws IOException {
        live = new LiveState();
        final Operations ops = new Operations(live, Map.of("pid", "1"), System.nanoTime());
        endpoint = HttpEndpoint.open("127.0.0.1", 0, ops, "0123456789abcdef-token");
    }

    @AfterEach
    void stop() {
        endpoint.stop();
    }

    /** One request over a fresh connection; returns the whole response (status line, headers, body). */
    static String raw(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            final OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            final InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String get(int port, String path) throws IOException {
        return raw(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }

    static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void dumpIsServiceUnavailableBeforeTheFirstTickThenTheDumpDocument() throws IOException {
        final String before = get(endpoint.port(), "/api/dump");
        assertThat(status(before)).isEqualTo(503);
        assertThat(body(before)).startsWith("{\"error\":\"no data yet");

        live.publish(new SnapshotTaker().takeFull(), null, null);
        final String after = get(endpoint.port(), "/api/dump");
        assertThat(status(after)).isEqualTo(200);
        assertThat(after).containsIgnoringCase("content-type: application/json");
        assertThat(body(after)).startsWith("{\"schema\":\"hotpath.dump/2\"").contains("\"pid\":\"1\"");
    }

    @Test
    void pageDocumentTakesABoundedTopAndRefusesBadOnesInOneLine() throws IOException {
        assertThat(status(get(endpoint.port(), "/api/page")))
                .as("before the first tick")
                .isEqualTo(503);
        live.publish(new SnapshotTaker().takeFull(), null, null);
        final String page = get(endpoint.port(), "/api/page");
        assertThat(status(page)).isEqualTo(200);
        assertThat(body(page)).startsWith("{\"schema\":\"hotpath.page/1\"").contains("\"top\":16,");
        assertThat(body(get(endpoint.port(), "/api/page?top=3"))).contains("\"top\":3,");
        assertThat(body(get(endpoint.port(), "/api/page?top=100"))).contains("\"top\":100,");
        for (String bad : new String[] {"top=0", "top=101", "top=abc", "top=", "top=99999999999", "busy=3", "top"}) {
            final String r = get(endpoint.port(), "/api/page?" + bad);
            assertThat(status(r)).as(bad).isEqualTo(400);
            assertThat(body(r))
                    .as(bad)
                    .startsWith("{\"error\":\"")
                    .contains("allowed: top=N with N a whole number from 1 to 100")
                    .hasLineCount(1);
        }
        assertThat(body(get(endpoint.port(), "/api/page?top=0"))).startsWith("{\"error\":\"top=0 not allowed;");
        assertThat(body(get(endpoint.port(), "/api/page?busy=3")))
                .startsWith("{\"error\":\"query parameter busy not taken by /api/page;");
    }

    /** One request over a fresh connection; the response's bytes. */
    static byte[] rawBytes(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return s.getInputStream().readAllBytes();
        }
    }

    @Test
    void jsonIsGzippedOnlyForAClientThatAsks() throws IOException {
        live.publish(new SnapshotTaker().takeFull(), null, null);
        for (String path : new String[] {"/api/dump", "/api/page", "/api/probes", "/api/nope"}) {
            final String plain = get(endpoint.port(), path);
            assertThat(plain).as(path).doesNotContainIgnoringCase("content-encoding");
            assertThat(plain).as(path).containsIgnoringCase("vary: accept-encoding");
            assertThat(body(plain)).as(path).startsWith("{\"");

            final byte[] response = rawBytes(
                    endpoint.port(),
                    "GET " + path + " HTTP/1.1\r\nHost: x\r\nAccept-Encoding: deflate, gzip;q=0.8\r\n"
                            + "Connection: close\r\n\r\n");
            final String head = headOf(response);
            assertThat(head).as(path).containsIgnoringCase("content-encoding: gzip");
            final byte[] gz = java.util.Arrays.copyOfRange(response, head.length(), response.length);
            assertThat(head).as(path).containsIgnoringCase("content-length: " + gz.length);
            final String unzipped;
            try (java.util.zip.GZIPInputStream in =
                    new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
                unzipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(unzipped).as(path).isEqualTo(body(get(endpoint.port(), path)));
        }
        // A gzip weight of 0 is a refusal; the page's own files are never compressed.
        assertThat(raw(
                        endpoint.port(),
                        "GET /api/dump HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip;q=0, identity\r\n"
                                + "Connection: close\r\n\r\n"))
                .doesNotContainIgnoringCase("content-encoding");
        assertThat(raw(
                        endpoint.port(),
                        "GET / HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n" + "Connection: close\r\n\r\n"))
                .doesNotContainIgnoringCase("content-encoding");
    }

    /** The status line and headers, through the blank line. */
    private static String headOf(byte[] response) {
        final String latin = new String(response, StandardCharsets.ISO_8859_1);
        return latin.substring(0, latin.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void incidentsAndPipelineAreTheDumpsSectionsAndConflictWhileTheAnalyzerIsOff() throws IOException {
        live.publish(new SnapshotTaker().takeFull(), null, null);
        assertThat(status(get(endpoint.port(), "/api/incidents"))).isEqualTo(409);
        assertThat(status(get(endpoint.port(), "/api/pipeline"))).isEqualTo(409);

        live.publish(new SnapshotTaker().takeFull(), io.hotpath.agent.analyze.AnalysisView.empty(), null);
        final String incidents = get(endpoint.port(), "/api/incidents");
        assertThat(status(incidents)).isEqualTo(200);
        assertThat(body(incidents)).isEqualTo("{\"incidents\":[]}\n");
        final String pipeline = get(endpoint.port(), "/api/pipeline");
        assertThat(status(pipeline)).isEqualTo(200);
        assertThat(body(pipeline)).startsWith("{\"pipeline\":{\"stages\":[],\"edges\":[],\"edge_overflow\":");
    }

    @Test
    void pageIsServedOrSaysTheDashboardIsNotBuilt() throws IOException {
        final String page = get(endpoint.port(), "/");
        assertThat(status(page)).isEqualTo(200);
        assertThat(page).containsIgnoringCase("content-type: text/html");
        assertThat(page)
                .containsIgnoringCase("content-security-policy: default-src 'none'; script-src 'self';")
                .containsIgnoringCase("frame-ancestors 'none'");
        assertThat(body(page)).contains("<html");
    }

    @Test
    void traversalAndHiddenPathsAreNotFound() throws IOException {
        for (String path : new String[] {
            "/../pom.xml",
            "/a/../../x.html",
            "/%2e%2e/x.html",
            "/.hidden.html",
            "/io/hotpath/agent/http/HttpEndpoint.class",
            "/index.html/"
        }) {
            final String r = get(endpoint.port(), path);
            assertThat(status(r)).as(path).isIn(400, 404);
            assertThat(body(r)).as(path).startsWith("{\"error\":");
        }
        // A request target starting with // names an authority: the JDK server finds no context and answers 404
        // itself, before our handler.
        assertThat(status(get(endpoint.port(), "//x.html"))).isEqualTo(404);
        // Not a valid URI: the JDK server answers 400 itself.
        assertThat(status(get(endpoint.port(), "/x\\..\\y.html"))).isEqualTo(400);
    }

    @Test
    void unknownRoutesAndBadMethodsGetOneLineJsonErrors() throws IOException {
        final String missing = get(endpoint.port(), "/api/nope");
        assertThat(status(missing)).isEqualTo(404);
        assertThat(body(missing))
                .isEqualTo("{\"error\":\"no route /api/nope; see docs/http-api.md for the routes\"}\n");

        final String post = raw(
                endpoint.port(),
                "DELETE /api/dump HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        assertThat(status(post)).isEqualTo(405);
        assertThat(post).containsIgnoringCase("allow: GET, HEAD");
        assertThat(body(post)).contains("method DELETE not allowed on /api/dump");
    }

    static String post(int port, String path, String auth, String type, String body) throws IOException {
        final byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return raw(
                port,
                "POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                        + (auth == null ? "" : "Authorization: " + auth + "\r\n")
                        + (type == null ? "" : "Content-Type: " + type + "\r\n")
                        + "Content-Length: " + b.length + "\r\n\r\n" + body);
    }

    private static final String TOKEN = "Bearer 0123456789abcdef-token";

    @Test
    void writesNeedTheTokenAndAnswerEveryBadRequestWithOneLine() throws IOException {
        live.publish(new SnapshotTaker().takeFull(), null, null);
        final int port = endpoint.port();
        final String body = "{\"key\":\"hotpath.log.level\",\"value\":\"warn\"}";
        assertThat(status(post(port, "/api/settings", null, "application/json", body)))
                .isEqualTo(401);
        assertThat(body(post(port, "/api/settings", "Bearer wrong", "application/json", body)))
                .startsWith("{\"error\":\"the bearer token does not match");
        assertThat(status(post(port, "/api/settings", TOKEN, "text/plain", body)))
                .isEqualTo(415);
        assertThat(body(post(port, "/api/settings", TOKEN, "application/json", "{\"key\":")))
                .startsWith("{\"error\":\"body is not a flat JSON object: expected");
        assertThat(status(post(port, "/api/settings", TOKEN, "application/json", "x".repeat(70_000))))
                .isEqualTo(413);
        final String startOnly = body(post(
                port, "/api/settings", TOKEN, "application/json", "{\"key\":\"hotpath.probes.max\",\"value\":\"10\"}"));
        assertThat(startOnly).contains("setting hotpath.probes.max is read at start only");
        final String badLevel = body(post(
                port,
                "/api/settings",
                TOKEN,
                "application/json",
                "{\"key\":\"hotpath.log.level\",\"value\":\"loud\"}"));
        assertThat(badLevel).contains("hotpath.log.level=loud not allowed; allowed:");
        assertThat(status(post(port, "/api/probes/no.such%23probe", TOKEN, "application/json", "{\"enabled\":false}")))
                .isEqualTo(404);
        assertThat(status(post(port, "/api/alerts/abc/ack", TOKEN, null, ""))).isEqualTo(400);
        assertThat(status(post(port, "/api/optimizer/mode", TOKEN, "application/json", "{\"mode\":\"fast\"}")))
                .isEqualTo(400);
        assertThat(status(get(port, "/api/settings"))).isEqualTo(405);
        assertThat(status(post(port, "/api/dump", TOKEN, null, ""))).isEqualTo(405);

        final io.hotpath.agent.log.AgentLog.Level before = io.hotpath.agent.log.AgentLog.threshold();
        try {
            final String ok = post(port, "/api/settings", TOKEN, "application/json", body);
            assertThat(status(ok)).isEqualTo(200);
            assertThat(io.hotpath.agent.log.AgentLog.threshold()).isEqualTo(io.hotpath.agent.log.AgentLog.Level.WARN);
            assertThat(body(get(port, "/api/audit")))
                    .contains("\"operator_total\":1")
                    .contains("\"who\":\"http\",\"what\":\"setting\",\"target\":\"hotpath.log.level\"");
        } finally {
            io.hotpath.agent.log.AgentLog.threshold(before);
        }
        // Still answering.
        assertThat(status(get(port, "/api/dump"))).isEqualTo(200);
    }

    @Test
    void aSlowClientIsCutOffAtTheDeadlineAndTheNextRequestIsAnswered() throws Exception {
        live.publish(new SnapshotTaker().takeFull(), null, null);
        try (Socket slow = new Socket("127.0.0.1", endpoint.port())) {
            slow.getOutputStream().write("GET /api/dump HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            final long deadline = System.nanoTime() + 30_000_000_000L;
            while (endpoint.timedOut() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(endpoint.timedOut()).isEqualTo(1);
        }
        assertThat(status(get(endpoint.port(), "/api/dump"))).isEqualTo(200);
    }
}
