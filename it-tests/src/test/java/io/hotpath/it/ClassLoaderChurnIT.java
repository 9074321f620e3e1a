package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.ChurnApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 10,000 class loaders, each defining a class of its own name that creates queues, a pool and a datagram socket through the
 * agent's construction sites, each dropped at once, in a JVM with a bounded metaspace and a small probe table: the
 * loaders are collected (the agent retains none), metaspace comes back to near where it was, the probe table stays
 * within its cap and counts the registrations it turned away.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClassLoaderChurnIT {
    private static final int LOADERS = Integer.getInteger("hotpath.it.churn.loaders", 10_000);
    private static final int PROBES_MAX = 64;

    static Stream<Path> jdks() {
        return Jdks.homes().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void droppedLoadersAreCollectedAndTheProbeTableStaysBounded(Path jdk) throws Exception {
        final Path dump = Launch.workFile("churn.json");
        final Launch.Result r = Launch.on(jdk)
                .prop("hotpath.dump.file", dump.toString())
                .prop("hotpath.export.exporter", "none")
                .prop("hotpath.probes.max", String.valueOf(PROBES_MAX))
                .jvmArg("-XX:MaxMetaspaceSize=128m")
                .jvmArg("-Xmx256m")
                .timeout(java.time.Duration.ofSeconds(200))
                .testMain(ChurnApp.class, List.of(), String.valueOf(LOADERS))
                .run();
        assertThat(r.timedOut()).as(r.describe()).isFalse();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stderr()).as(r.describe()).doesNotContain("\tat ").doesNotContain("OutOfMemoryError");
        final String truth = Truth.firstLine(r);
        System.out.println(Jdks.label(jdk) + " " + truth);

        assertThat(Truth.field(truth, "cleared"))
                .as("sampled loaders collected: %s", truth)
                .isEqualTo(Truth.field(truth, "sample"));
        final long retained = Truth.field(truth, "metaspaceAfter") - Truth.field(truth, "metaspaceBefore");
        assertThat(retained)
                .as("metaspace retained after %d loaders: %s", LOADERS, truth)
                .isLessThan(8L << 20);
        assertThat(Truth.field(truth, "loadedAfter") - Truth.field(truth, "loadedBefore"))
                .as("classes still loaded after the churn: %s", truth)
                .isLessThan(LOADERS / 10);

        final Map<String, Object> root = Json.object(Files.readString(dump));
        @SuppressWarnings("unchecked")
        final Map<String, Object> table = (Map<String, Object>) root.get("probe_table");
        final long registered = ((Number) table.get("registered")).longValue();
        final long rejected = ((Number) table.get("rejected_registrations")).longValue();
        System.out.println(Jdks.label(jdk) + " probe_table registered=" + registered + " rejected=" + rejected);
        assertThat(registered).isLessThanOrEqualTo(PROBES_MAX);
        // Every loader's class has a name of its own, so its sites are new probes: far more than the table holds.
        assertThat(rejected).as("registrations turned away, counted").isPositive();
        assertThat(r.agentLines()).as(r.describe()).noneMatch(l -> l.contains("ERROR"));
        assertThat(Dump.read(dump).probes()).hasSizeLessThanOrEqualTo(PROBES_MAX);
    }
}
