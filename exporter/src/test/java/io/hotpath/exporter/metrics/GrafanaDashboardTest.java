package io.hotpath.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.exporter.Exporter;
import io.hotpath.exporter.prometheus.PrometheusScrapeTest;
import io.hotpath.exporter.prometheus.Scrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/grafana/hotpath.json queries only metrics and labels hotpath exports: every name it uses is one the real
 * Prometheus scrape (the SDK's exporter, with its dots-to-underscores, unit-suffix and {@code _total} rules) serves for
 * a probe of every kind, and every such name comes from a metric of the catalogue.
 */
@Timeout(60)
class GrafanaDashboardTest {
    /** A metric name in a selector ({@code name{...}}) or as label_values' first argument. */
    private static final Pattern METRIC = Pattern.compile("(?:label_values\\()?\\b(hotpath_[a-z0-9_]+)(?=\\{|,)");

    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\\\\\"");
    private static final Pattern BY = Pattern.compile("\\bby \\(([^)]*)\\)");
    private static final Pattern LEGEND = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}");
    private static final Object TRACKED = new Object();
    /** Labels Prometheus adds to every scraped series. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    @Test
    void everyMetricAndLabelTheDashboardQueriesIsOneTheScrapeServes() throws Exception {
        final String json = Files.readString(Path.of("..", "docs", "grafana", "hotpath.json"));
        final Set<String> metrics = find(METRIC, json);
        final Set<String> labels = new TreeSet<>();
        labels.addAll(find(MATCHER, json));
        for (String by : find(BY, json)) {
            for (String l : by.split(",")) {
                labels.add(l.trim());
            }
        }
        labels.addAll(find(LEGEND, json));
        assertThat(metrics).as("the dashboard's metrics").hasSizeGreaterThan(10);

        final Scrape scrape = scrapeOfEveryKind();
        final Set<String> served = scrape.names();
        for (String m : metrics) {
            // An exponential histogram is a native histogram in Prometheus, queried by its base name; the text format
            // shows it as <name>_count, _sum and one _bucket.
            assertThat(served.contains(m) || served.contains(m + "_count"))
                    .as(m + " is served by the scrape: " + served)
                    .isTrue();
        }
        labels.removeAll(TARGET_LABELS);
        assertThat(scrape.labels()).as("labels the dashboard uses").containsAll(labels);

        // Every hotpath name the scrape serves is a catalogue metric's name, dots made underscores, plus at most
        // the exporter's unit and type suffixes.
        final List<String> catalogue = new ArrayList<>();
        MetricCatalog.all().forEach(m -> catalogue.add(m.name()));
        catalogue.addAll(List.of(
                HealthMetrics.HEALTH,
                HealthMetrics.STATE,
                SelfMetrics.CPU_TIME,
                SelfMetrics.CPU_UTILIZATION,
                SelfMetrics.ALLOCATED,
                SelfMetrics.RECORDING_TIME));
        for (String name : served) {
            if (!name.startsWith("hotpath_")) {
                continue;
            }
            assertThat(catalogue)
                    .as(name + " comes from a catalogue metric")
                    .anyMatch(c -> name.matches(
                            Pattern.quote(c.replace('.', '_')) + "(_bytes|_seconds)?(_total|_bucket|_count|_sum)?"));
        }
    }

    private static Scrape scrapeOfEveryKind() throws Exception {
        final int all = Dist.bit(Dist.LATENCY) | Dist.bit(Dist.WAIT) | Dist.bit(Dist.SIZE);
        for (PathKind kind : PathKind.values()) {
            final Probe p = Probes.register("test.Grafana." + kind.label(), kind, all);
            p.add(Slot.IN, 3);
            p.add(Slot.OUT, 2);
            p.add(Slot.BYTES_OUT, 100);
            p.add(Slot.BYTES_IN, 50);
            p.record(Dist.LATENCY, 1_000);
            p.record(Dist.WAIT, 1_000);
            p.record(Dist.SIZE, 2);
            if (kind == PathKind.IPC) {
                // A gauge read from tracked instances, as Aeron's subscriber lag is: present only with one.
                p.instanceGauge(new Probe.InstanceGauge(io.hotpath.bootstrap.snapshot.Gauge.LAG, o -> 4096));
                p.track(TRACKED);
            }
        }
        final int port = PrometheusScrapeTest.freePort();
        final Exporter e = PrometheusScrapeTest.start(port, new ArrayList<>(), "prometheus");
        try {
            return Scrape.get(port);
        } finally {
            e.shutdown(Duration.ofSeconds(10));
        }
    }

    private static Set<String> find(Pattern p, String text) {
        final Set<String> out = new TreeSet<>();
        final Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.groupCount() == 0 ? m.group() : m.group(1));
        }
        return out;
    }
}
