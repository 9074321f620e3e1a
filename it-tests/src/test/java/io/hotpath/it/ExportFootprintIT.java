package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.LateSocketApp;
import io.hotpath.it.apps.ShortRunApp;
import io.hotpath.it.otlp.ExportChecks;
import io.hotpath.it.otlp.HttpOtlpReceiver;
import io.hotpath.it.otlp.Received;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What export on costs a program that the agent's exporter does not concern: a program that runs half a second
 * still delivers its exact final counts, and the exporter's own connections neither build the socket advice nor keep
 * the application's later sockets from being counted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExportFootprintIT {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void halfSecondProgramDeliversExactFinalCounts(Path jdk) throws Exception {
        try (HttpOtlpReceiver receiver = HttpOtlpReceiver.onFreePort().start()) {
            final Launch.Result r = Launch.on(jdk)
                    .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
                    .prop("hotpath.log.level", "debug")
                    .testMain(ShortRunApp.class, List.of(), "500")
                    .run();
            assertThat(r.exitCode()).as(r.describe()).isZero();
            final Truth t = Truth.of(r.stdout());
            assertThat(t.text("short", "queue")).isEqualTo("io.hotpath.bootstrap.jdk.TrackedArrayBlockingQueue");
            final Received got = receiver.received();
            // The default interval is a minute: what arrived is the final export at exit, and it is exact.
            final Predicate<String> probe = n -> n.contains("ShortRunApp");
            assertThat(got.latestSum("hotpath.queue.enqueued", probe))
                    .as(r.describe())
                    .contains(t.get("short", "enqueued"));
            assertThat(got.latestSum("hotpath.queue.dequeued", probe)).contains(t.get("short", "dequeued"));
            assertThat(r.agentLines())
                    .as(r.describe())
                    .noneMatch(l -> l.contains("did not finish") || l.contains("timed out") || l.contains("ERROR"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void socketsOpenedAfterTheExportersAreCountedExactly(Path jdk) throws Exception {
        final Path dump = Launch.workFile("late-sockets-dump.json");
        final Path go = Launch.workFile("late-sockets-go");
        final Launch.Result r;
        final List<io.opentelemetry.proto.metrics.v1.Metric> selfCpu;
        try (HttpOtlpReceiver receiver = HttpOtlpReceiver.onFreePort().start()) {
            final Thread watcher = ExportChecks.goAfterExports(receiver, 2, go);
            r = Launch.on(jdk)
                    .prop("hotpath.dump.file", dump.toString())
                    .prop("hotpath.log.level", "debug")
                    .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
                    .env("OTEL_METRIC_EXPORT_INTERVAL", "200")
                    .testMain(LateSocketApp.class, List.of(), go.toString())
                    .run();
            watcher.interrupt();
            selfCpu = receiver.received().metrics("hotpath.agent.cpu.time");
        }
        assertThat(r.exitCode()).as(r.describe()).isZero();
        // The agent reports its own cost: its threads did work (the export itself, at least).
        assertThat(selfCpu).as(r.describe()).isNotEmpty();
        assertThat(selfCpu.get(selfCpu.size() - 1).getGauge().getDataPoints(0).getAsDouble())
                .isPositive();
        assertThat(Files.exists(go))
                .as("two exports arrived before the app opened its socket")
                .isTrue();
        // The exporter defined the socket channel class first; the advice waited for the application.
        final List<String> lines = r.agentLines();
        final int deferred = indexOf(lines, "sun.nio.ch.SocketChannelImpl defined before its advice was needed");
        final int prepared = indexOf(lines, "advice for ");
        assertThat(deferred).as(r.describe()).isNotNegative();
        assertThat(prepared).as(r.describe()).isGreaterThan(deferred);
        final Truth t = Truth.of(r.stdout());
        final Dump d = Dump.read(dump);
        final Dump.Probe write = d.probe("tcp write", "net.tcp#write"::equals);
        assertThat(write.counter("bytes_out")).isEqualTo(t.get("late", "written"));
        assertThat(write.counter("calls")).isEqualTo(t.get("late", "writes"));
        assertThat(d.probe("tcp read", "net.tcp#read"::equals).counter("bytes_in"))
                .isEqualTo(t.get("late", "read"));
        final Dump.Probe connections = d.probe("tcp connections", "net.tcp#connections"::equals);
        assertThat(connections.counter("opened")).isEqualTo(2);
        assertThat(connections.counter("closed")).isEqualTo(2);
        assertThat(lines).noneMatch(l -> l.contains("left class") || l.contains("ERROR"));
    }

    private static int indexOf(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }
}
