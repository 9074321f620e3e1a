package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.http.Endpoint;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP endpoint in the reference broadcaster's JVM ({@code -Dhotpath.http.port=0}): it listens on loopback only,
 * its reads are the dump's document and sections, a write without the token is refused and the application runs on,
 * and a write with the token changes a tunable that then shows in {@code /api/tunables} and both audit trails.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class HttpEndpointIT {
    static final String TOKEN = "it-token-0123456789abcdef";

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void readsMatchTheDumpAndTokenedWritesChangeATunable(Path jdk) throws Exception {
        final Path dump = Launch.workFile("http-dump.json");
        final Launch launch = Launch.on(jdk)
                .prop("hotpath.http.port", "0")
                .prop("hotpath.http.token", TOKEN)
                .prop("hotpath.export.exporter", "none")
                .prop("hotpath.dump.file", dump.toString())
                .prop("hotpath.dump.interval", "500ms")
                .prop("hotpath.optimizer.mode", "advise")
                .prop("hotpath.tunables", OptimizerIT.TUNABLES)
                .referenceApp("--scenario", "sustained", "--duration", "12s", "--rate", "2000", "--quiet")
                .timeout(Duration.ofSeconds(100));
        final Endpoint e = Endpoint.start(launch, dump.toString());
        assertThat(e.listening).as("the agent's only listening socket").hasSize(1);
        assertThat(e.listening.get(0)).matches("tcp6? (\\[::ffff:)?127\\.0\\.0\\.1\\]?:\\d+");

        // Reads: the dump document, with the same members and probes as the file the agent writes.
        final HttpResponse<String> apiDump = e.getWhenReady("/api/dump");
        assertThat(apiDump.statusCode()).as(apiDump.body()).isEqualTo(200);
        Thread.sleep(2000); // every probe registered
        final Map<String, Object> api = Json.object(e.get("/api/dump").body());
        final Map<String, Object> file = Json.object(Files.readString(dump));
        assertThat(api.keySet()).isEqualTo(file.keySet());
        assertThat(api.get("schema")).isEqualTo(file.get("schema"));
        assertThat(api.get("meta")).isEqualTo(file.get("meta"));
        assertThat(names(api)).isEqualTo(names(file));
        for (String route : List.of("health", "findings", "probes", "alerts", "tunables", "audit", "overhead")) {
            final HttpResponse<String> r = e.get("/api/" + route);
            assertThat(r.statusCode()).as(route + ": " + r.body()).isEqualTo(200);
            assertThat(Json.object(r.body())).as(route).isNotNull();
        }
        assertThat(Json.object(e.get("/api/probes").body()).keySet()).containsExactly("probes", "probe_table");
        // The page's document: some of the dump's probes (none when every probe was idle over the last interval: the
        // page lists only busy probes and those the analyzer names), and the page's sections.
        final Map<String, Object> page = Json.object(e.get("/api/page?top=3").body());
        assertThat(page.get("schema")).isEqualTo("hotpath.page/1");
        assertThat(names(page)).isSubsetOf(names(Json.object(e.get("/api/dump").body())));
        assertThat(page).containsKeys("health", "findings", "alerts", "optimizer", "probe_count");
        assertThat(e.get("/api/page?top=0").statusCode()).isEqualTo(400);

        // A write without the token (or with a wrong one) is refused; the application runs on.
        final HttpResponse<String> refused = e.post("/api/tunables/batch", null, "{\"value\":64}");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).startsWith("{\"error\":\"writes need the header 'Authorization: Bearer <token>'");
        assertThat(e.post("/api/tunables/batch", "not-the-token-at-all", "{\"value\":64}")
                        .statusCode())
                .isEqualTo(401);
        assertThat(e.alive()).isTrue();

        // With the token: out of bounds is 400, in bounds changes the tunable (once its field is live).
        final HttpResponse<String> outside = e.post("/api/tunables/batch", TOKEN, "{\"value\":5000}");
        assertThat(outside.statusCode()).as(outside.body()).isIn(400, 409);
        HttpResponse<String> set = e.post("/api/tunables/batch", TOKEN, "{\"value\":64}");
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (set.statusCode() == 409 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            set = e.post("/api/tunables/batch", TOKEN, "{\"value\":64}");
        }
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        final Map<String, Object> batch =
                tunable(Json.object(e.get("/api/tunables").body()), "batch");
        assertThat(((Number) batch.get("current")).longValue()).isEqualTo(64);
        assertThat(batch.get("value_from")).isEqualTo("optimizer");
        final String audit = e.get("/api/audit").body();
        assertThat(audit).contains("\"who\":\"http\",\"what\":\"tunable\",\"target\":\"batch\"");
        assertThat(audit).contains("\"action\":\"change\",\"tunable\":\"batch\"");

        final Launch.Result r = e.run.get(120, TimeUnit.SECONDS);
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.agentLines())
                .as(r.describe())
                .anyMatch(l -> l.contains("HTTP endpoint on http://127.0.0.1:" + e.port + "/"))
                .anyMatch(l -> l.contains("HTTP write token: from hotpath.http.token"))
                .anyMatch(l -> l.contains("operator tunable batch"));
        assertThat(r.stdout() + r.stderr()).doesNotContain(TOKEN);
    }

    @SuppressWarnings("unchecked")
    static List<String> names(Map<String, Object> dump) {
        return ((List<Map<String, Object>>) dump.get("probes"))
                .stream().map(p -> (String) p.get("name")).sorted().toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> tunable(Map<String, Object> tunables, String name) {
        return ((List<Map<String, Object>>) tunables.get("tunables"))
                .stream()
                        .filter(t -> name.equals(t.get("name")))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no tunable " + name + " in " + tunables));
    }
}
