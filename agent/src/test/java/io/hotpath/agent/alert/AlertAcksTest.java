package io.hotpath.agent.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.exporter.Severity;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Alert ids, acknowledgement and escalation, driven by the analysis views' own clock (a fake one here): an
 * unacknowledged critical alert re-fires to the next channel after hotpath.alerts.escalate.after, once per channel;
 * an acknowledged one neither escalates nor is sent again until its finding recovers.
 */
class AlertAcksTest {
    private final AlerterTest.Recording first = new AlerterTest.Recording();
    private final AlerterTest.Recording second = new AlerterTest.Recording();
    private final AlerterTest.Recording third = new AlerterTest.Recording();
    private final Alerter alerter = new Alerter(
                    Severity.WARNING, Duration.ofSeconds(10), 100, List.of(first, second, third))
            .escalateAfter(Duration.ofMinutes(1));

    private static final long MINUTE = 60_000;

    private void tick(long now, io.hotpath.agent.analyze.finding.Finding f) {
        alerter.onAnalysis(AlerterTest.view(now, f));
    }

    @Test
    void unacknowledgedCriticalEscalatesToTheNextChannelsInTurnThenStops() {
        final var critical = AlerterTest.finding("q", Severity.CRITICAL, 0, 0);
        tick(1000, critical);
        assertThat(first.alerts).extracting(Alert::type).containsExactly("finding", "health");
        final Alert sent = first.alerts.get(0);
        assertThat(alerter.acks().id(sent)).isEqualTo(1);
        assertThat(second.alerts).hasSize(2); // every channel gets the alert itself

        tick(1000 + MINUTE - 1, critical);
        assertThat(second.alerts).hasSize(2);
        tick(1000 + MINUTE, critical);
        // The finding alert and the critical (unhealthy) health alert both escalate to the second channel.
        assertThat(second.alerts).hasSize(4);
        assertThat(second.alerts.get(2).message())
                .startsWith("escalated (level 1, alert 1 not acknowledged after 60 s)");
        assertThat(third.alerts).hasSize(2);

        tick(1000 + 2 * MINUTE, critical);
        assertThat(third.alerts).hasSize(4);
        assertThat(third.alerts.get(2).message()).startsWith("escalated (level 2, alert 1");
        // No channel after the third: no more escalation, however long it stays unacknowledged.
        for (int i = 3; i < 10; i++) {
            tick(1000 + i * MINUTE, critical);
        }
        assertThat(first.alerts).hasSize(2);
        assertThat(second.alerts).hasSize(4);
        assertThat(third.alerts).hasSize(4);
    }

    @Test
    void escalationWaitsForItsKeysCooldown() {
        final AlerterTest.Recording a = new AlerterTest.Recording();
        final AlerterTest.Recording b = new AlerterTest.Recording();
        // Cooldown 5 min, escalation after 1 min: the escalation is the alert raised again, so it waits 5 min.
        final Alerter slow = new Alerter(Severity.WARNING, Duration.ofMinutes(5), 100, List.of(a, b))
                .escalateAfter(Duration.ofMinutes(1));
        final var critical = AlerterTest.finding("q", Severity.CRITICAL, 0, 0);
        for (long t = 1000; t < 1000 + 5 * MINUTE; t += 10_000) {
            slow.onAnalysis(AlerterTest.view(t, critical));
        }
        assertThat(b.alerts).as("the alerts themselves, no escalation yet").hasSize(2);
        slow.onAnalysis(AlerterTest.view(1000 + 5 * MINUTE, critical));
        assertThat(b.alerts).hasSize(4);
        assertThat(b.alerts.get(2).message()).startsWith("escalated (level 1");
        assertThat(a.alerts).hasSize(2);
    }

    @Test
    void escalationSharesTheRateLimitAndWaitsForRoom() {
        final AlerterTest.Recording a = new AlerterTest.Recording();
        final AlerterTest.Recording b = new AlerterTest.Recording();
        // Three alerts a minute: the finding and the health alert take two, so one of the two escalations goes at once.
        final Alerter limited = new Alerter(Severity.WARNING, Duration.ofSeconds(1), 3, List.of(a, b))
                .escalateAfter(Duration.ofSeconds(10));
        final var critical = AlerterTest.finding("q", Severity.CRITICAL, 0, 0);
        limited.onAnalysis(AlerterTest.view(1000, critical));
        assertThat(b.alerts).hasSize(2);
        limited.onAnalysis(AlerterTest.view(11_000, critical));
        assertThat(b.alerts).as("one escalation: the budget's last slot").hasSize(3);
        limited.onAnalysis(AlerterTest.view(30_000, critical));
        assertThat(b.alerts)
                .as("the other waits while the minute's budget is spent")
                .hasSize(3);
        limited.onAnalysis(AlerterTest.view(61_000, critical));
        assertThat(b.alerts).as("then goes out, delayed, not dropped").hasSize(4);
        assertThat(b.alerts.get(3).message()).startsWith("escalated (level 1");
    }

    @Test
    void acknowledgedAlertNeitherEscalatesNorIsSentAgainUntilItsFindingRecovers() {
        final var critical = AlerterTest.finding("q", Severity.CRITICAL, 0, 0);
        tick(1000, critical);
        final long id = alerter.acks().id(first.alerts.get(0));
        final long healthId = alerter.acks().id(first.alerts.get(1));
        assertThat(alerter.acks().acknowledge(id, "http", 2000)).isNull();
        assertThat(alerter.acks().acknowledge(healthId, "jmx", 2000)).isNull();
        assertThat(alerter.acks().acknowledge(999, "http", 2000)).startsWith("no alert with id 999");
        for (int i = 1; i < 5; i++) {
            tick(1000 + i * MINUTE, critical);
        }
        assertThat(second.alerts).as("no escalation").hasSize(2);

        // The finding recovers and comes back critical: a new finding, alerted again.
        tick(1000 + 5 * MINUTE, AlerterTest.finding("q", Severity.CRITICAL, 0, 1000 + 5 * MINUTE));
        final var again = AlerterTest.finding("q", Severity.CRITICAL, 1000 + 6 * MINUTE, 0);
        tick(1000 + 6 * MINUTE, again);
        assertThat(first.alerts)
                .extracting(Alert::type)
                .containsExactly("finding", "health", "recovery", "health", "finding", "health");
    }

    @Test
    void theDumpsAlertsCarryIdAndAcknowledgement() {
        tick(1000, AlerterTest.finding("q", Severity.CRITICAL, 0, 0));
        alerter.acks().acknowledge(1, "http", 1500);
        final String json = io.hotpath.agent.report.Sections.alerts(alerter.view());
        assertThat(json)
                .contains("\"id\":1,\"acknowledged\":true,\"acknowledged_by\":\"http\",\"acknowledged_ms\":1500,"
                        + "\"escalations\":0")
                .contains("\"id\":2,\"acknowledged\":false,\"acknowledged_by\":null");
    }

    @Test
    void withoutEscalateAfterNothingEscalates() {
        final Alerter plain = new Alerter(Severity.WARNING, Duration.ofSeconds(10), 100, List.of(first, second));
        final var critical = AlerterTest.finding("q", Severity.CRITICAL, 0, 0);
        for (int i = 0; i < 10; i++) {
            plain.onAnalysis(AlerterTest.view(1000 + i * MINUTE, critical));
        }
        assertThat(second.alerts).hasSize(2);
    }
}
