package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.PhasedQueueApp;
import io.hotpath.it.http.Endpoint;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * Probe and module toggles through the HTTP API stop and resume the recording itself, exactly: a queue driven in
 * phases ({@link PhasedQueueApp}) counts, in the dump file the agent writes, the offers of the phases run while its
 * probe (or the {@code queues} module) was on and none of those run while it was off, against the application's own
 * count of each phase. The probe's state shows in the dump. Bad values get a 400 naming the value.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ProbeTogglesIT {
    private static final String TOKEN = HttpEndpointIT.TOKEN;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void probeAndModuleOffStopCountingAndOnResumes(Path jdk) throws Exception {
        final Path dir = Files.createTempDirectory(Launch.workFile("toggles").getParent(), "toggles");
        final Path dump = dir.resolve("dump.json");
        final Launch launch = Launch.on(jdk)
                .prop("hotpath.http.port", "0")
                .prop("hotpath.http.token", TOKEN)
                .prop("hotpath.export.exporter", "none")
                .prop("hotpath.dump.file", dump.toString())
                .prop("hotpath.dump.interval", "200ms")
                .prop("hotpath.instrument.aeron", "false")
                .testMain(
                        PhasedQueueApp.class, List.of(), dir.toString(), "90", "1000", "700", "300", "500", "200", "0")
                .timeout(Duration.ofSeconds(120));
        final Endpoint e = Endpoint.start(launch, dir.toString());

        long truth = phase(dir, 1);
        final Map<String, Object> probe = awaitProbe(dump, truth);
        final String name = (String) probe.get("name");
        assertThat(probe.get("state")).isEqualTo("on");
        final String path = "/api/probes/" + URLEncoder.encode(name, StandardCharsets.UTF_8);

        // Off: the phase's offers are not counted anywhere.
        HttpResponse<String> r = e.post(path, TOKEN, "{\"enabled\":false}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"value\":\"off\"");
        final long skipped = phase(dir, 2);
        assertThat(skipped).isEqualTo(700);
        Map<String, Object> now = awaitState(dump, name, "off");
        assertThat(enqueued(now)).as("nothing counted while off").isEqualTo(truth);

        // On again: counting resumes, exactly the phase's offers.
        r = e.post(path, TOKEN, "{\"enabled\":true}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        truth += phase(dir, 3);
        now = awaitProbe(dump, truth);
        assertThat(now.get("state")).isEqualTo("on");

        // The module off: its probe is off too; on again resumes.
        r = e.post("/api/modules/queues", TOKEN, "{\"enabled\":false}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        phase(dir, 4);
        now = awaitState(dump, name, "module-off");
        assertThat(enqueued(now)).as("nothing counted while the module is off").isEqualTo(truth);
        r = e.post("/api/modules/aeron", TOKEN, "{\"enabled\":true}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        assertThat(r.body()).contains("aeron was not installed at start");
        r = e.post("/api/modules/queues", TOKEN, "{\"enabled\":true}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        truth += phase(dir, 5);
        now = awaitProbe(dump, truth);
        assertThat(now.get("state")).isEqualTo("on");

        // Bad values: one line naming the value and what is allowed.
        r = e.post(path, TOKEN, "{\"enabled\":\"maybe\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("maybe").doesNotContain("\n{");
        r = e.post("/api/modules/nope", TOKEN, "{\"enabled\":false}");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("nope").contains("queues, executors, sockets, netty, aeron");

        phase(dir, 6); // the app exits
        final Launch.Result result = e.run.get(60, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.agentLines())
                .as(result.describe())
                .anyMatch(l -> l.contains("operator probe " + name + " on -> off (by http)"))
                .anyMatch(l -> l.contains("operator probe " + name + " off -> on (by http)"))
                .anyMatch(l -> l.contains("operator module queues on -> off"))
                .anyMatch(l -> l.contains("operator module queues off -> on"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void aThresholdChangedAtRunTimeChangesTheFinding(Path jdk) throws Exception {
        final Path marker = Launch.workFile("threshold-marker");
        final Launch launch = Launch.on(jdk)
                .prop("hotpath.http.port", "0")
                .prop("hotpath.http.token", TOKEN)
                .prop("hotpath.export.exporter", "none")
                .prop("hotpath.dump.file", marker.toString())
                .prop("hotpath.analyzer.queue-depth.warning", "1000000")
                .prop("hotpath.analyzer.queue-depth.critical", "2000000")
                .referenceApp(
                        "--scenario",
                        "sustained",
                        "--duration",
                        "40s",
                        "--rate",
                        "2000",
                        "--quiet",
                        "--fault",
                        "slow-subscriber",
                        "--fault-at",
                        "1s")
                .timeout(Duration.ofSeconds(100));
        final Endpoint e = Endpoint.start(launch, marker.toString());
        assertThat(e.getWhenReady("/api/findings").statusCode()).isEqualTo(200);

        // A deep queue, and no queue_depth finding at the thresholds of the start.
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (maxDepth(e) < 500) {
            assertThat(System.nanoTime() < deadline)
                    .as("a queue 500 deep under the fault")
                    .isTrue();
            Thread.sleep(200);
        }
        assertThat(e.get("/api/findings").body()).doesNotContain("\"kind\":\"queue_depth\"");

        // Bad values first: nothing changes.
        HttpResponse<String> r =
                e.post("/api/settings", TOKEN, "{\"key\":\"hotpath.analyzer.queue-depth.warning\",\"value\":\"lots\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("lots").contains("allowed").endsWith("}\n");
        assertThat(r.body().strip()).doesNotContain("\n");
        r = e.post("/api/settings", TOKEN, "{\"key\":\"hotpath.analyzer.queue-depth.warning\",\"value\":\"3000000\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("3000000").contains("hotpath.analyzer.queue-depth.critical");
        r = e.post("/api/settings", TOKEN, "{\"key\":\"hotpath.probes.max\",\"value\":\"100\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        assertThat(r.body()).contains("read at start only").contains("allocated once at start");

        // The warning threshold lowered at run time: the same queue now gives a finding.
        r = e.post("/api/settings", TOKEN, "{\"key\":\"hotpath.analyzer.queue-depth.warning\",\"value\":\"100\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        final long found = System.nanoTime() + 20_000_000_000L;
        while (!e.get("/api/findings").body().contains("\"kind\":\"queue_depth\"")) {
            assertThat(System.nanoTime() < found)
                    .as("a queue_depth finding after the change")
                    .isTrue();
            Thread.sleep(200);
        }
        assertThat(e.get("/api/audit").body())
                .contains("\"who\":\"http\",\"what\":\"setting\",\"target\":\"hotpath.analyzer.queue-depth.warning\","
                        + "\"from\":\"1000000\",\"to\":\"100\"");
        final Launch.Result result = e.run.get(90, TimeUnit.SECONDS);
        assertThat(result.agentLines())
                .as(result.describe())
                .anyMatch(l ->
                        l.contains("operator setting hotpath.analyzer.queue-depth.warning 1000000 -> 100 (by http)"));
    }

    @SuppressWarnings("unchecked")
    static long maxDepth(Endpoint e) throws Exception {
        long max = 0;
        final Map<String, Object> probes = Json.object(e.get("/api/probes").body());
        for (Map<String, Object> p : (List<Map<String, Object>>) probes.get("probes")) {
            final Object depth = ((Map<String, Object>) p.get("gauges")).get("depth");
            if (depth instanceof Number n) {
                max = Math.max(max, n.longValue());
            }
        }
        return max;
    }

    /** Starts phase {@code k} and waits for it; the application's own count of its offers. */
    static long phase(Path dir, int k) throws Exception {
        Files.writeString(dir.resolve("go-" + k), "");
        final Path done = dir.resolve("done-" + k);
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.exists(done)) {
            assertThat(System.nanoTime() < deadline).as("phase " + k + " done").isTrue();
            Thread.sleep(20);
        }
        final String text = Files.readString(done).trim();
        return Long.parseLong(text.substring(text.indexOf('=') + 1));
    }

    /** Waits until the dump file shows the app's queue probe with {@code enqueued} counted; returns the probe. */
    static Map<String, Object> awaitProbe(Path dump, long enqueued) throws Exception {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        Map<String, Object> p = null;
        while (System.nanoTime() < deadline) {
            p = queueProbe(dump);
            if (p != null && enqueued(p) == enqueued) {
                return p;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the dump never counted " + enqueued + " offers; last: " + p);
    }

    /** Waits until the probe's state is {@code state} in the dump, then one more dump interval. */
    static Map<String, Object> awaitState(Path dump, String name, String state) throws Exception {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        Map<String, Object> p = null;
        while (System.nanoTime() < deadline) {
            p = queueProbe(dump);
            if (p != null && name.equals(p.get("name")) && state.equals(p.get("state"))) {
                Thread.sleep(600); // two more dumps, so a late count would show
                return queueProbe(dump);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the probe never showed state " + state + "; last: " + p);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> queueProbe(Path dump) throws Exception {
        if (!Files.exists(dump)) {
            return null;
        }
        final Map<String, Object> d;
        try {
            d = Json.object(Files.readString(dump));
        } catch (RuntimeException partial) {
            return null;
        }
        for (Map<String, Object> p : (List<Map<String, Object>>) d.get("probes")) {
            if (((String) p.get("name")).startsWith(PhasedQueueApp.class.getName()) && "queue".equals(p.get("kind"))) {
                return p;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static long enqueued(Map<String, Object> probe) {
        return ((Number) ((Map<String, Object>) probe.get("counters")).get("in")).longValue();
    }
}
