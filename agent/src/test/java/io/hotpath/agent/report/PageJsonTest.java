package io.hotpath.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotpath.agent.analyze.AnalysisView;
import io.hotpath.agent.analyze.health.HealthState;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The page document: the busiest probes by rate, those the analyzer names, and the page's sections. */
class PageJsonTest {
    private static final long START = Fixtures.START;

    /** Probes 1..n, probe i with {@code in} = 10 i over one second (so probe n is the busiest); id 0 the busiest of all. */
    private static Snapshot[] snapshots(int n) {
        final List<ProbeSample> samples = new ArrayList<>();
        samples.add(Fixtures.sample(0, "hotpath.overflow", PathKind.QUEUE, 1_000_000, 0, 0));
        for (int i = 1; i <= n; i++) {
            samples.add(Fixtures.sample(
                    i,
                    "p" + i,
                    PathKind.QUEUE,
                    i,
                    i % 7 == 0 ? Dist.bit(Dist.WAIT) | Dist.bit(Dist.LATENCY) : 0,
                    5000));
        }
        return new Snapshot[] {
            new Snapshot(START, Fixtures.EPOCH - 1000, List.of(), 0),
            new Snapshot(START + 1_000_000_000L, Fixtures.EPOCH, samples, 0)
        };
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> probes(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("probes");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) {
        return (Map<String, Object>) Json.parse(json);
    }

    @Test
    void sendsTheBusiestByRateThenTheProbesTheAnalyzerNames() {
        final Snapshot[] s = snapshots(300);
        final AnalysisView view =
                new AnalysisView(Fixtures.EPOCH, 0.4, HealthState.UNHEALTHY, Map.of("p3", 0.2), List.of(), 300, 1, 0);
        final String json = PageJson.toJson(s[1], s[0], START, Map.of("pid", "7"), view, null, null, 5);
        final Map<String, Object> page = parse(json);

        assertThat(page.get("schema")).isEqualTo(PageJson.SCHEMA);
        assertThat(((Number) page.get("probe_count")).intValue())
                .as("every probe of the snapshot, the overflow probe too")
                .isEqualTo(301);
        assertThat(((Number) page.get("top")).intValue()).isEqualTo(5);
        assertThat(probes(page).stream().map(p -> p.get("name")).toList())
                .as("the five busiest by rate (the overflow probe left out), then the named one")
                .containsExactly("p300", "p299", "p298", "p297", "p296", "p3");
        assertThat(page).containsKeys("health", "findings", "meta", "time");
        assertThat(page).doesNotContainKeys("alerts", "optimizer", "probe_table");
    }

    @Test
    void eachProbeCarriesItsRatesTheP99TheChartPlotsAndItsDepth() {
        final Snapshot[] s = snapshots(14);
        final Map<String, Object> page = parse(PageJson.toJson(s[1], s[0], START, Map.of(), null, null, null, 3));
        final Map<String, Object> p14 = probes(page).get(0);
        assertThat(p14.get("name")).isEqualTo("p14");
        assertThat(p14.get("kind")).isEqualTo("queue");
        @SuppressWarnings("unchecked")
        final Map<String, Object> rates = (Map<String, Object>) p14.get("rates");
        assertThat(((Number) rates.get("in")).doubleValue()).isEqualTo(140.0);
        assertThat(((Number) p14.get("depth")).longValue()).isEqualTo(14);
        // Every recorded wait was 5000 ns; the p99 is within the histogram's relative error of it.
        assertThat(((Number) p14.get("p99_ns")).doubleValue())
                .isBetween(
                        5000 * (1 - Percentiles.RELATIVE_ERROR_BOUND), 5000 * (1 + Percentiles.RELATIVE_ERROR_BOUND));
        final Map<String, Object> p13 = probes(page).get(1);
        assertThat(p13.get("name")).isEqualTo("p13");
        assertThat(p13.get("p99_ns")).as("nothing timed").isNull();
    }

    @Test
    void staysSmallWithAThousandProbes() {
        final Snapshot[] s = snapshots(1000);
        final String json =
                PageJson.toJson(s[1], s[0], START, Map.of(), null, null, Fixtures.optimizerReport("site"), 16);
        assertThat(probes(parse(json))).hasSize(16);
        assertThat(json.length()).as(json).isLessThan(16 * 400 + 2048);
        assertThat(json).contains("\"tunables\":[").contains("\"audit\":[");
    }

    @Test
    void refusesATopOutsideItsBounds() {
        final Snapshot[] s = snapshots(3);
        assertThatThrownBy(() -> PageJson.toJson(s[1], s[0], START, Map.of(), null, null, null, 0))
                .hasMessage("top 0 not allowed; allowed: 1 to 100");
        assertThatThrownBy(() -> PageJson.toJson(s[1], s[0], START, Map.of(), null, null, null, 101))
                .hasMessage("top 101 not allowed; allowed: 1 to 100");
    }
}
