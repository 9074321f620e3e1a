package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The attach CLI against a real reference broadcaster started without the agent: {@code start} loads the agent,
 * {@code status} shows counts, {@code dump} writes the JSON dump, {@code stop} ends the agent's threads while the
 * application goes on delivering; and every bad input is one line with a non-zero exit code.
 */
class AttachCliIT {
    private static final String PUBLISH = "io.hotpath.reference.Producer#publish";

    static Stream<Arguments> jdks() {
        return Jdks.homes().stream().map(h -> Arguments.of(Jdks.label(h), h));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    @Timeout(240)
    void startStatusDumpStopOnARunningBroadcaster(String label, Path jdk) throws Exception {
        final Path truthFile = Launch.workFile(label + "-attach-truth.json");
        final CompletableFuture<Launch.Result> app = broadcasterWithoutAgent(jdk, truthFile, 2000, "40s", 120);
        final String pid = pidOf(truthFile.toString(), app);

        // The broadcaster's queues and pools were built before the attach, so their construction sites are not
        // tracked; a declared method probe is: its advice applies to the already-loaded class (retransformation).
        final Cli started = cli(jdk, pid, "start", "export.exporter=none|probes=" + PUBLISH + ":method");
        assertThat(started.code()).as(started.toString()).isZero();
        assertThat(started.out()).isEqualTo("hotpath started in pid " + pid + "\n");
        final Cli again = cli(jdk, pid, "start");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("hotpath: hotpath is already running in pid " + pid + "\n");

        Cli status = null;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - deadline < 0) {
            status = cli(jdk, pid, "status");
            if (status.code() == 0 && status.out().contains(PUBLISH)) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(status.code()).as(status.toString()).isZero();
        assertThat(status.out()).as(status.toString()).contains(PUBLISH);
        System.out.println(label + " status:\n" + status.out());

        final Cli findings = cli(jdk, pid, "findings");
        assertThat(findings.code()).as(findings.toString()).isZero();
        assertThat(findings.out()).startsWith("health ");

        final Path dump = Launch.workFile(label + "-attach-dump.json");
        final Cli dumped = cli(jdk, pid, "dump", dump.toString());
        assertThat(dumped.code()).as(dumped.toString()).isZero();
        assertThat(dumped.out()).isEqualTo("wrote the dump to " + dump + "\n");
        final Dump d = Dump.read(dump);
        final Dump.Probe publish = d.probe("publish", n -> n.equals(PUBLISH));
        assertThat(publish.counter("calls"))
                .as("messages published since the attach")
                .isPositive();

        final Cli badSet = cli(jdk, pid, "set", "hotpath.probes.max=3");
        assertThat(badSet.code()).isEqualTo(1);
        assertThat(badSet.err())
                .hasLineCount(1)
                .startsWith("hotpath: setting hotpath.probes.max is read at start only (it sizes a table allocated"
                        + " once at start)");
        final Cli top = cli(jdk, pid, "set", "hotpath.summary.top=3");
        assertThat(top.code()).as(top.toString()).isZero();
        assertThat(top.out()).contains("hotpath.summary.top=3");
        final Cli level = cli(jdk, pid, "set", "hotpath.log.level=debug");
        assertThat(level.code()).as(level.toString()).isZero();

        final Cli stopped = cli(jdk, pid, "stop");
        assertThat(stopped.code()).as(stopped.toString()).isZero();
        final String threads = threadDump(jdk, pid);
        assertThat(threads).as("the agent's threads are gone").doesNotContain("\"hotpath-");
        final Cli afterStop = cli(jdk, pid, "status");
        assertThat(afterStop.code()).isEqualTo(1);
        assertThat(afterStop.err()).contains("was stopped in this JVM");
        final Cli restart = cli(jdk, pid, "start");
        assertThat(restart.code()).isEqualTo(1);
        assertThat(restart.err()).contains("does not start again in the same JVM");

        final Launch.Result r = app.get(120, TimeUnit.SECONDS);
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final GroundTruth truth = new GroundTruth(Json.object(Files.readString(truthFile)));
        assertThat(truth.invariantsOk()).as(r.describe()).isTrue();
        assertThat(truth.get("subscriberDelivered"))
                .as("the app delivered to the end")
                .isPositive();
        assertThat(r.stderr()).contains("stopped by the attach CLI");
        // What the user sees in the application's output on a dynamic attach (JDK 21+ warns without
        // -XX:+EnableDynamicAgentLoading).
        System.out.println(label + " application stderr with the attach CLI:\n" + r.stderr());
    }

    /**
     * {@code stop} leaves no agent thread behind, the webhook alert channel's included: its sender and the JDK HTTP
     * client's selector thread. Thresholds low enough that the publish probe's latency is a finding make alerts go to
     * a real local webhook receiver first, so those threads exist before the stop. On JDK 17 the client's selector
     * thread ends once the dropped client is collected: the test asks the JVM for a GC ({@code jcmd GC.run}) as the
     * application's next GC would.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    @Timeout(240)
    void stopEndsTheWebhookChannelsThreads(String label, Path jdk) throws Exception {
        final java.util.concurrent.atomic.AtomicInteger posts = new java.util.concurrent.atomic.AtomicInteger();
        final com.sun.net.httpserver.HttpServer receiver =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/alerts", ex -> {
            ex.getRequestBody().readAllBytes();
            posts.incrementAndGet();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        try {
            final Path truthFile = Launch.workFile(label + "-attach-webhook-truth.json");
            final CompletableFuture<Launch.Result> app = broadcasterWithoutAgent(jdk, truthFile, 2000, "40s", 120);
            final String pid = pidOf(truthFile.toString(), app);
            final Cli started = cli(
                    jdk,
                    pid,
                    "start",
                    "export.exporter=none|probes=" + PUBLISH + ":method|alerts.channels=log,webhook"
                            + "|alerts.webhook.url=http://127.0.0.1:"
                            + receiver.getAddress().getPort() + "/alerts"
                            + "|analyzer.latency.warning=1us|analyzer.latency.critical=2us");
            assertThat(started.code()).as(started.toString()).isZero();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (posts.get() == 0) {
                assertThat(System.nanoTime() - deadline < 0)
                        .as("an alert reached the webhook")
                        .isTrue();
                Thread.sleep(200);
            }
            assertThat(threadDump(jdk, pid)).as("the webhook's sender runs").contains("\"hotpath-webhook\"");

            final Cli stopped = cli(jdk, pid, "stop");
            assertThat(stopped.code()).as(stopped.toString()).isZero();
            String threads = threadDump(jdk, pid);
            final long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((threads.contains("\"hotpath-") || threads.contains("\"HttpClient-"))
                    && System.nanoTime() - gone < 0) {
                jcmd(jdk, pid, "GC.run");
                Thread.sleep(1000);
                threads = threadDump(jdk, pid);
            }
            assertThat(threads).as("no agent thread after stop").doesNotContain("\"hotpath-");
            assertThat(threads).as("no webhook HTTP client thread after stop").doesNotContain("\"HttpClient-");
            final int sent = posts.get();
            Thread.sleep(2000);
            assertThat(posts.get()).as("nothing sent after stop").isEqualTo(sent);

            final Launch.Result r = app.get(120, TimeUnit.SECONDS);
            assertThat(r.exitCode()).as(r.describe()).isZero();
            System.out.println(label + " threads after stop:\n" + threads);
        } finally {
            receiver.stop(0);
        }
    }

    static void jcmd(Path jdk, String pid, String command) throws Exception {
        final Process p = new ProcessBuilder(jdk.resolve("bin/jcmd").toString(), pid, command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @Timeout(120)
    void badInputIsOneLineAndANonZeroExit() throws Exception {
        final Path jdk = Jdks.homes().get(0);
        final Cli noArgs = cli(jdk);
        assertThat(noArgs.code()).isEqualTo(2);
        assertThat(noArgs.err()).startsWith("usage: java -jar hotpath-agent.jar PID");
        final Cli badPid = cli(jdk, "12ab", "status");
        assertThat(badPid.code()).isEqualTo(2);
        assertThat(badPid.err()).startsWith("hotpath: invalid pid '12ab'").hasLineCount(1);
        final Cli badCommand = cli(jdk, "1", "restart");
        assertThat(badCommand.code()).isEqualTo(2);
        assertThat(badCommand.err())
                .isEqualTo("hotpath: unknown command 'restart': expected one of start, status, findings, dump, set,"
                        + " trace, trace-stop, inspect, contents, stop\n");
        final Cli noProbe = cli(jdk, "1", "trace");
        assertThat(noProbe.code()).isEqualTo(2);
        assertThat(noProbe.err()).hasLineCount(1).contains("trace takes 1 to 3 argument(s), got 0");
        final Cli noFile = cli(jdk, "1", "dump");
        assertThat(noFile.code()).isEqualTo(2);
        assertThat(noFile.err()).hasLineCount(1).contains("the file to write");
        final Cli gone = cli(jdk, "999999999", "status");
        assertThat(gone.code()).isEqualTo(1);
        assertThat(gone.err()).isEqualTo("hotpath: no process with pid 999999999\n");
        final Cli notJvm = cli(jdk, "1", "status");
        assertThat(notJvm.code()).isEqualTo(1);
        assertThat(notJvm.err()).hasLineCount(1).startsWith("hotpath: cannot attach to pid 1");

        // A JVM without the agent: every command but start says so.
        final Path truthFile = Launch.workFile("noagent-truth.json");
        final CompletableFuture<Launch.Result> app = broadcasterWithoutAgent(jdk, truthFile, 500, "8s", 60);
        final String pid = pidOf(truthFile.toString(), app);
        final Cli noAgent = cli(jdk, pid, "status");
        assertThat(noAgent.code()).as(noAgent.toString()).isEqualTo(1);
        assertThat(noAgent.err())
                .isEqualTo("hotpath: no hotpath agent is running in this JVM; start one with: java -jar"
                        + " hotpath-agent.jar " + pid + " start\n");
        assertThat(app.get(60, TimeUnit.SECONDS).exitCode()).isZero();
    }

    record Cli(int code, String out, String err) {}

    static Cli cli(Path jdk, String... args) throws Exception {
        final List<String> cmd = new ArrayList<>(List.of(
                jdk.resolve("bin/java").toString(),
                "-jar",
                Launch.AGENT_JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        final Path out = Launch.workFile("cli-out.txt");
        final Path err = Launch.workFile("cli-err.txt");
        final Process p = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("CLI timed out: " + cmd);
        }
        return new Cli(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The reference broadcaster without any agent, in the background, writing its ground truth to {@code truth}. */
    private static CompletableFuture<Launch.Result> broadcasterWithoutAgent(
            Path jdk, Path truth, int rate, String duration, int timeoutSeconds) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Launch.on(jdk)
                        .withoutAgent()
                        .referenceApp(
                                "--scenario",
                                "basic",
                                "--rate",
                                Integer.toString(rate),
                                "--duration",
                                duration,
                                "--quiet",
                                "--truth-file",
                                truth.toString())
                        .timeout(Duration.ofSeconds(timeoutSeconds))
                        .run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static String pidOf(String marker, CompletableFuture<Launch.Result> app) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - deadline < 0) {
            if (app.isDone()) {
                throw new AssertionError("the app ended early:\n" + app.get().describe());
            }
            final java.util.Optional<ProcessHandle> found = ProcessHandle.allProcesses()
                    .filter(h ->
                            h.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                    .findFirst();
            if (found.isPresent()
                    && found.get()
                            .info()
                            .startInstant()
                            .map(s -> s.plusSeconds(2).isBefore(java.time.Instant.now()))
                            .orElse(true)) {
                return String.valueOf(found.get().pid());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no JVM with " + marker);
    }

    static String threadDump(Path jdk, String pid) throws Exception {
        final Path out = Launch.workFile("threads.txt");
        final Process p = new ProcessBuilder(jdk.resolve("bin/jcmd").toString(), pid, "Thread.print")
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return Files.readString(out);
    }
}
