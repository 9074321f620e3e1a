package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each fault the reference application can inject is reported by the analyzer with the right kind on the right probe
 * soon after its onset, on every JDK. The target is 2 s (measured by it-tests/scripts/analyzer-acceptance.sh over
 * many runs); this test allows {@link #ALLOWED_DELAY} so that it stays green on a loaded CI machine.
 */
@Timeout(value = 170, unit = TimeUnit.SECONDS)
class AnalyzerFaultIT {
    static final Duration ALLOWED_DELAY = Duration.ofSeconds(3);

    static Stream<Arguments> faults() {
        final List<Arguments> runs = new ArrayList<>();
        for (Path jdk : Jdks.homes()) {
            runs.add(Arguments.of(
                    Jdks.label(jdk),
                    jdk,
                    "slow-subscriber",
                    "saturation",
                    "io.hotpath.reference.QueueSubscriberChannel.queue",
                    new String[] {"--rate", "2000"}));
            runs.add(Arguments.of(
                    Jdks.label(jdk),
                    jdk,
                    "saturated-dispatcher",
                    "saturation",
                    "io.hotpath.reference.Dispatcher.pool",
                    new String[] {"--rate", "2000"}));
            runs.add(Arguments.of(Jdks.label(jdk), jdk, "lock-contention", "lock_contention", "jvm", new String[0]));
            runs.add(Arguments.of(Jdks.label(jdk), jdk, "gc-pressure", "gc_pressure", "jvm", new String[0]));
            runs.add(Arguments.of(
                    Jdks.label(jdk),
                    jdk,
                    "aeron-back-pressure",
                    "back_pressure",
                    "aeron.Publication#offer",
                    new String[] {"--transport", "aeron", "--rate", "2000"}));
            runs.add(Arguments.of(
                    Jdks.label(jdk), jdk, "socket-back-pressure", "back_pressure", "netty.outbound", new String[] {
                        "--transport", "tcp", "--rate", "1000"
                    }));
        }
        return runs.stream();
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("faults")
    void faultIsFoundSoonAfterOnset(String label, Path jdk, String fault, String kind, String probe, String[] extra)
            throws Exception {
        final Path dump = Launch.workFile(label + "-" + fault + "-analyzer.json");
        final List<String> args = new ArrayList<>(
                List.of("--scenario", "basic", "--duration", "6s", "--quiet", "--fault", fault, "--fault-at", "3s"));
        args.addAll(List.of(extra));
        final Launch.Result r = Launch.on(jdk)
                .dumpWithoutExport(dump)
                // A dump every 500 ms as well as at exit: the exit dump may miss its deadline under a GC storm.
                .prop("hotpath.dump.interval", "500ms")
                .prop("hotpath.shutdown.timeout", "10s")
                .referenceApp(args.toArray(new String[0]))
                .timeout(Duration.ofSeconds(60))
                .run();
        assertThat(r.timedOut()).as(r.describe()).isFalse();
        final long onset = AnalyzerFindings.onset(r.stdout());
        final AnalyzerFindings found = AnalyzerFindings.read(dump);
        final OptionalLong detected = found.detected(kind, probe, onset);
        assertThat(detected)
                .as("%s finding on %s after the %s onset; findings: %s", kind, probe, fault, found.findings())
                .isPresent();
        final long delay = detected.getAsLong() - onset;
        System.out.printf("analyzer %s %s: %s on %s detected %d ms after onset%n", label, fault, kind, probe, delay);
        assertThat(delay).as("detection delay (ms) of %s", fault).isLessThanOrEqualTo(ALLOWED_DELAY.toMillis());
        assertThat(r.stderr()).as(r.describe()).contains("alert ");
    }
}
