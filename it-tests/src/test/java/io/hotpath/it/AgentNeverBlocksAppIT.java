package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.FirstUseLibrariesApp;
import io.hotpath.it.apps.FirstUseRushApp;
import io.hotpath.it.apps.FirstUseSlowBuildApp;
import io.hotpath.it.apps.SlowAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 1, the agent never blocks an application thread, checked with JFR in a real JVM: application threads construct
 * sockets while the agent's thread swaps its socket advice into the JDK's socket classes ({@link FirstUseRushApp}),
 * beside another agent whose transformer makes each retransformation slow ({@link SlowAgent} {@code retransform}, as the
 * OpenTelemetry Java agent's matchers do on a busy machine),
 * and no {@code jdk.JavaMonitorEnter} event of an application thread may name one of the agent's threads (its thread
 * group {@code hotpath}) as the monitor's previous owner with a wait above {@link #THRESHOLD_MS}. The agent's thread
 * used to hold a monitor over the retransformation of every class that waited for the swap, and each application
 * thread that constructed a socket meanwhile waited for all of them.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class AgentNeverBlocksAppIT {
    /** A wait on the agent this long or longer fails the test: more than a class definition takes here. */
    static final long THRESHOLD_MS = 5;

    static final String AGENT_GROUP = "hotpath";

    static List<Path> jdks() {
        return Jdks.homes();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void noApplicationThreadWaitsOnAMonitorTheAgentHolds(Path jdk) throws Exception {
        final Path jfr = Launch.workFile("never-blocks.jfr");
        final Launch.Result r = Launch.on(jdk)
                // 4 s per socket class: the agent's pass over four of them outlasts JFR's start in the application,
                // so the sockets are constructed while classes are still waiting for the swap. (At 1.5 s the pass was
                // often over first, and the monitor of the old design went unseen in about half the runs; at 4 s it
                // showed in 3 of 3, an 8 s wait each.)
                .jvmArg("-javaagent:" + slowAgentJar() + "=retransform:4000")
                .prop("hotpath.export.exporter", "none")
                .timeout(Duration.ofSeconds(120))
                .testMain(FirstUseRushApp.class, List.of(), "6", "1500", jfr.toString())
                .run();
        assertThat(r.timedOut()).as(r.describe()).isFalse();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final String truth = Truth.firstLine(r);
        assertThat(Truth.field(truth, "seen"))
                .as("the agent's thread was seen swapping the advice in, so the sockets were constructed meanwhile: "
                        + r.describe())
                .isEqualTo(1);
        assertThat(Truth.field(truth, "opened")).isPositive();

        final List<String> waits = new ArrayList<>();
        int monitorEvents = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.JavaMonitorEnter")) {
                continue;
            }
            monitorEvents++;
            final RecordedThread waiter = e.getThread();
            final RecordedThread owner = e.getValue("previousOwner");
            if (waiter == null || owner == null || agent(waiter) || !agent(owner)) {
                continue;
            }
            if (e.getDuration().toMillis() >= THRESHOLD_MS) {
                waits.add(waiter.getJavaName() + " waited " + e.getDuration().toMillis() + " ms for "
                        + e.getClass("monitorClass").getName() + " held by " + owner.getJavaName() + " at "
                        + (e.getStackTrace() == null
                                ? "?"
                                : e.getStackTrace().getFrames().stream()
                                        .limit(8)
                                        .map(f -> f.getMethod().getType().getName() + "."
                                                + f.getMethod().getName())
                                        .toList()));
            }
        }
        System.out.println(Jdks.label(jdk) + " " + truth + "; monitor waits recorded: " + monitorEvents
                + ", on the agent's threads: " + waits.size());
        assertThat(waits)
                .as("application threads waiting on monitors held by the agent's threads")
                .isEmpty();
    }

    /**
     * The first use of a socket class while the agent's thread is still building the advice (made to take seconds by
     * {@link SlowAgent} {@code build}, {@link FirstUseSlowBuildApp}): no application thread may park or wait on a monitor for
     * {@link #THRESHOLD_MS} or more inside the agent's code, and each thread's first connection completes while the
     * build is still under way.
     *
     * <p>The first instance of a socket class starts the build on the agent's thread and goes on; the connections made
     * meanwhile are adopted by the advice on their first recorded call once it is in place.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void noApplicationThreadWaitsForTheAdviceBuild(Path jdk) throws Exception {
        final Path jfr = Launch.workFile("never-waits-for-build.jfr");
        final Launch.Result r = Launch.on(jdk)
                .jvmArg("-javaagent:" + slowAgentJar() + "=build:10")
                .prop("hotpath.export.exporter", "none")
                .timeout(Duration.ofSeconds(120))
                .testMain(FirstUseSlowBuildApp.class, List.of(), "4", "1500", jfr.toString())
                .run();
        assertThat(r.timedOut()).as(r.describe()).isFalse();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final String truth = Truth.firstLine(r);
        assertThat(Truth.field(truth, "seen"))
                .as("the agent's thread was seen building the advice: " + r.describe())
                .isEqualTo(1);
        assertThat(Truth.field(truth, "building"))
                .as("every thread's first connection was made while the build was still under way: " + r.describe())
                .isEqualTo(1);
        assertThat(Truth.field(truth, "opened")).isPositive();

        assertNoWaitInsideTheAgent(jdk, truth, jfr);
    }

    /**
     * The first use of Netty (a channel's write and flush) and of Aeron (an offer) while the agent's thread is still
     * building their advice ({@link SlowAgent} {@code build}, {@link FirstUseLibrariesApp}): no application thread may
     * park or wait on a monitor for {@link #THRESHOLD_MS} or more inside the agent's code, and none may start a thread
     * of the agent's. The first uses are not counted; the channel's outbound buffer and the publication, made before the
     * advice was in place, are adopted, so the counts made after it are exact and the gauges include them.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void noApplicationThreadWaitsForTheNettyOrAeronAdviceBuild(Path jdk) throws Exception {
        final Path jfr = Launch.workFile("never-waits-for-libraries.jfr");
        final Path dump = Launch.workFile("never-waits-for-libraries.json");
        final int messages = 500;
        final List<Path> classPath = new ArrayList<>(NettyIT.netty("4.2"));
        classPath.addAll(AeronIT.aeron());
        final Launch.Result r = Launch.on(jdk)
                .jvmArg("-javaagent:" + slowAgentJar() + "=build:10")
                .jvmArg("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
                .dumpWithoutExport(dump)
                .timeout(Duration.ofSeconds(120))
                .testMain(
                        FirstUseLibrariesApp.class,
                        classPath,
                        "" + messages,
                        Launch.workFile("first-use-aeron").toString(),
                        jfr.toString())
                .run();
        assertThat(r.timedOut()).as(r.describe()).isFalse();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final Truth t = Truth.of(r.stdout());
        assertThat(t.get("libraries", "building"))
                .as("the first write and the first offer were made while the build was still under way: "
                        + r.describe())
                .isEqualTo(1);
        assertThat(t.get("libraries", "ready")).as(r.describe()).isEqualTo(1);

        final Dump d = Dump.read(dump);
        final Dump.Probe outbound = d.probe("outbound", "netty.outbound"::equals);
        assertThat(outbound.counter("in")).isEqualTo(t.get("netty", "written"));
        assertThat(outbound.counter("out")).isEqualTo(t.get("netty", "written"));
        assertThat(outbound.gauge("instances"))
                .as("the channel made before the advice, adopted")
                .isEqualTo(1L);
        final Dump.Probe offer = d.probe("offer", "aeron.Publication#offer"::equals);
        assertThat(offer.counter("not_connected"))
                .isEqualTo(t.get("aeron", "not_connected"))
                .isEqualTo(1);
        assertThat(offer.counter("back_pressured")).isEqualTo(t.get("aeron", "back_pressured"));
        assertThat(offer.counter("admin_action")).isEqualTo(t.get("aeron", "admin_action"));
        final Dump.Probe stream =
                d.probe("stream", n -> n.equals("aeron.publication aeron:ipc?term-length=64k stream 1002"));
        assertThat(stream.counter("bytes_out"))
                .as("the publication made before the advice, adopted")
                .isEqualTo(t.get("aeron", "position"))
                .isPositive();

        final List<String> startedByTheApplication = new ArrayList<>();
        int starts = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ThreadStart")) {
                continue;
            }
            final RecordedThread started = e.getThread("thread");
            final RecordedThread parent = e.getThread("parentThread");
            if (started != null && agent(started)) {
                starts++;
                if (parent == null || !agent(parent)) {
                    startedByTheApplication.add(
                            started.getJavaName() + " started by " + (parent == null ? "?" : parent.getJavaName()));
                }
            }
        }
        assertThat(starts)
                .as("the agent's advice thread started while recording: " + r.describe())
                .isPositive();
        assertThat(startedByTheApplication)
                .as("threads of the agent started by application threads")
                .isEmpty();
        assertNoWaitInsideTheAgent(jdk, t.all().toString(), jfr);
    }

    /** No application thread parked or waited on a monitor {@link #THRESHOLD_MS} or more inside the agent's code. */
    private static void assertNoWaitInsideTheAgent(Path jdk, String truth, Path jfr) throws java.io.IOException {
        final List<String> waits = new ArrayList<>();
        int events = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            final String type = e.getEventType().getName();
            if (!type.equals("jdk.ThreadPark") && !type.equals("jdk.JavaMonitorEnter")) {
                continue;
            }
            events++;
            final RecordedThread waiter = e.getThread();
            if (waiter == null || agent(waiter) || e.getStackTrace() == null) {
                continue;
            }
            final List<String> frames = e.getStackTrace().getFrames().stream()
                    .map(f -> f.getMethod().getType().getName() + "."
                            + f.getMethod().getName())
                    .toList();
            final boolean inAgent =
                    frames.stream().anyMatch(f -> f.startsWith("io.hotpath.") && !f.startsWith("io.hotpath.it."));
            if (inAgent && e.getDuration().toMillis() >= THRESHOLD_MS) {
                waits.add(waiter.getJavaName() + " " + type + " "
                        + e.getDuration().toMillis() + " ms at " + frames.subList(0, Math.min(10, frames.size())));
            }
        }
        System.out.println(Jdks.label(jdk) + " " + truth + "; park and monitor waits recorded: " + events
                + ", inside the agent: " + waits.size());
        assertThat(waits)
                .as("application threads parked or waiting on a monitor inside the agent's code")
                .isEmpty();
    }

    /** {@link SlowAgent} as an agent jar, written from the test classes. */
    static Path slowAgentJar() throws java.io.IOException {
        return agentJar(SlowAgent.class, "slow-agent.jar");
    }

    /** {@code premain}'s class (and its first anonymous class) as an agent jar named {@code name}. */
    static Path agentJar(Class<?> premain, String name) throws java.io.IOException {
        final Path jar = Launch.workFile(name);
        final Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Premain-Class", premain.getName());
        m.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            for (String c : new String[] {premain.getName(), premain.getName() + "$1"}) {
                final String entry = c.replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(entry));
                out.write(Files.readAllBytes(Launch.TEST_CLASSES.resolve(entry)));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static boolean agent(RecordedThread t) {
        return t.getThreadGroup() != null
                && AGENT_GROUP.equals(t.getThreadGroup().getName());
    }
}
