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
        endpoint = HttpEndpoint.open("127.0.0.1", 0, ops);
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
    void pageIsServedOrSaysTheDashboardIsNotBuilt() throws IOException {
        final String page = get(endpoint.port(), "/");
        assertThat(status(page)).isEqualTo(200);
        assertThat(page).containsIgnoringCase("content-type: text/html");
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
}
