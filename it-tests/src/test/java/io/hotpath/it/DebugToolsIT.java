package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.DebugToolsApp;
import io.hotpath.it.http.Endpoint;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The debug tools on a real JVM with the built agent jar, over HTTP: a trace started by a token-protected write keeps
 * every message of the traced queue, exactly as many as the application passed through it, in its JSON-lines file;
 * inspection shows the queue's configuration, depth, counters and the traced threads and outcomes; the contents of a
 * queue come back bounded and cut, a throwing {@code toString} shown by its class only; the attach CLI inspects too;
 * every bad input is a 400 naming the value.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DebugToolsIT {
    private static final String TOKEN = HttpEndpointIT.TOKEN;
    private static final String WORK = DebugToolsApp.class.getName() + ".work";
    private static final String HELD = DebugToolsApp.class.getName() + ".held";
    private static final int COUNT = 3000;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void traceInspectAndContentsOverHttp(Path jdk) throws Exception {
        final Path dir = Files.createTempDirectory(Launch.workFile("tools").getParent(), "tools");
        final Path traces = dir.resolve("traces");
        final Launch launch = Launch.on(jdk)
                .prop("hotpath.http.port", "0")
                .prop("hotpath.http.token", TOKEN)
                .prop("hotpath.export.exporter", "none")
                .prop("hotpath.instrument.aeron", "false")
                .prop("hotpath.trace.dir", traces.toString())
                .prop("hotpath.inspect.contents.enabled", "true")
                .prop("hotpath.inspect.contents.max-chars", "20")
                .testMain(DebugToolsApp.class, List.of(), dir.toString(), "90", Integer.toString(COUNT))
                .timeout(Duration.ofSeconds(120));
        final Endpoint e = Endpoint.start(launch, dir.toString());
        awaitFile(dir.resolve("ready"));
        assertThat(e.getWhenReady("/api/probes").body()).contains(WORK).contains(HELD);

        // Bad inputs first: nothing starts.
        assertBad(e.post("/api/trace", TOKEN, "{\"probe\":\"no.such\"}"), "no.such");
        assertBad(e.post("/api/trace", TOKEN, "{\"probe\":\"" + WORK + "\",\"duration\":\"2h\"}"), "duration=2h");
        assertBad(e.post("/api/trace", TOKEN, "{\"probe\":\"" + WORK + "\",\"max\":0}"), "max=0");
        assertThat(e.post("/api/trace", null, "{\"probe\":\"" + WORK + "\"}").statusCode())
                .isEqualTo(401);
        assertBad(e.get("/api/inspect?probe=no.such"), "no.such");
        assertBad(e.get("/api/queue-contents?probe=" + q(HELD) + "&max=0"), "max=0");

        // A trace of the work queue while the app passes COUNT messages through it.
        HttpResponse<String> r = e.post("/api/trace", TOKEN, "{\"probe\":\"" + WORK + "\",\"duration\":\"60s\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"done\":\"trace\"").contains(traces.toString());
        assertThat(e.post("/api/trace", TOKEN, "{\"probe\":\"" + HELD + "\"}").statusCode())
                .as("one trace at a time")
                .isEqualTo(409);
        Files.writeString(dir.resolve("go-1"), "go");
        final String truth = Files.readString(awaitFile(dir.resolve("done-1"))).trim();
        assertThat(truth).isEqualTo("offered=" + COUNT);
        r = e.post("/api/trace/stop", TOKEN, "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (!e.get("/api/trace").body().contains("\"trace\":null")) {
            assertThat(System.nanoTime() < deadline).as("the trace ends").isTrue();
            Thread.sleep(100);
        }
        final Path file;
        try (var files = Files.list(traces)) {
            file = files.findFirst().orElseThrow();
        }
        final List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).contains("\"trace\":\"" + WORK + "\"").contains("\"kind\":\"queue\"");
        final List<String> events = lines.subList(1, lines.size() - 1);
        assertThat(events).as("every message in and out, nothing else").hasSize(2 * COUNT);
        assertThat(events.stream().filter(l -> l.contains("\"outcome\":\"in\"")))
                .hasSize(COUNT);
        assertThat(events.stream().filter(l -> l.contains("\"outcome\":\"out\"")))
                .hasSize(COUNT);
        assertThat(events).allMatch(l -> l.contains("\"thread\":\"main\""));
        assertThat(lines.get(lines.size() - 1))
                .contains("\"end\":\"stopped\"")
                .contains("\"entries\":" + 2 * COUNT)
                .contains("\"not_kept\":0");

        // Inspection: configuration, depth, counters, the traced threads and outcomes.
        r = e.get("/api/inspect?probe=" + q(WORK));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body())
                .contains("\"kind\":\"queue\"")
                .contains("\"class\":\"io.hotpath.bootstrap.jdk.TrackedArrayBlockingQueue\"")
                .contains("\"size\":0")
                .contains("\"remaining_capacity\":100")
                .contains("\"in\":" + COUNT)
                .contains("\"out\":" + COUNT)
                .contains("\"end\":\"stopped\"")
                .contains("\"producer_threads\":[\"main\"]")
                .contains("\"consumer_threads\":[\"main\"]")
                .contains("\"last_outcomes\":[");

        // Contents: bounded, cut, a throwing toString shown by its class only.
        r = e.get("/api/queue-contents?probe=" + q(HELD) + "&max=3");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body())
                .contains("\"size\":4")
                .contains("\"first\"")
                .contains("\"" + "y".repeat(20) + "...(100 chars)\"")
                .contains("\"<toString threw java.lang.IllegalStateException>\"")
                .contains("\"shown\":3")
                .doesNotContain("\"last\"")
                .doesNotContain("secret");

        // The attach CLI reads the same inspection.
        final AttachCliIT.Cli cli = AttachCliIT.cli(jdk, Long.toString(e.pid), "inspect", WORK);
        assertThat(cli.code()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("\"probe\":\"" + WORK + "\"").contains("\"in\":" + COUNT);
        final AttachCliIT.Cli bad = AttachCliIT.cli(jdk, Long.toString(e.pid), "trace", WORK, "forever");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("duration=forever").contains("1s to 1h");

        Files.writeString(dir.resolve("go-2"), "go");
        final Launch.Result result = e.run.get(60, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.agentLines())
                .as(result.describe())
                .anyMatch(l -> l.contains("trace of " + WORK + " started"))
                .anyMatch(l -> l.contains("trace of " + WORK + " ended (stopped): " + 2 * COUNT + " of " + 2 * COUNT));
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void assertBad(HttpResponse<String> r, String named) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains(named).contains("allowed").endsWith("}\n");
        assertThat(r.body().strip()).doesNotContain("\n");
    }

    private static Path awaitFile(Path f) throws InterruptedException {
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(f)) {
            assertThat(System.nanoTime() < deadline).as("waiting for " + f).isTrue();
            Thread.sleep(50);
        }
        return f;
    }
}
