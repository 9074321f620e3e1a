package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.AeronLaggardApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real embedded Aeron media driver, one publication and two subscriptions, one of which turns slow: the analyzer's
 * back-pressure finding on the publication appears soon after the onset and names the slow subscription (its
 * registration id) as the slowest, read from Aeron's own subscriber-position counters on the agent's thread. The
 * target is 2 s; like {@link AnalyzerFaultIT} this test allows {@link AnalyzerFaultIT#ALLOWED_DELAY} on a loaded
 * machine and prints the delay it measured.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AeronLaggardIT {
    static Stream<Arguments> jdks() {
        return Jdks.homes().stream().map(jdk -> Arguments.of(Jdks.label(jdk), jdk));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void backPressureFindingNamesTheSlowSubscriber(String label, Path jdk) throws Exception {
        final Path dump = Launch.workFile(label + "-aeron-laggard.json");
        final Launch.Result r = Launch.on(jdk)
                .dumpWithoutExport(dump)
                .prop("hotpath.dump.interval", "500ms")
                .jvmArg("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
                .testMain(
                        AeronLaggardApp.class,
                        AeronIT.aeron(),
                        "3",
                        "4",
                        Launch.workFile(label + "-aeron-laggard-dir").toString())
                .timeout(Duration.ofSeconds(60))
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final Truth t = Truth.of(r.stdout());
        final long slow = t.get("laggard", "slow");
        final long fast = t.get("laggard", "fast");
        assertThat(t.get("publisher", "refused"))
                .as("the slow subscriber back-pressures the publisher")
                .isPositive();
        final long onset = AnalyzerFindings.onset(r.stdout());
        final AnalyzerFindings found = AnalyzerFindings.read(dump);
        final String probe = "aeron.Publication#offer";
        final OptionalLong detected = found.detected("back_pressure", probe, onset);
        assertThat(detected)
                .as("back_pressure on %s after the onset; findings: %s", probe, found.findings())
                .isPresent();
        final long delay = detected.getAsLong() - onset;
        System.out.printf("aeron laggard %s: back_pressure on %s detected %d ms after onset%n", label, probe, delay);
        assertThat(delay).as("detection delay (ms)").isLessThanOrEqualTo(AnalyzerFaultIT.ALLOWED_DELAY.toMillis());
        final Map<String, Object> finding = found.findings().stream()
                .filter(f -> "back_pressure".equals(f.get("kind")) && probe.equals(f.get("probe")))
                .findFirst()
                .orElseThrow();
        final String message = (String) finding.get("message");
        assertThat(message)
                .as("the finding names the slow subscription %d, not the fast one %d", slow, fast)
                .contains("slowest subscriber subscription " + slow + " (")
                .doesNotContain("slowest subscriber subscription " + fast + " (");
        assertThat((String) finding.get("recommendation")).contains("subscription " + slow);
        @SuppressWarnings("unchecked")
        final Map<String, Object> evidence = (Map<String, Object>) finding.get("evidence");
        assertThat(((Number) evidence.get("lag_bytes")).longValue()).isPositive();
        assertThat(((Number) evidence.get("subscribers")).longValue()).isEqualTo(2);
        // The stream probe carries the lag as a gauge.
        final Dump d = Dump.read(dump);
        final Dump.Probe stream =
                d.probe("stream", n -> n.equals("aeron.publication aeron:ipc?term-length=1m stream 1002"));
        assertThat(stream.gauge("lag")).isNotNull();
        assertThat(r.agentLines())
                .as(r.describe())
                .noneMatch(l -> l.contains("left class") || l.contains("skipped") || l.contains("ERROR"));
    }
}
