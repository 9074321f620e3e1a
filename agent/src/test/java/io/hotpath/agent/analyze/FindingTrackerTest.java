package io.hotpath.agent.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.analyze.finding.Finding;
import io.hotpath.agent.analyze.finding.FindingKind;
import io.hotpath.agent.analyze.finding.Observation;
import io.hotpath.exporter.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tracker's hysteresis with the default timing (100 ms ticks, 1 s short window, sustain 1 s, resolve after 3 s):
 * bursts stay info, and a burst that keeps coming back above info is marked recurring for the optimizer.
 */
@Timeout(10)
class FindingTrackerTest {
    private final FindingTracker tracker = new FindingTracker(AnalyzerConfig.defaults());
    private long now = 1_000_000;

    private static Observation depth(Severity severity) {
        return new Observation(
                FindingKind.QUEUE_DEPTH, "q", severity, 0.6, 0.9, Map.of("depth", 2000.0), "q backs up", "drain q");
    }

    private void ticks(int n, Observation o) {
        for (int i = 0; i < n; i++) {
            now += 100;
            tracker.update(o == null ? List.of() : List.of(o), now);
        }
    }

    private Finding only() {
        final List<Finding> f = tracker.findings();
        assertThat(f).hasSize(1);
        return f.get(0);
    }

    @Test
    void aBurstThatComesBackAboveInfoIsRecurringButStaysInfo() {
        ticks(8, depth(Severity.WARNING)); // 0.8 s: confirmed, shorter than sustain
        assertThat(only().severity()).isEqualTo(Severity.INFO);
        assertThat(only().recurring()).isFalse();

        ticks(12, null); // a gap that ends the run but does not resolve the finding
        assertThat(only().active()).isTrue();
        assertThat(only().recurring()).isFalse();

        ticks(8, depth(Severity.WARNING)); // the second burst
        final Finding f = only();
        assertThat(f.active()).isTrue();
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.recurring()).isTrue();

        ticks(40, null); // quiet past resolve-after
        assertThat(only().active()).isFalse();
    }

    @Test
    void shortBurstsThatKeepComingBackAreRecurring() {
        // 250 ms above info in every second, the rest quiet: never half the short window above info, never a warning.
        for (int i = 0; i < 5; i++) {
            ticks(6, depth(Severity.INFO)); // the backlog's tail, info
            ticks(3, depth(Severity.CRITICAL));
            ticks(4, null);
        }
        final Finding f = only();
        assertThat(f.active()).isTrue();
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.recurring()).isTrue();
    }

    @Test
    void aOneTickBlipPerRunIsNotRecurring() {
        for (int i = 0; i < 5; i++) {
            ticks(5, depth(Severity.INFO));
            ticks(1, depth(Severity.WARNING));
            ticks(4, null);
        }
        final Finding f = only();
        assertThat(f.active()).isTrue();
        assertThat(f.recurring()).isFalse();
    }

    @Test
    void aSustainedConditionIsAWarningNotARecurringBurst() {
        ticks(25, depth(Severity.WARNING));
        final Finding f = only();
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.recurring()).isFalse();
    }

    @Test
    void burstsThatNeverReachAboveInfoAreNotRecurring() {
        for (int i = 0; i < 4; i++) {
            ticks(8, depth(Severity.INFO));
            ticks(12, null);
        }
        final Finding f = only();
        assertThat(f.active()).isTrue();
        assertThat(f.recurring()).isFalse();
    }
}
