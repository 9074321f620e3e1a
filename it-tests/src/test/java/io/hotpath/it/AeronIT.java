package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.AeronApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Aeron IPC through an embedded driver: every refused offer (one buffer, two buffers, vector) and tryClaim counted
 * exactly by outcome, per stream too; the stream's bytes equal the publication's final position; fragments polled
 * exactly, and a poll whose handler threw counted.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class AeronIT {
    static Stream<Arguments> cases() {
        return Jdks.homes().stream().flatMap(jdk -> Stream.of(Arguments.of(jdk, "fast"), Arguments.of(jdk, "slow")));
    }

    static List<Path> aeron() throws IOException {
        try (Stream<Path> files = Files.list(Launch.APP_JAR.resolveSibling("lib"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("aeron-"))
                    .toList();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void outcomesMatchGroundTruth(Path jdk, String mode) throws Exception {
        final Path dump = Launch.workFile("aeron-dump.json");
        final int messages = mode.equals("slow") ? 3_000 : 20_000;
        final int size = 200;
        final Launch.Result r = Launch.on(jdk)
                .dumpWithoutExport(dump)
                // Agrona 2.x reads jdk.internal.misc.Unsafe; Aeron's documented launch flag.
                .jvmArg("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
                .testMain(
                        AeronApp.class,
                        aeron(),
                        "" + messages,
                        "" + size,
                        mode,
                        Launch.workFile("aeron-dir").toString())
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final Truth t = Truth.of(r.stdout());
        // The counted work starts once the advice is in place; the publication, made before, has its stream probe
        // below only if the agent adopted it.
        assertThat(t.get("advice", "ready")).as(r.describe()).isEqualTo(1);
        final Dump d = Dump.read(dump);
        // The application thread counts refusals only, by outcome; a successful offer adds nothing of ours.
        for (String op : List.of("offer", "claim")) {
            final Dump.Probe p = d.probe(
                    op, (op.equals("offer") ? "aeron.Publication#offer" : "aeron.Publication#tryClaim")::equals);
            assertThat(t.get(op, "ok")).as(op).isPositive();
            assertThat(p.counter("calls")).as(op).isZero();
            assertThat(p.counter("in")).as(op).isZero();
            assertThat(p.counter("back_pressured")).as(op).isEqualTo(t.get(op, "back_pressured"));
            assertThat(p.counter("not_connected")).as(op).isEqualTo(t.get(op, "not_connected"));
            assertThat(p.counter("admin_action")).as(op).isEqualTo(t.get(op, "admin_action"));
            assertThat(p.counter("send_closed")).as(op).isEqualTo(t.get(op, "closed"));
            assertThat(p.counter("max_position")).as(op).isEqualTo(t.get(op, "max_position"));
            assertThat(p.counter("errors")).as(op).isZero();
        }
        assertThat(t.get("offer", "not_connected")).isEqualTo(1);
        assertThat(t.get("vector", "ok")).isEqualTo(messages / 8);
        if (mode.equals("slow")) {
            assertThat(d.probe("offer", "aeron.Publication#offer"::equals).counter("back_pressured"))
                    .as("a slow subscriber back-pressures the publisher")
                    .isPositive();
        }
        // Per stream: the bytes are Aeron's own count, the publication's position (read by the agent's thread and at
        // close), exactly; the refusals of both operations on the one publication.
        final Dump.Probe stream =
                d.probe("stream", n -> n.equals("aeron.publication aeron:ipc?term-length=64k stream 1001"));
        assertThat(t.get("stream", "position")).isGreaterThanOrEqualTo((messages + 1L) * size);
        assertThat(stream.counter("bytes_out")).isEqualTo(t.get("stream", "position"));
        assertThat(stream.counter("back_pressured"))
                .isEqualTo(t.get("offer", "back_pressured") + t.get("claim", "back_pressured"));
        assertThat(stream.counter("not_connected")).isEqualTo(1);
        // Polls: empty ones record nothing; fragments exactly; the poll whose handler threw is an error.
        final Dump.Probe poll = d.probe("poll", "aeron.Subscription#poll"::equals);
        assertThat(poll.counter("calls")).isZero();
        assertThat(poll.counter("out")).isEqualTo(t.get("poll", "fragments"));
        assertThat(t.get("poll", "fragments")).isBetween(messages + 0L, messages + 1L);
        assertThat(poll.counter("batches")).isPositive().isLessThanOrEqualTo(t.get("poll", "polls") + 50);
        assertThat(poll.counter("errors")).isEqualTo(t.get("stream", "thrown")).isEqualTo(1);
        assertThat(poll.dist("size", "count")).isPositive().isLessThanOrEqualTo(poll.counter("batches"));
        assertThat(r.agentLines())
                .as(r.describe())
                .noneMatch(l -> l.contains("left class") || l.contains("skipped") || l.contains("ERROR"));
    }
}
