package io.hotpath.agent.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.analyze.AnalysisView;
import io.hotpath.agent.analyze.finding.Finding;
import io.hotpath.agent.analyze.finding.FindingKind;
import io.hotpath.agent.analyze.health.Health;
import io.hotpath.agent.analyze.health.HealthState;
import io.hotpath.exporter.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cooldown per key, the rate limit, escalation, recovery notices and health alerts. */
class AlerterTest {
    static final class Recording implements AlertChannel {
        final List<Alert> alerts = new ArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void send(Alert alert) {
            alerts.add(alert);
        }
    }

    private final Recording channel = new Recording();
    private final Alerter alerter = new Alerter(Severity.WARNING, Duration.ofMinutes(5), 10, List.of(channel));

    static Finding finding(String probe, Severity severity, long firstSeen, long resolved) {
        return new Finding(
                FindingKind.SATURATION.label() + ":" + probe,
                FindingKind.SATURATION,
                probe,
                severity,
                severity,
                0.5,
                0.9,
                Map.of("depth", 10.0),
                probe + " is saturated",
                "raise it",
                firstSeen,
                firstSeen + 500,
                firstSeen + 1000,
                resolved,
                null,
                List.of(),
                false);
    }

    static AnalysisView view(long now, Finding... findings) {
        double health = 1;
        for (Finding f : findings) {
            if (f.active()) {
                health = Math.min(health, Health.score(f.severity(), f.impact()));
            }
        }
        return new AnalysisView(now, health, HealthState.of(health), Map.of(), List.of(findings), 1, 0, 0);
    }

    @Test
    void oneAlertPerFindingWhileItLastsAndOneRecovery() {
        long now = 0;
        for (int i = 0; i < 100; i++) {
            alerter.onAnalysis(view(now += 100, finding("q", Severity.WARNING, 0, 0)));
        }
        assertThat(channel.alerts).extracting(Alert::type).containsExactly("finding", "health");
        alerter.onAnalysis(view(now += 100, finding("q", Severity.WARNING, 0, now)));
        assertThat(channel.alerts).extracting(Alert::type).containsExactly("finding", "health", "recovery", "health");
        assertThat(channel.alerts.get(2).severity()).isEqualTo(Severity.INFO);
    }

    @Test
    void oneAlertPerIncidentWithItsChainAndTheHighestSeverityOfItsFindings() {
        final Finding root = finding("pool", Severity.WARNING, 0, 0);
        final Finding consequence = new Finding(
                "back_pressure:ingress",
                FindingKind.BACK_PRESSURE,
                "ingress",
                Severity.CRITICAL,
                Severity.CRITICAL,
                0.4,
                0.9,
                Map.of(),
                "ingress pushes back",
                "",
                0,
                500,
                1000,
                0,
                root.key(),
                List.of(),
                false);
        final io.hotpath.agent.analyze.Incident incident = new io.hotpath.agent.analyze.Incident(
                "incident:" + root.key(),
                root.key(),
                "saturation",
                "pool",
                Severity.CRITICAL,
                Severity.CRITICAL,
                List.of(consequence.key()),
                "ingress back_pressure \u2190 pool saturation",
                100,
                0);
        for (int i = 1; i <= 20; i++) {
            final AnalysisView v = view(100L * i, root, consequence);
            alerter.onAnalysis(new AnalysisView(
                    v.epochMillis(),
                    v.health(),
                    v.state(),
                    v.probeHealth(),
                    v.findings(),
                    2,
                    0,
                    0,
                    List.of(incident),
                    io.hotpath.agent.analyze.Pipeline.empty()));
        }
        assertThat(channel.alerts)
                .filteredOn(a -> a.type().equals("finding"))
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.key()).isEqualTo("saturation:pool:critical");
                    assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
                    assertThat(a.message()).contains("(incident: ingress back_pressure \u2190 pool saturation)");
                });
    }

    @Test
    void escalationIsANewAlertAndInfoIsNone() {
        alerter.onAnalysis(view(100, finding("a", Severity.INFO, 0, 0)));
        assertThat(channel.alerts).isEmpty();
        alerter.onAnalysis(view(200, finding("a", Severity.WARNING, 0, 0)));
        alerter.onAnalysis(view(300, finding("a", Severity.CRITICAL, 0, 0)));
        assertThat(channel.alerts)
                .filteredOn(a -> a.type().equals("finding"))
                .extracting(Alert::key)
                .containsExactly("saturation:a:warning", "saturation:a:critical");
    }

    @Test
    void flappingFindingIsHeldByTheCooldown() {
        long now = 0;
        for (int flap = 0; flap < 10; flap++) {
            final long first = now;
            alerter.onAnalysis(view(now += 1000, finding("q", Severity.WARNING, first, 0)));
            alerter.onAnalysis(view(now += 1000, finding("q", Severity.WARNING, first, now)));
        }
        assertThat(channel.alerts).filteredOn(a -> a.type().equals("finding")).hasSize(1);
        assertThat(channel.alerts).filteredOn(a -> a.type().equals("recovery")).hasSize(1);
        assertThat(alerter.view().suppressedCooldown()).isPositive();
        // After the cooldown the same key may alert again.
        now += Duration.ofMinutes(5).toMillis();
        alerter.onAnalysis(view(now, finding("q", Severity.WARNING, now, 0)));
        assertThat(channel.alerts).filteredOn(a -> a.type().equals("finding")).hasSize(2);
    }

    @Test
    void atMostTheRateLimitPerMinute() {
        long now = 0;
        for (int i = 0; i < 50; i++) {
            alerter.onAnalysis(view(now += 100, finding("q" + i, Severity.WARNING, now, 0)));
        }
        assertThat(channel.alerts).hasSize(10);
        assertThat(alerter.view().suppressedRateLimit()).isPositive();
        now += 60_000;
        alerter.onAnalysis(view(now, finding("late", Severity.CRITICAL, now, 0)));
        assertThat(channel.alerts).hasSize(12); // the finding and the health alert
    }

    @Test
    void linkedFindingsDoNotAlert() {
        final Finding linked = new Finding(
                "latency:b",
                FindingKind.LATENCY,
                "b",
                Severity.WARNING,
                Severity.WARNING,
                0.3,
                1,
                Map.of(),
                "slow",
                "",
                0,
                1,
                1,
                0,
                "saturation:a",
                List.of(),
                false);
        alerter.onAnalysis(view(100, linked));
        assertThat(channel.alerts).filteredOn(a -> a.type().equals("finding")).isEmpty();
    }
}
