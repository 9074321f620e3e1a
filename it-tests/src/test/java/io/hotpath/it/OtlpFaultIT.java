package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.otlp.ExportChecks;
import io.hotpath.it.otlp.GrpcOtlpReceiver;
import io.hotpath.it.otlp.HttpOtlpReceiver;
import io.hotpath.it.otlp.OtlpReceiver;
import io.hotpath.it.otlp.Received;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Export against a receiver that is absent, goes away (over HTTP, and over cleartext gRPC), is slow, or refuses: the application is never held up, the
 * agent warns at most once a minute, its heap stays bounded, and once the receiver accepts again the final cumulative
 * totals it holds equal the application's own counts exactly.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class OtlpFaultIT {
    private static Launch launch(Path jdk, OtlpReceiver receiver, String duration, Path gcLog) {
        return Launch.on(jdk)
                .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
                .env("OTEL_METRIC_EXPORT_INTERVAL", "1000")
                .jvmArg("-Xmx128m")
                .jvmArg("-Xlog:gc:file=" + gcLog)
                .referenceApp("--scenario", "basic", "--duration", duration, "--quiet")
                .timeout(Duration.ofSeconds(120));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void receiverAbsentAtStartThenStarted(Path jdk) throws Exception {
        try (HttpOtlpReceiver receiver = HttpOtlpReceiver.onFreePort()) {
            final Path gc = Launch.workFile("absent-gc.log");
            final long since = System.currentTimeMillis();
            // A 2 s export timeout makes the first exports fail for good, and say so, before the receiver comes.
            final CompletableFuture<Launch.Result> run = ExportChecks.inBackground(
                    launch(jdk, receiver, "12s", gc).env("OTEL_EXPORTER_OTLP_TIMEOUT", "2000"));
            assertThat(ExportChecks.awaitStderr(
                            since, Duration.ofSeconds(30), receiver.endpoint(), "failed: connection refused"))
                    .as("an export failed while nothing listened")
                    .isTrue();
            receiver.start();
            final long started = System.nanoTime();
            final Launch.Result r = run.get(120, TimeUnit.SECONDS);

            assertRecovered(receiver, r, gc);
            assertThat(arrivedAfter(receiver.received(), started))
                    .as("periodic exports resumed")
                    .isGreaterThan(1);
            assertThat(ExportChecks.exportWarnings(r))
                    .as(r.describe())
                    .singleElement()
                    .asString()
                    .contains("connection refused");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void receiverKilledFor20SecondsThenRestarted(Path jdk) throws Exception {
        try (HttpOtlpReceiver receiver = HttpOtlpReceiver.onFreePort().start()) {
            final Path gc = Launch.workFile("outage-gc.log");
            final CompletableFuture<Launch.Result> run = ExportChecks.inBackground(launch(jdk, receiver, "32s", gc));
            outageThenRestart(receiver, run, Duration.ofSeconds(20), gc, "connection refused");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void grpcCleartextReceiverKilledThenRestarted(Path jdk) throws Exception {
        try (GrpcOtlpReceiver receiver = GrpcOtlpReceiver.cleartext()) {
            final Path gc = Launch.workFile("grpc-outage-gc.log");
            final CompletableFuture<Launch.Result> run = ExportChecks.inBackground(launch(jdk, receiver, "16s", gc)
                    .env("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
                    // Shorter than the outage, so that exports fail (and say so) rather than retry through it.
                    .env("OTEL_EXPORTER_OTLP_TIMEOUT", "2000"));
            // Killed with the agent's HTTP/2 connection open: the next exports find the connection gone, then nothing
            // listening, then a new receiver on the same port.
            outageThenRestart(receiver, run, Duration.ofSeconds(6), gc, receiver.endpoint());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void slowReceiverTimesOutWithoutSlowingTheApplication(Path jdk) throws Exception {
        try (HttpOtlpReceiver receiver = HttpOtlpReceiver.onFreePort().start()) {
            receiver.mode(HttpOtlpReceiver.Mode.SLOW);
            final Path gc = Launch.workFile("slow-gc.log");
            final CompletableFuture<Launch.Result> run = ExportChecks.inBackground(
                    launch(jdk, receiver, "9s", gc).env("OTEL_EXPORTER_OTLP_TIMEOUT", "1500"));
            // Two exports held for 30 s each (they time out after 1.5 s), then a receiver that answers.
            assertThat(ExportChecks.await(() -> receiver.slowArrived() >= 2, Duration.ofSeconds(30)))
                    .as("slow exports")
                    .isTrue();
            receiver.mode(HttpOtlpReceiver.Mode.OK);
            final Launch.Result r = run.get(120, TimeUnit.SECONDS);

            assertThat(r.exitCode()).as(r.describe()).isZero();
            final GroundTruth truth = GroundTruth.of(r);
            ExportChecks.assertExact(receiver.received(), truth, r.describe());
            assertThat(truth.get("elapsedMs") - truth.get("durationMs"))
                    .as("the application ran on time")
                    .isLessThan(1500);
            assertThat(ExportChecks.exportWarnings(r))
                    .as(r.describe())
                    .singleElement()
                    .asString()
                    .contains("timed out");
            assertHeapBounded(gc, r);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void slowReceiverAtExitDelaysShutdownByTheFlushTimeoutAtMost(Path jdk) throws Exception {
        try (HttpOtlpReceiver receiver = HttpOtlpReceiver.onFreePort().start()) {
            receiver.mode(HttpOtlpReceiver.Mode.SLOW);
            final Path gc = Launch.workFile("slow-exit-gc.log");
            final Launch.Result r = launch(jdk, receiver, "4s", gc)
                    .env("OTEL_METRIC_EXPORT_INTERVAL", "60000")
                    .run();
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(receiver.slowArrived())
                    .as("the final export was sent\n" + r.describe())
                    .isPositive();
            assertThat(ExportChecks.exportWarnings(r))
                    .as("the final export gave up in time and said so\n" + r.describe())
                    .hasSizeBetween(1, 2)
                    .allMatch(l -> l.contains("timed out"));
            final GroundTruth truth = GroundTruth.of(r);
            // The JVM ends at most the flush timeout (2 s) after the application, plus the agent's start, the VM's
            // own start and exit.
            final long agentStartMs = r.agentLines().stream()
                    .map(l -> java.util.regex.Pattern.compile("started in (\\d+) ms")
                            .matcher(l))
                    .filter(java.util.regex.Matcher::find)
                    .mapToLong(m -> Long.parseLong(m.group(1)))
                    .findFirst()
                    .orElse(0);
            assertThat(r.took().toMillis() - truth.get("elapsedMs") - agentStartMs)
                    .as(r.describe())
                    .isLessThan(5_000);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void errorResponsesAreRetriedAndTheTotalsEndExact(Path jdk) throws Exception {
        try (HttpOtlpReceiver receiver = HttpOtlpReceiver.onFreePort().start()) {
            receiver.mode(HttpOtlpReceiver.Mode.UNAVAILABLE);
            final Path gc = Launch.workFile("errors-gc.log");
            final CompletableFuture<Launch.Result> run = ExportChecks.inBackground(launch(jdk, receiver, "15s", gc));
            // Each answer at least once: 503 and 429 (which the sender retries with backoff), then 500 (which it
            // does not), then success.
            for (HttpOtlpReceiver.Mode next : new HttpOtlpReceiver.Mode[] {
                HttpOtlpReceiver.Mode.TOO_MANY_REQUESTS, HttpOtlpReceiver.Mode.SERVER_ERROR, HttpOtlpReceiver.Mode.OK
            }) {
                final int before = receiver.refused();
                assertThat(ExportChecks.await(() -> receiver.refused() > before, Duration.ofSeconds(30)))
                        .as("refused before " + next)
                        .isTrue();
                receiver.mode(next);
            }
            final Launch.Result r = run.get(120, TimeUnit.SECONDS);

            assertRecovered(receiver, r, gc);
            assertThat(receiver.refused()).as("503, 429 and 500 answers").isGreaterThanOrEqualTo(3);
            assertThat(ExportChecks.exportWarnings(r))
                    .as(r.describe())
                    .singleElement()
                    .asString()
                    // 503 and 429 are retried within one export, 500 is not: which one ends the first failed export
                    // depends on timing.
                    .containsPattern("HTTP (5\\d\\d|429)");
        }
    }

    /**
     * Lets the launch export twice, kills the receiver for {@code outage}, starts it again on the same port and checks
     * that exports resumed before the exit, with one warning (containing {@code warned}) for the whole outage.
     */
    private static void outageThenRestart(
            OtlpReceiver receiver, CompletableFuture<Launch.Result> run, Duration outage, Path gc, String warned)
            throws Exception {
        assertThat(ExportChecks.await(
                        () -> receiver.received().metricsRequests().size() >= 2, Duration.ofSeconds(30)))
                .as("exports before the outage")
                .isTrue();
        receiver.stop();
        ExportChecks.at(System.nanoTime(), outage);
        receiver.start();
        final long restarted = System.nanoTime();
        final Launch.Result r = run.get(120, TimeUnit.SECONDS);

        assertRecovered(receiver, r, gc);
        assertThat(arrivedAfter(receiver.received(), restarted))
                .as("periodic exports resumed after the restart, before the exit")
                .isGreaterThan(2);
        final List<String> warnings = ExportChecks.exportWarnings(r);
        assertThat(warnings)
                .as("one warning a minute, not one per export\n" + r.describe())
                .hasSize(1);
        assertThat(warnings.get(0)).contains(warned, receiver.endpoint());
    }

    /**
     * The run ended normally, the receiver's final totals equal the application's own counts, the agent said once
     * that export works again, and the heap stayed bounded throughout.
     */
    private static void assertRecovered(OtlpReceiver receiver, Launch.Result r, Path gc) {
        assertThat(r.exitCode()).as(r.describe()).isZero();
        ExportChecks.assertExact(receiver.received(), GroundTruth.of(r), r.describe());
        assertThat(r.agentLines())
                .as(r.describe())
                .filteredOn(l -> l.contains("works again"))
                .hasSize(1);
        assertHeapBounded(gc, r);
    }

    private static long arrivedAfter(Received received, long nanos) {
        return received.metricsRequests().stream()
                .filter(m -> m.arrivedNanos() > nanos)
                .count();
    }

    /** The JVM's heap after each GC stays small: nothing accumulates while exports fail. */
    private static void assertHeapBounded(Path gcLog, Launch.Result r) {
        final List<Integer> afterGc = ExportChecks.heapAfterGcMb(gcLog);
        System.out.println(
                "heap after GC (MB) " + afterGc + " for " + r.command().get(0));
        assertThat(afterGc).as("heap after GC, MB\n" + r.describe()).allMatch(mb -> mb < 48);
    }
}
