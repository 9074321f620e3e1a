package io.hotpath.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.alert.Alert;
import io.hotpath.agent.alert.AlertsView;
import io.hotpath.agent.analyze.AnalysisView;
import io.hotpath.agent.analyze.finding.Finding;
import io.hotpath.agent.analyze.finding.FindingKind;
import io.hotpath.agent.analyze.health.HealthState;
import io.hotpath.agent.optimize.Optimizer;
import io.hotpath.agent.optimize.whatif.Prediction;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.exporter.Severity;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Findings, health and alerts in the dump and the summary. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AnalysisOutputTest {
    static final Finding FINDING = new Finding(
            "saturation:q",
            FindingKind.SATURATION,
            "q",
            Severity.CRITICAL,
            Severity.CRITICAL,
            0.8,
            0.9,
            Map.of("depth", 1200.0),
            "q is saturated: arrivals 41.0k/s > drain 30.0k/s",
            "add consumers",
            1000,
            1500,
            2000,
            0,
            null,
            List.of("latency:pool"),
            false);

    static final AnalysisView VIEW = new AnalysisView(
            2000,
            0.1,
            HealthState.UNHEALTHY,
            Map.of("q", 0.1),
            List.of(FINDING),
            1,
            1234,
            0,
            List.of(new io.hotpath.agent.analyze.Incident(
                    "incident:saturation:q",
                    "saturation:q",
                    "saturation",
                    "q",
                    Severity.CRITICAL,
                    Severity.CRITICAL,
                    List.of("latency:pool"),
                    "pool latency \u2190 q saturation",
                    1500,
                    0)),
            new io.hotpath.agent.analyze.Pipeline(
                    List.of(new io.hotpath.agent.analyze.Pipeline.Stage(
                            "q", "queue", null, 41_000, 30_000, 1.0, 30_000, 29.3)),
                    List.of(
                            new io.hotpath.agent.analyze.Pipeline.Edge(null, "q", 640, 41_000),
                            new io.hotpath.agent.analyze.Pipeline.Edge("q", "pool", 470, 30_000)),
                    0));

    @Test
    void dumpCarriesHealthFindingsAndAlerts() {
        final Report r = Fixtures.report(List.of(Fixtures.sample(1, "q", PathKind.QUEUE, 1, 0, 0)));
        final AlertsView alerts = new AlertsView(
                List.of(new Alert(
                        "saturation:q:critical",
                        "finding",
                        Severity.CRITICAL,
                        "saturation",
                        "q",
                        "m",
                        "",
                        0.1,
                        Map.of(),
                        1500)),
                1,
                2,
                3,
                0);
        @SuppressWarnings("unchecked")
        final Map<String, Object> root = (Map<String, Object>) Json.parse(JsonDump.toJson(r, Map.of(), VIEW, alerts));
        @SuppressWarnings("unchecked")
        final Map<String, Object> health = (Map<String, Object>) root.get("health");
        assertThat(health).containsEntry("state", "unhealthy");
        @SuppressWarnings("unchecked")
        final List<Map<String, Object>> findings = (List<Map<String, Object>>) root.get("findings");
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0))
                .containsEntry("kind", "saturation")
                .containsEntry("probe", "q")
                .containsEntry("severity", "critical")
                .containsKeys("evidence", "first_seen_ms", "detected_ms", "resolved_ms", "root", "linked");
        assertThat(((Number) findings.get(0).get("detected_ms")).longValue()).isEqualTo(1500);
        @SuppressWarnings("unchecked")
        final Map<String, Object> a = (Map<String, Object>) root.get("alerts");
        assertThat(((Number) a.get("suppressed_rate_limit")).longValue()).isEqualTo(3);
        // Without the analyzer the dump is as before.
        assertThat(JsonDump.toJson(r, Map.of())).doesNotContain("\"findings\"");
    }

    @Test
    void summaryShowsHealthAndFindingsWithinTheWidth() {
        final Report r = Fixtures.report(List.of(Fixtures.sample(1, "q", PathKind.QUEUE, 1, 0, 0)));
        final String text = TerminalSummary.format(r, 10, VIEW);
        assertThat(text).contains("health 0.10 unhealthy  findings 1 active (1 critical, 0 warning, 0 info)");
        assertThat(text).contains("critical incident: saturation q is saturated");
        assertThat(text.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(TerminalSummary.MAX_WIDTH));
    }

    /** An active finding on {@code probe}, first seen at 1000, confirmed at 1500, last at 2000, in no incident. */
    private static Finding active(
            FindingKind kind,
            String probe,
            Severity severity,
            Map<String, Double> evidence,
            String message,
            String recommendation) {
        return new Finding(
                kind.label() + ":" + probe,
                kind,
                probe,
                severity,
                severity,
                0.8,
                0.9,
                evidence,
                message,
                recommendation,
                1000,
                1500,
                2000,
                0,
                null,
                List.of(),
                false);
    }

    @Test
    void whatIfIsOneObjectInTheDumpAndOneLineInTheSummary() {
        final Map<String, Double> evidence = new java.util.LinkedHashMap<>();
        evidence.put("busy_share", 1.0);
        evidence.put("what_if.pool_size_from", 2.0);
        evidence.put("what_if.pool_size_to", 3.0);
        evidence.put("what_if.throughput_per_s_now", 1000.0);
        evidence.put("what_if.throughput_per_s", 1500.0);
        evidence.put("what_if.p99_s", 0.0046);
        final Finding pool = active(
                FindingKind.SATURATION,
                "pool",
                Severity.CRITICAL,
                evidence,
                "pool is saturated: 2 of 2 threads busy, 80 tasks waiting",
                "raise the core/maximum pool size of pool (or shorten its tasks)");
        final AnalysisView view =
                new AnalysisView(2000, 0.1, HealthState.UNHEALTHY, Map.of("pool", 0.1), List.of(pool), 1, 1234, 0);
        final Report r = Fixtures.report(List.of(Fixtures.sample(1, "pool", PathKind.EXECUTOR, 1, 0, 0)));
        @SuppressWarnings("unchecked")
        final Map<String, Object> root = (Map<String, Object>) Json.parse(JsonDump.toJson(r, Map.of(), view, null));
        @SuppressWarnings("unchecked")
        final Map<String, Object> e = (Map<String, Object>)
                ((List<Map<String, Object>>) root.get("findings")).get(0).get("evidence");
        assertThat(e).containsOnlyKeys("busy_share", "what_if");
        @SuppressWarnings("unchecked")
        final Map<String, Object> whatIf = (Map<String, Object>) e.get("what_if");
        assertThat(whatIf)
                .containsOnlyKeys(
                        "pool_size_from", "pool_size_to", "throughput_per_s_now", "throughput_per_s", "p99_s");
        assertThat(TerminalSummary.format(r, 10, view))
                .contains("    what if pool size 2 -> 3: 1.00k/s -> 1.50k/s (M/M/c estimate), p99 4.60ms");
    }

    @Test
    void theOptimizersBatchAndFlushEstimatesShowUnderTheFindingThatClaimedThem() {
        final Finding depth = active(
                FindingKind.QUEUE_DEPTH,
                "inbox",
                Severity.WARNING,
                Map.of(),
                "inbox is deep: 900 waiting",
                "larger batches");
        final AnalysisView view =
                new AnalysisView(2000, 0.5, HealthState.DEGRADED, Map.of("inbox", 0.5), List.of(depth), 1, 1234, 0);
        final Report r = Fixtures.report(List.of(Fixtures.sample(1, "inbox", PathKind.QUEUE, 1, 0, 0)));
        final List<Optimizer.Estimate> estimates = List.of(
                new Optimizer.Estimate(
                        "batch",
                        "queue_depth",
                        "inbox",
                        1,
                        2,
                        new Prediction(8000, 4000, Double.NaN, "batch amortisation")),
                new Optimizer.Estimate(
                        "flush", "queue_depth", "inbox", 10, 5, new Prediction(4000, 4000, 3.2, "flush fill")),
                // Claimed by a finding on another probe: not under this one.
                new Optimizer.Estimate(
                        "pool.core:pool", "saturation", "pool", 2, 3, new Prediction(1500, 1000, 4.6, "M/M/c")));
        final String text = TerminalSummary.format(r, 10, view, estimates);
        assertThat(text)
                .contains("    what if batch 1 -> 2: 4.00k/s -> 8.00k/s (batch amortisation estimate), still the"
                        + " constraint\n")
                .contains("    what if flush 10 -> 5: 4.00k/s -> 4.00k/s (flush fill estimate), p99 3.20ms\n")
                .doesNotContain("pool.core:pool");
        assertThat(TerminalSummary.format(r, 10, view)).doesNotContain("what if");
    }

    @Test
    void consequencesAreFoldedUnderTheirRootNotListedBesideIt() {
        final Finding consequence = new Finding(
                "latency:pool",
                FindingKind.LATENCY,
                "pool",
                Severity.CRITICAL,
                Severity.CRITICAL,
                0.4,
                0.9,
                Map.of(),
                "p99 900 ms at pool",
                "",
                1000,
                1500,
                2000,
                0,
                "saturation:q",
                List.of(),
                false);
        final AnalysisView view = new AnalysisView(
                VIEW.epochMillis(),
                VIEW.health(),
                VIEW.state(),
                VIEW.probeHealth(),
                List.of(FINDING, consequence),
                2,
                0,
                0,
                VIEW.incidents(),
                VIEW.pipeline());
        final String text = TerminalSummary.format(
                Fixtures.report(List.of(Fixtures.sample(1, "q", PathKind.QUEUE, 1, 0, 0))), 10, view);
        assertThat(text)
                .contains("  critical incident: saturation q is saturated")
                .contains("\n    chain: pool latency \u2190 q saturation\n")
                .contains("\n    \u21b3 critical latency on pool\n");
        assertThat(text.lines()).noneMatch(l -> l.startsWith("  critical latency"));
    }

    @Test
    void longFindingsWrapBetweenWordsSoNoNumberIsCut() {
        final Finding longOne = new Finding(
                "back_pressure:aeron.Publication#offer",
                FindingKind.BACK_PRESSURE,
                "aeron.Publication#offer",
                Severity.INFO,
                Severity.INFO,
                0.1,
                0.9,
                Map.of(),
                "aeron.Publication#offer pushed back: 12.5% of arrivals refused over the last second (dropped"
                        + " 4412.5/s, blocked 0/s, partial 0/s) while the subscriber falls behind by 98765 bytes",
                "",
                1000,
                1500,
                2000,
                0,
                null,
                List.of(),
                false);
        final AnalysisView view = new AnalysisView(
                2000, 0.9, HealthState.HEALTHY, Map.of(), List.of(longOne, longOne, longOne), 1, 1234, 0);
        final String text = TerminalSummary.format(
                Fixtures.report(List.of(Fixtures.sample(1, "q", PathKind.QUEUE, 1, 0, 0))), 10, view);
        assertThat(text).contains("findings 3 active (0 critical, 0 warning, 3 info)");
        assertThat(text.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(TerminalSummary.MAX_WIDTH));
        assertThat(text).doesNotContain("...");
        // Every word of the message is there whole, on one line or the next.
        assertThat(text.replaceAll("\n +", " ")).contains(longOne.message());
    }
}
