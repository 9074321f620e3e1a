package io.hotpath.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.Snapshot;
import io.hotpath.bootstrap.snapshot.SnapshotTaker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JsonDumpTest {
    private static final int QUEUE_DISTS = Dist.bit(Dist.LATENCY) | Dist.bit(Dist.WAIT) | Dist.bit(Dist.SIZE);

    private static Report sampleReport() {
        return Fixtures.report(List.of(
                Fixtures.sample(
                        7, "com.acme.Broadcaster#publish", PathKind.METHOD, 1000, Dist.bit(Dist.LATENCY), 4_000),
                Fixtures.sample(3, "com.acme.Outbox.<init>:42", PathKind.QUEUE, 200, QUEUE_DISTS, 12_000),
                Fixtures.sample(5, "pool", PathKind.EXECUTOR, 10, Dist.bit(Dist.WAIT), 100)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) {
        return (Map<String, Object>) Json.parse(json);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    @Test
    void topLevelStructure() {
        final Map<String, String> meta = new LinkedHashMap<>();
        meta.put("pid", "4242");
        meta.put("host", "build-1");
        final Map<String, Object> root = parse(JsonDump.toJson(sampleReport(), meta));

        assertThat(root.keySet())
                .containsExactly("schema", "time", "uptime_s", "interval_s", "meta", "probes", "probe_table");
        assertThat(root.get("schema")).isEqualTo("hotpath.dump/2");
        assertThat(root.get("time")).isEqualTo("2024-06-01T12:00:00Z");
        assertThat(root.get("uptime_s")).isEqualTo(61L);
        assertThat(root.get("interval_s")).isEqualTo(1L);
        assertThat(map(root.get("meta"))).containsExactly(Map.entry("pid", "4242"), Map.entry("host", "build-1"));
        assertThat(map(root.get("probe_table")))
                .containsEntry("registered", 3L)
                .containsEntry("rejected_registrations", 2L);
        assertThat(list(root.get("probes"))).extracting(p -> map(p).get("id")).containsExactly(3L, 5L, 7L);
    }

    @Test
    void probeMembersFollowTheKind() {
        final Map<String, Object> root = parse(JsonDump.toJson(sampleReport(), null));
        assertThat(map(root.get("meta"))).isEmpty();
        final List<Object> probes = list(root.get("probes"));

        final Map<String, Object> queue = map(probes.get(0));
        assertThat(queue.get("kind")).isEqualTo("queue");
        assertThat(queue.get("name")).isEqualTo("com.acme.Outbox.<init>:42");
        assertThat(map(queue.get("counters")).keySet())
                .containsExactly("in", "out", "dropped", "blocked", "waited", "removed", "batches", "batch_items");
        assertThat(map(queue.get("counters"))).containsEntry("in", 2000L).containsEntry("dropped", 20L);
        assertThat(map(queue.get("rates")).keySet())
                .isEqualTo(map(queue.get("counters")).keySet());
        assertThat(map(queue.get("rates"))).containsEntry("in", 2000L).containsEntry("blocked", 0L);
        assertThat(queue).containsKeys("latency", "wait", "size");
        final Map<String, Object> wait = map(queue.get("wait"));
        assertThat(wait.keySet()).containsExactly("count", "mean", "p50", "p90", "p99", "p999", "max", "interval");
        assertThat(wait).containsEntry("count", 200L).containsEntry("mean", 12000L);
        assertThat((Long) wait.get("p99")).isBetween(11_700L, 12_300L);
        assertThat(map(wait.get("interval")).keySet())
                .containsExactly("count", "mean", "p50", "p90", "p99", "p999", "max");
        assertThat(map(queue.get("gauges"))).containsExactly(Map.entry("depth", 200L), Map.entry("instances", 1L));

        final Map<String, Object> executor = map(probes.get(1));
        assertThat(map(executor.get("counters")).keySet())
                .containsExactly(
                        "calls", "in", "out", "rejected", "caller_ran", "reruns", "started", "errors", "removed");
        assertThat(executor).containsKey("wait").doesNotContainKeys("latency", "size");
        assertThat(map(executor.get("gauges"))).isEmpty();

        final Map<String, Object> method = map(probes.get(2));
        assertThat(map(method.get("counters")).keySet())
                .as("a method probe lists only what a method call can be: called, or thrown")
                .containsExactly("calls", "errors");
        assertThat(map(method.get("rates"))).containsEntry("calls", 5000L);
    }

    @Test
    void fractionalRatesAreRoundedDecimals() {
        final ProbeSample s = Fixtures.sample(1, "q", PathKind.QUEUE, 1, 0, 0);
        final Snapshot before = new Snapshot(0, 0, List.of(), 0);
        final Snapshot now = new Snapshot(3_000_000_000L, 0, List.of(s), 0);
        final Map<String, Object> probe = map(
                list(parse(JsonDump.toJson(Report.of(now, before, 0), Map.of())).get("probes"))
                        .get(0));
        assertThat(map(probe.get("rates"))).containsEntry("in", 3.333).containsEntry("out", 3L);
        assertThat(parse(JsonDump.toJson(Report.of(now, before, 0), Map.of())).get("time"))
                .isEqualTo("1970-01-01T00:00:00Z");
    }

    @Test
    void namesAndMetaAreEscaped() {
        final String nasty = "a\"b\\c/d\n\r\t\b\f\u0000\u0001\u001f\u007f\u2028\u2029 é € 😀 \ud800x \udc00";
        final Report report = Fixtures.report(List.of(Fixtures.sample(1, nasty, PathKind.IPC, 1, 0, 0)));
        final Map<String, String> meta = Map.of(nasty, nasty);
        final String json = JsonDump.toJson(report, meta);

        for (char c : json.toCharArray()) {
            // Only the line breaks between probes are raw controls; nothing unescaped inside strings.
            assertThat(c == '\n' || c >= 0x20).as("raw control U+%04x", (int) c).isTrue();
        }
        assertThat(json).doesNotContain("\u2028").contains("\\u0000", "\\u001f", "\\u007f", "\\\"", "\\\\");
        assertThat(json).contains("\\ud800x", "\\udc00").contains("😀");
        assertThat(new String(json.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .isEqualTo(json);

        final Map<String, Object> root = parse(json);
        assertThat(map(list(root.get("probes")).get(0)).get("name")).isEqualTo(nasty);
        assertThat(map(root.get("meta"))).containsEntry(nasty, nasty);
    }

    @Test
    void nonFiniteNumbersNeverReachTheOutput() {
        final StringBuilder sb = new StringBuilder();
        new JsonWriter(sb)
                .beginArray()
                .value(Double.NaN, 3)
                .value(Double.POSITIVE_INFINITY, 3)
                .value(1e300, 3)
                .value(-0.0, 3)
                .value(0.0004, 3)
                .value(2.5, 3)
                .value(1e-300, 3)
                .endArray();
        assertThat(sb).hasToString("[null,null,1.0E300,0,0,2.5,0]");
        assertThat(Json.parse(sb.toString())).isEqualTo(java.util.Arrays.asList(null, null, 1e300, 0L, 0L, 2.5, 0L));
    }

    @Test
    void everyProbeFromARealSnapshotParses() {
        final var probe = io.hotpath.bootstrap.Probes.register(
                "test.report.json." + System.nanoTime(), PathKind.QUEUE, QUEUE_DISTS);
        probe.add(Slot.IN, 3);
        probe.record(Dist.WAIT, 1234);
        final SnapshotTaker taker = new SnapshotTaker();
        final Snapshot a = taker.take();
        final Snapshot b = taker.take();
        final Map<String, Object> root = parse(JsonDump.toJson(Report.of(b, a, a.nanoTime()), Map.of()));
        assertThat(list(root.get("probes"))).anySatisfy(p -> assertThat(map(p)).containsEntry("id", (long) probe.id()));
    }

    @Test
    void writeIsAtomicAndCreatesParents(@TempDir Path dir) throws IOException {
        final Path file = dir.resolve("a/b/hotpath-dump.json");
        JsonDump.write(sampleReport(), Map.of("run", "1"), file);
        assertThat(parse(Files.readString(file))).containsKey("probes");

        JsonDump.write(Fixtures.report(List.of()), Map.of("run", "2"), file);
        final Map<String, Object> second = parse(Files.readString(file));
        assertThat(map(second.get("meta"))).containsEntry("run", "2");
        assertThat(list(second.get("probes"))).isEmpty();
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void failedWriteLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        final Path target = dir.resolve("taken");
        Files.createDirectories(target.resolve("not-empty")); // a non-empty directory cannot be replaced
        assertThatThrownBy(() -> JsonDump.write(sampleReport(), Map.of(), target))
                .isInstanceOf(IOException.class);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }
}
