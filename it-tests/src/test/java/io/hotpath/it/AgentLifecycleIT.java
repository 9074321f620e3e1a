package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.JdkInternalQueues;
import io.hotpath.it.apps.OwnByteBuddyApp;
import io.hotpath.it.apps.QueueClasses;
import io.hotpath.it.apps.SelfAttachApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The agent's contract with the host JVM: off means off, isolation, bad input never stops the application. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentLifecycleIT {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void enabledRewritesQueuesAndPools(Path jdk) throws Exception {
        final Launch.Result r =
                Launch.on(jdk).testMain(QueueClasses.class, List.of()).run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout())
                .as(r.describe())
                .contains("CLASS abq io.hotpath.bootstrap.jdk.TrackedArrayBlockingQueue")
                .contains("CLASS lbq io.hotpath.bootstrap.jdk.TrackedLinkedBlockingQueue")
                .contains("CLASS tpe io.hotpath.bootstrap.jdk.TrackedThreadPoolExecutor")
                .contains("CLASS fixed io.hotpath.bootstrap.jdk.TrackedThreadPoolExecutor");
    }

    /** A fat jar that bundled a copy of the entry point comes first on the class path; the agent still starts. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void copyOfTheEntryPointOnTheClassPathDoesNotStopTheAgent(Path jdk) throws Exception {
        final Path fatJar = Launch.workFile("fat-with-agent-copy.jar");
        try (java.util.jar.JarFile agent = new java.util.jar.JarFile(Launch.AGENT_JAR.toFile());
                java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(fatJar))) {
            for (String entry :
                    List.of("io/hotpath/agent/HotpathAgent.class", "io/hotpath/agent/IsolatingClassLoader.class")) {
                out.putNextEntry(new java.util.jar.JarEntry(entry));
                try (java.io.InputStream in = agent.getInputStream(agent.getEntry(entry))) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        final Launch.Result r =
                Launch.on(jdk).testMain(QueueClasses.class, List.of(fatJar)).run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stderr()).as(r.describe()).doesNotContain("agent failed to start");
        assertThat(r.stdout())
                .as(r.describe())
                .contains("CLASS abq io.hotpath.bootstrap.jdk.TrackedArrayBlockingQueue");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void disabledTransformsNothingAndLoadsNothingOfOurs(Path jdk) throws Exception {
        final Launch.Result r = Launch.on(jdk)
                .prop("hotpath.enabled", "false")
                .jvmArg("-Xlog:class+load=info")
                .testMain(QueueClasses.class, List.of())
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout())
                .as(r.describe())
                .contains("CLASS abq java.util.concurrent.ArrayBlockingQueue")
                .contains("CLASS lbq java.util.concurrent.LinkedBlockingQueue")
                .contains("CLASS tpe java.util.concurrent.ThreadPoolExecutor")
                .doesNotContain("Tracked");
        final List<String> ours = r.stdout()
                .lines()
                .filter(l -> l.contains("io.hotpath.") && !l.contains("io.hotpath.it."))
                .map(l -> l.replaceAll(".*\\] ", ""))
                .toList();
        // Only the entry point, its loader and the settings needed to read hotpath.enabled are loaded.
        assertThat(ours)
                .as(r.describe())
                .noneMatch(l -> l.startsWith("io.hotpath.bootstrap"))
                .noneMatch(l -> l.startsWith("io.hotpath.shaded"))
                .noneMatch(l -> l.contains("instrument") || l.contains("report") || l.contains("ColdLoop"));
        assertThat(r.agentLines()).as(r.describe()).anyMatch(l -> l.contains("disabled by hotpath.enabled=false"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void applicationWithItsOwnByteBuddyKeepsItAndCannotSeeOurs(Path jdk) throws Exception {
        final Path ownByteBuddy;
        try (Stream<Path> libs = Files.list(Launch.APP_LIBS)) {
            ownByteBuddy = libs.filter(p -> p.getFileName().toString().startsWith("byte-buddy-"))
                    .findFirst()
                    .orElseThrow();
        }
        final Launch.Result r = Launch.on(jdk)
                .testMain(
                        OwnByteBuddyApp.class,
                        List.of(ownByteBuddy),
                        "io.hotpath.shaded.net.bytebuddy.ByteBuddy",
                        "io.hotpath.shaded.org.HdrHistogram.Histogram",
                        "io.hotpath.agent.runtime.AgentStarter",
                        "io.hotpath.agent.report.JsonDump",
                        "io.hotpath.agent.HotpathAgent")
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout())
                .as(r.describe())
                .contains("DYNAMIC made by the app's own Byte Buddy")
                .contains("BYTEBUDDY-FROM " + ownByteBuddy.getFileName())
                .contains("HIDDEN io.hotpath.shaded.net.bytebuddy.ByteBuddy")
                .contains("HIDDEN io.hotpath.shaded.org.HdrHistogram.Histogram")
                .contains("HIDDEN io.hotpath.agent.runtime.AgentStarter")
                .contains("HIDDEN io.hotpath.agent.report.JsonDump")
                .contains("QUEUE-SUM 10 io.hotpath.bootstrap.jdk.TrackedArrayBlockingQueue");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void badConfigurationIsOneClearLineEachAndTheApplicationRuns(Path jdk) throws Exception {
        final Path dump = Launch.workFile("bad-config-dump.json");
        final Launch.Result r = Launch.on(jdk)
                .prop("hotpath.summary.interval", "often")
                .prop("hotpath.probes.max", "-3")
                .prop("hotpath.sumary.top", "5")
                .prop("hotpath.dump.file", dump.toString())
                .env("HOTPATH_TICK", "fast")
                .agentArgs("nonsense")
                .testMain(QueueClasses.class, List.of())
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout()).contains("CLASS abq io.hotpath.bootstrap.jdk.TrackedArrayBlockingQueue");
        assertThat(r.agentLines())
                .as(r.describe())
                .anyMatch(l -> l.contains("hotpath.summary.interval='often'") && l.contains("expected a duration"))
                .anyMatch(l -> l.contains("hotpath.probes.max='-3'") && l.contains("from 16 to 1000000"))
                .anyMatch(l -> l.contains("hotpath.sumary.top") && l.contains("did you mean hotpath.summary.top?"))
                .anyMatch(l -> l.contains("HOTPATH_TICK") && l.contains("'fast'"))
                .anyMatch(l -> l.contains("agent argument 'nonsense' ignored"));
        assertThat(dump).exists();
        assertThat(Json.object(Files.readString(dump))).containsKey("probes");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void summaryIsPrintedPeriodicallyAndAtExit(Path jdk) throws Exception {
        final Launch.Result r = Launch.on(jdk)
                .prop("hotpath.summary.interval", "500ms")
                .referenceApp("--scenario", "basic", "--duration", "2s", "--quiet")
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final long headers = r.stderr()
                .lines()
                .filter(l -> l.startsWith("hotpath ") && l.contains("uptime"))
                .count();
        assertThat(headers).as(r.describe()).isGreaterThanOrEqualTo(3);
        assertThat(r.stderr()).contains("reference.QueueSubscriberChannel.queue");
        assertThat(r.stderr()
                        .lines()
                        .filter(l -> !l.startsWith("[hotpath]") && !l.contains("VM warning"))
                        .mapToInt(String::length)
                        .max()
                        .orElse(0))
                .isLessThanOrEqualTo(120);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void jdkInternalQueuesOnlyWhenAskedFor(Path jdk) throws Exception {
        final Path plain = Launch.workFile("jdk-internal-off.json");
        final Launch.Result off = Launch.on(jdk)
                .prop("hotpath.dump.file", plain.toString())
                .testMain(JdkInternalQueues.class, List.of())
                .run();
        assertThat(off.exitCode()).as(off.describe()).isZero();
        assertThat(Dump.read(plain).names())
                .as(off.describe())
                .noneMatch(n -> n.startsWith("jdk.internal.") || n.startsWith("java."));

        final Path withJdk = Launch.workFile("jdk-internal-on.json");
        final Launch.Result on = Launch.on(jdk)
                .prop("hotpath.dump.file", withJdk.toString())
                .prop("hotpath.include.jdk", "true")
                .testMain(JdkInternalQueues.class, List.of())
                .run();
        assertThat(on.exitCode()).as(on.describe()).isZero();
        assertThat(Dump.read(withJdk).names()).as(on.describe()).anyMatch(n -> n.startsWith("jdk.internal.net.http."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void attachingToARunningJvmRetransformsLoadedClasses(Path jdk) throws Exception {
        final Path dump = Launch.workFile("attach-dump.json");
        final Launch.Result r = Launch.on(jdk)
                .withoutAgent()
                .jvmArg("-Djdk.attach.allowAttachSelf=true")
                .jvmArg("-XX:+EnableDynamicAgentLoading")
                .testMain(
                        SelfAttachApp.class,
                        List.of(),
                        Launch.AGENT_JAR.toAbsolutePath().toString(),
                        "dump.file=" + dump)
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout())
                .as(r.describe())
                .contains("BEFORE java.util.concurrent.ArrayBlockingQueue")
                .contains("AFTER io.hotpath.bootstrap.jdk.TrackedArrayBlockingQueue");
        assertThat(r.agentLines()).anyMatch(l -> l.contains("(attached)"));
        final Dump.Probe q = Dump.read(dump)
                .probe("queue made after attach", n -> n.startsWith("io.hotpath.it.apps.SelfAttachApp.makeQueue"));
        assertThat(q.counter("in")).isEqualTo(2);
        assertThat(q.counter("out")).isEqualTo(1);
        assertThat(q.gauge("depth")).isEqualTo(1);
    }
}
