package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.AeronLateAttachApp;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent attached to a running Aeron application whose publication classes are already loaded and in use: the
 * classes are retransformed without the field they get when the agent is there first, and refused offers still count
 * exactly by outcome, on the operation and, through the identity table, on the stream of a publication added after
 * the attach.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class AeronLateAttachIT {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void refusalsOfAlreadyLoadedPublicationClassesCountExactly(Path jdk) throws Exception {
        final Path dump = Launch.workFile("aeron-late-attach-dump.json");
        final Launch.Result r = Launch.on(jdk)
                .withoutAgent()
                .jvmArg("-Djdk.attach.allowAttachSelf=true")
                .jvmArg("-XX:+EnableDynamicAgentLoading")
                .jvmArg("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
                .testMain(
                        AeronLateAttachApp.class,
                        AeronIT.aeron(),
                        Launch.AGENT_JAR.toAbsolutePath().toString(),
                        "dump.file=" + dump + "|export.exporter=none",
                        Launch.workFile("aeron-late-dir").toString())
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.agentLines()).as(r.describe()).anyMatch(l -> l.contains("(attached)"));
        final Truth t = Truth.of(r.stdout());
        assertThat(t.get("before", "not_connected"))
                .as("refused before the attach")
                .isEqualTo(10);
        assertThat(t.get("offer", "not_connected")).isEqualTo(10);
        assertThat(t.get("offer", "back_pressured")).isPositive();
        assertThat(t.get("offer", "admin_action")).as("terms rotated").isPositive();
        assertThat(t.get("offer", "closed")).isEqualTo(3);
        final Dump d = Dump.read(dump);
        final Dump.Probe offer = d.probe("offer", "aeron.Publication#offer"::equals);
        final Dump.Probe stream =
                d.probe("stream", n -> n.equals("aeron.publication " + AeronLateAttachApp.CHANNEL + " stream 3002"));
        for (String outcome : new String[] {"not_connected", "back_pressured", "admin_action", "max_position"}) {
            assertThat(offer.counter(outcome)).as(outcome).isEqualTo(t.get("offer", outcome));
            assertThat(stream.counter(outcome)).as("stream " + outcome).isEqualTo(t.get("stream", outcome));
        }
        // A closed publication is forgotten (its identity cell freed): its refusals count on the operation only.
        assertThat(offer.counter("send_closed")).isEqualTo(3);
        assertThat(stream.counter("send_closed")).isZero();
        assertThat(offer.counter("calls")).isZero();
        assertThat(r.agentLines())
                .as(r.describe())
                .noneMatch(l -> l.contains("left class") || l.contains("skipped") || l.contains("ERROR"));
    }
}
