package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.NettyHttpApp;
import io.hotpath.it.otlp.ExportChecks;
import io.hotpath.it.otlp.HttpOtlpReceiver;
import io.hotpath.it.otlp.Received;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OpenTelemetry Java agent (2.33, copied to app-libs/otel-javaagent by the build) and ours in one JVM, in both
 * orders on the command line, on the JDK that runs the tests: a Netty HTTP server keeps working, both agents' metrics reach the one
 * OTLP receiver (theirs under their {@code io.opentelemetry.*} scopes, ours under {@code hotpath.*} names), our
 * counts equal the application's own, and their Netty server spans still arrive.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class OtelAgentBesideIT {
    static final int REQUESTS = 50;

    static final Path OTEL_AGENT = Launch.APP_LIBS.resolve("otel-javaagent/opentelemetry-javaagent.jar");

    static final Predicate<String> APP = n -> n.startsWith("io.hotpath.it.apps.NettyHttpApp");

    static Stream<Arguments> runs() {
        final List<Arguments> runs = new ArrayList<>();
        // The JDK that runs the tests only: CI's JDK 17 and JDK 25 passes each run both orders once.
        final Path jdk = Path.of(System.getProperty("java.home"));
        runs.add(Arguments.of(Jdks.label(jdk), jdk, "otel-first"));
        runs.add(Arguments.of(Jdks.label(jdk), jdk, "hotpath-first"));
        return runs.stream();
    }

    /** The Netty jars of the test class path (transport, codec-http and what they need). */
    static List<Path> nettyJars() {
        final String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        final List<Path> jars = Arrays.stream(cp.split(File.pathSeparator))
                .map(Path::of)
                .filter(p -> p.getFileName().toString().startsWith("netty-"))
                .toList();
        assertThat(jars).as("Netty jars on " + cp).isNotEmpty();
        return jars;
    }

    /** After {@code delay}, writes the threads of the child JVM whose command line contains {@code marker}. */
    static Thread threadDumpAfter(Duration delay, String marker, Path jdk, Path out) {
        final Thread t = new Thread(
                () -> {
                    try {
                        Thread.sleep(delay.toMillis());
                        for (ProcessHandle p :
                                ProcessHandle.current().descendants().toList()) {
                            if (p.info().commandLine().orElse("").contains(marker)) {
                                new ProcessBuilder(
                                                jdk.resolve("bin/jcmd").toString(),
                                                Long.toString(p.pid()),
                                                "Thread.print")
                                        .redirectErrorStream(true)
                                        .redirectOutput(out.toFile())
                                        .start()
                                        .waitFor(15, TimeUnit.SECONDS);
                            }
                        }
                    } catch (InterruptedException | java.io.IOException e) {
                        // finished in time, or no dump possible: nothing to add
                    }
                },
                "thread-dump-watchdog");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String kind(Dump d, String name) {
        return d.probes().stream()
                .filter(p -> name.equals(p.get("name")))
                .map(p -> String.valueOf(p.get("kind")))
                .findFirst()
                .orElse("");
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("runs")
    void bothAgentsWorkAndReport(String label, Path jdk, String order) throws Exception {
        assertThat(OTEL_AGENT)
                .as("the OpenTelemetry Java agent, copied at package time")
                .exists();
        final String otel = "-javaagent:" + OTEL_AGENT.toAbsolutePath();
        final String ours = "-javaagent:" + Launch.AGENT_JAR.toAbsolutePath();
        final Path dump = Launch.workFile(label + "-" + order + "-beside-otel.json");
        try (HttpOtlpReceiver receiver = HttpOtlpReceiver.onFreePort().start()) {
            // A JVM still running after 80 s is stuck: its threads say where, before the launch kills it at 100 s.
            final Path threads = Launch.workFile(label + "-" + order + "-threads.txt");
            final Thread watchdog = threadDumpAfter(Duration.ofSeconds(80), dump.toString(), jdk, threads);
            final Launch launch = Launch.on(jdk).withoutAgent();
            if (order.equals("otel-first")) {
                launch.jvmArg(otel).jvmArg(ours);
            } else {
                launch.jvmArg(ours).jvmArg(otel);
            }
            final Launch.Result r = launch.prop("hotpath.dump.file", dump.toString())
                    // Both agents read the standard variables: one receiver, exports every second, spans sent soon.
                    .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
                    .env("OTEL_METRIC_EXPORT_INTERVAL", "1000")
                    .env("OTEL_BSP_SCHEDULE_DELAY", "200")
                    .env("OTEL_SERVICE_NAME", "netty-http-app")
                    .testMain(NettyHttpApp.class, nettyJars(), "" + REQUESTS, "2500")
                    .timeout(Duration.ofSeconds(100))
                    .run();
            watchdog.interrupt();
            assertThat(r.timedOut())
                    .as(r.describe() + "\n--- threads 80 s after the start ---\n"
                            + (Files.exists(threads) ? Files.readString(threads) : "(none taken)"))
                    .isFalse();
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.stderr())
                    .as(r.describe())
                    .doesNotContain("Exception in thread")
                    .doesNotContain("\tat io.hotpath");
            // The analyzer may rightly alert (two agents starting on a busy machine pause for GC and class loading);
            // anything else ours warns about here would be a fault of its own.
            assertThat(r.agentLines())
                    .as(r.describe())
                    .filteredOn(l -> !l.contains(" WARN alert "))
                    .noneMatch(l -> l.contains(" WARN ") || l.contains(" ERROR "));
            final Truth t = Truth.of(r.stdout());
            assertThat(t.get("http", "ok")).as(r.describe()).isEqualTo(REQUESTS);
            assertThat(t.get("http", "tasks")).isEqualTo(REQUESTS);
            assertThat(t.get("http", "dequeued")).isEqualTo(REQUESTS);

            // Our counts: exact in the dump and at the receiver.
            final Dump d = Dump.read(dump);
            // The OpenTelemetry agent's own classes (its unrelocated OkHttp, its executors) are that agent's, not
            // the application's: none of them becomes a probe.
            assertThat(d.probes())
                    .as("probes named after the other agent's internals")
                    .extracting(p -> String.valueOf(p.get("name")))
                    .noneMatch(n -> n.startsWith("okhttp3.") || n.startsWith("io.opentelemetry."));
            // Local variables, so the probes are named after their creation lines: find them by kind instead.
            final Dump.Probe pool =
                    d.probe("worker pool", n -> APP.test(n) && kind(d, n).equals("executor"));
            assertThat(pool.counter("calls")).as("execute calls").isEqualTo(REQUESTS);
            assertThat(pool.counter("out")).as("completed").isEqualTo(REQUESTS);
            final Predicate<String> handOff = n -> APP.test(n) && kind(d, n).equals("queue") && !n.endsWith(".queue");
            final Dump.Probe queue = d.probe("hand-off queue", handOff);
            assertThat(queue.counter("in")).isEqualTo(REQUESTS);
            assertThat(queue.counter("out")).isEqualTo(REQUESTS);
            final Received got = receiver.received();
            final Predicate<String> poolName = pool.name()::equals;
            final Predicate<String> queueName = queue.name()::equals;
            assertThat(ExportChecks.sum(got, "hotpath.executor.task.submitted", poolName))
                    .isEqualTo(REQUESTS);
            assertThat(ExportChecks.sum(got, "hotpath.executor.task.completed", poolName))
                    .isEqualTo(REQUESTS);
            assertThat(ExportChecks.sum(got, "hotpath.queue.enqueued", queueName))
                    .isEqualTo(REQUESTS);
            assertThat(ExportChecks.sum(got, "hotpath.queue.dequeued", queueName))
                    .isEqualTo(REQUESTS);

            // Their metrics, under their own scopes, beside ours.
            final List<String> scoped = got.scopedMetricNames();
            assertThat(scoped)
                    .as("the OpenTelemetry agent's HTTP server metrics")
                    .anyMatch(
                            s -> s.startsWith("io.opentelemetry.netty") && s.endsWith("/http.server.request.duration"));
            assertThat(scoped)
                    .as("the OpenTelemetry agent's JVM metrics")
                    .anyMatch(s -> s.startsWith("io.opentelemetry.runtime-telemetry") && s.contains("/jvm."));
            assertThat(scoped)
                    .as("our metrics are never under their scopes, theirs never under hotpath names")
                    .allMatch(s -> s.startsWith("io.opentelemetry.")
                            ? !s.contains("/hotpath.")
                            : s.contains("/hotpath.") || s.contains("/otel.sdk."));

            // Their Netty server spans, one per request.
            final List<Received.ScopedSpan> server = got.spans().stream()
                    .filter(s -> s.scope().startsWith("io.opentelemetry.netty")
                            && s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER)
                    .toList();
            assertThat(server)
                    .as("Netty server spans; all spans: "
                            + got.spans().stream()
                                    .map(s -> s.scope() + ":" + s.span().getName() + ":"
                                            + s.span().getKind())
                                    .distinct()
                                    .toList())
                    .hasSize(REQUESTS)
                    .allMatch(s -> s.span().getName().startsWith("GET"));
        }
        Files.deleteIfExists(dump);
    }
}
