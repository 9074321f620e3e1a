package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.VirtualThreadsApp;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tracked queues and pools used from virtual threads (on the JDKs that have them, 21+: here 25): exact counts, and
 * no carrier pinned because of the agent (JFR jdk.VirtualThreadPinned events with a frame in io.hotpath).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class VirtualThreadsIT {
    private static final String APP = VirtualThreadsApp.class.getName();

    static Stream<Path> jdks() {
        return Jdks.homes().stream().filter(h -> Integer.parseInt(Jdks.label(h).substring(3)) >= 21);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void virtualThreadsCountExactlyAndAreNotPinnedByTheAgent(Path jdk) throws Exception {
        final Path dump = Launch.workFile("virtual-dump.json");
        final Path jfr = Launch.workFile("virtual.jfr");
        final int threads = 200;
        final int perThread = 250;
        final Launch.Result r = Launch.on(jdk)
                .prop("hotpath.dump.file", dump.toString())
                .prop("hotpath.export.exporter", "none")
                .timeout(java.time.Duration.ofSeconds(150))
                .testMain(
                        VirtualThreadsApp.class,
                        List.of(),
                        String.valueOf(threads),
                        String.valueOf(perThread),
                        jfr.toString())
                .run();
        assertThat(r.timedOut()).as(r.describe()).isFalse();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final String truth = Truth.firstLine(r);
        System.out.println(Jdks.label(jdk) + " " + truth);
        final long n = (long) threads * perThread;
        assertThat(Truth.field(truth, "moved")).isEqualTo(2 * n);
        assertThat(Truth.field(truth, "tasks")).isEqualTo(n);
        assertThat(Truth.field(truth, "pinnedByAgent")).as(truth).isZero();

        final Dump d = Dump.read(dump);
        for (String q : new String[] {"ARRAY", "LINKED"}) {
            final Dump.Probe p = d.probe(q, x -> x.equals(APP + "." + q));
            assertThat(p.counter("in")).as(q).isEqualTo(n);
            assertThat(p.counter("out")).as(q).isEqualTo(n);
        }
        final Dump.Probe pool = d.probe("pool", x -> x.equals(APP + ".POOL"));
        assertThat(pool.counter("in")).isEqualTo(n);
        assertThat(pool.counter("out")).isEqualTo(n);
    }
}
