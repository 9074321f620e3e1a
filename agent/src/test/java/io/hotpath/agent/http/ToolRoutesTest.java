package io.hotpath.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.operate.LiveState;
import io.hotpath.agent.operate.Operations;
import io.hotpath.agent.tools.Tracer;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.jdk.TrackedArrayBlockingQueue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The debug tools' routes without a socket: a trace started by a token-protected write keeps every event of its probe
 * and writes them as JSON lines; inspection shows a queue's configuration, depth and counters; queue contents are
 * refused unless enabled, then bounded and cut; every bad input is a 400 naming the value and what is allowed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ToolRoutesTest {
    private static final String TOKEN = "0123456789abcdef-token";
    private static final String AUTH = "Bearer " + TOKEN;

    @TempDir
    Path dir;

    private Api api;

    @BeforeEach
    void start() {
        Tracer.install(new Tracer(dir, Duration.ofSeconds(30), 1000));
        api = new Api(new Operations(new LiveState(), Map.of(), System.nanoTime()), TOKEN);
    }

    @AfterEach
    void stop() {
        Operations.contents(false, 200);
        Tracer.current().stop();
        assertThat(Tracer.current().awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    private Reply get(String path, String query) {
        return api.handle(new Api.Request("GET", path, query, null, null, new byte[0]));
    }

    private Reply post(String path, String json) {
        return api.handle(
                new Api.Request("POST", path, null, AUTH, "application/json", json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String body(Reply r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static String q(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    @Test
    void aTraceKeepsEveryEventOfItsProbeAndWritesThemAsJsonLines() throws Exception {
        final String name = "test.tools.trace#queue";
        final TrackedArrayBlockingQueue<String> queue = new TrackedArrayBlockingQueue<>(
                2, Probes.register(name, PathKind.QUEUE, 0).id());
        Reply r = api.handle(new Api.Request(
                "POST",
                "/api/trace",
                null,
                null,
                "application/json",
                ("{\"probe\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8)));
        assertThat(r.status()).as("a write needs the token").isEqualTo(401);

        r = post("/api/trace", "{\"probe\":\"" + name + "\",\"duration\":\"20s\",\"max\":5}");
        assertThat(r.status()).as(body(r)).isEqualTo(200);
        assertThat(body(r)).contains("\"done\":\"trace\"").contains("hotpath-trace-");
        assertThat(body(get("/api/trace", null))).contains("\"probe\":\"" + name + "\"");
        r = post("/api/trace", "{\"probe\":\"" + name + "\"}");
        assertThat(r.status()).as("one trace at a time").isEqualTo(409);
        assertThat(body(r)).contains("one trace runs at a time");

        queue.offer("a");
        queue.offer("b");
        queue.offer("c"); // refused: full
        queue.poll();
        queue.poll();
        queue.offer("d"); // the sixth event: past the bound
        assertThat(Tracer.current().awaitIdle(Duration.ofSeconds(10)))
                .as("the trace ends at its bound")
                .isTrue();

        final Path file;
        try (var files = Files.list(dir)) {
            file = files.filter(f -> f.getFileName().toString().startsWith("hotpath-trace-"))
                    .findFirst()
                    .orElseThrow();
        }
        final List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(7);
        assertThat(lines.get(0)).contains("\"trace\":\"" + name + "\"").contains("\"max\":5");
        assertThat(lines.subList(1, 6))
                .extracting(l -> l.replaceAll(".*\"outcome\":\"([a-z_]+)\".*", "$1"))
                .containsExactly("in", "in", "dropped", "out", "out");
        assertThat(lines.get(1))
                .contains("\"thread\":\"" + Thread.currentThread().getName() + "\"")
                .contains("\"amount\":1")
                .contains("\"time_ms\":");
        assertThat(lines.get(6))
                .contains("\"end\":\"max\"")
                .contains("\"entries\":5")
                .contains("\"events\":6");

        final String inspect = body(get("/api/inspect", "probe=" + q(name)));
        assertThat(inspect)
                .contains("\"kind\":\"queue\"")
                .contains("\"remaining_capacity\":1")
                .contains("\"size\":1")
                .contains("\"in\":3")
                .contains("\"dropped\":1")
                .contains("\"end\":\"max\"")
                .contains("\"producer_threads\":[\"" + Thread.currentThread().getName() + "\"]")
                .contains("\"outcome\":\"dropped\"");
    }

    @Test
    void aTraceStopsEarlyWhenAsked() {
        Probes.register("test.tools.stop", PathKind.METHOD, 0);
        assertThat(post("/api/trace/stop", "").status()).isEqualTo(409);
        assertThat(post("/api/trace", "{\"probe\":\"test.tools.stop\"}").status())
                .isEqualTo(200);
        final Reply r = post("/api/trace/stop", "");
        assertThat(r.status()).as(body(r)).isEqualTo(200);
        assertThat(Tracer.current().awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(body(get("/api/trace", null))).isEqualTo("{\"trace\":null}\n");
    }

    @Test
    void badTraceInputsAreRefusedInOneLineNamingTheValue() {
        Probes.register("test.tools.bad", PathKind.METHOD, 0);
        assertBad(post("/api/trace", "{\"probe\":\"no.such.probe\"}"), "no.such.probe", "allowed: a probe name");
        assertBad(post("/api/trace", "{\"probe\":\"test.tools.bad\",\"duration\":\"forever\"}"), "forever", "1s to 1h");
        assertBad(post("/api/trace", "{\"probe\":\"test.tools.bad\",\"duration\":\"2h\"}"), "2h", "1s to 1h");
        assertBad(post("/api/trace", "{\"probe\":\"test.tools.bad\",\"max\":0}"), "max=0", "1 to 100000");
        assertBad(post("/api/trace", "{\"probe\":\"test.tools.bad\",\"max\":100001}"), "max=100001", "1 to 100000");
        assertBad(post("/api/trace", "{\"probe\":\"test.tools.bad\",\"max\":\"ten\"}"), "ten", "whole number");
        assertBad(post("/api/trace", "{\"probe\":\"test.tools.bad\",\"speed\":1}"), "speed", "probe, duration, max");
        assertBad(post("/api/trace", "{}"), "probe", "must be a string");
        assertThat(Tracer.current().runningTrace())
                .as("no bad input started a trace")
                .isNull();
    }

    @Test
    void inspectionRefusesUnknownProbesAndParameters() {
        assertBad(get("/api/inspect", "probe=no.such"), "no.such", "allowed: a probe name");
        assertBad(get("/api/inspect", null), "probe missing", "probe=NAME");
        assertBad(get("/api/inspect", "probe=x&depth=3"), "depth", "allowed: probe");
        assertThat(api.handle(new Api.Request("POST", "/api/inspect", AUTH, null, new byte[0]))
                        .status())
                .isEqualTo(405);
    }

    @Test
    void queueContentsAreRefusedUntilEnabledThenBoundedAndCut() {
        final String name = "test.tools.contents";
        final TrackedArrayBlockingQueue<Object> queue = new TrackedArrayBlockingQueue<>(
                10, Probes.register(name, PathKind.QUEUE, 0).id());
        queue.offer("short");
        queue.offer("x".repeat(50));
        queue.offer(new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("secret");
            }
        });
        queue.offer("fourth");
        Reply r = get("/api/queue-contents", "probe=" + name);
        assertThat(r.status()).isEqualTo(403);
        assertThat(body(r))
                .contains("hotpath.inspect.contents.enabled is false")
                .hasLineCount(1);

        Operations.contents(true, 10);
        r = get("/api/queue-contents", "probe=" + name + "&max=3");
        assertThat(r.status()).as(body(r)).isEqualTo(200);
        assertThat(body(r))
                .contains("\"size\":4")
                .contains("\"elements\":[\"short\",\"xxxxxxxxxx...(50 chars)\","
                        + "\"<toString threw java.lang.IllegalStateException>\"]")
                .contains("\"shown\":3")
                .doesNotContain("fourth")
                .doesNotContain("secret");
        assertThat(queue).hasSize(4);

        assertBad(get("/api/queue-contents", "probe=" + name + "&max=0"), "max=0", "1 to 1000");
        assertBad(get("/api/queue-contents", "probe=" + name + "&max=lots"), "max=lots", "1 to 1000");
        assertBad(get("/api/queue-contents", "probe=no.such"), "no.such", "allowed: a probe name");
        Probes.register("test.tools.method", PathKind.METHOD, 0);
        assertBad(get("/api/queue-contents", "probe=test.tools.method"), "method probe", "a queue or executor");
    }

    private static void assertBad(Reply r, String names, String allowed) {
        assertThat(r.status()).as(body(r)).isEqualTo(400);
        assertThat(body(r))
                .startsWith("{\"error\":\"")
                .contains(names)
                .contains(allowed)
                .hasLineCount(1);
    }
}
