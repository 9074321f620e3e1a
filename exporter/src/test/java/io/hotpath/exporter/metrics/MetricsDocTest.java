package io.hotpath.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/metrics.md lists exactly the metrics {@link MetricCatalog} defines, with the same instrument and unit. */
class MetricsDocTest {
    private static final Pattern ROW =
            Pattern.compile("^\\| `(hotpath\\.[^`]+)` \\| (Counter|UpDownCounter|Histogram) \\| ([^|]+) \\|");

    @Test
    void docsListEveryMetricWithItsInstrumentAndUnit() throws Exception {
        final Path doc = Path.of("..", "docs", "metrics.md");
        final Map<String, String[]> documented = new LinkedHashMap<>();
        for (String line : Files.readAllLines(doc)) {
            final Matcher m = ROW.matcher(line);
            if (!m.find()) {
                continue;
            }
            for (String kind : m.group(1).contains("<kind>") ? List.of("method", "broadcast", "ipc") : List.of("")) {
                final String name = m.group(1).replace("<kind>", kind);
                final String unit = m.group(3).trim();
                final String unitFor = unit.contains("(")
                        ? unit.replaceAll(".*`([^`]+)` \\(" + kind + "\\).*", "$1")
                        : unit.replace("`", "");
                documented.put(name, new String[] {m.group(2), unitFor});
            }
        }
        final Map<String, MetricCatalog.Metric> catalog = new LinkedHashMap<>();
        for (MetricCatalog.Metric m : MetricCatalog.all()) {
            catalog.putIfAbsent(m.name(), m);
        }
        assertThat(new TreeSet<>(documented.keySet())).isEqualTo(new TreeSet<>(catalog.keySet()));
        for (MetricCatalog.Metric m : catalog.values()) {
            final String instrument =
                    switch (m.shape()) {
                        case COUNTER -> "Counter";
                        case UP_DOWN_COUNTER -> "UpDownCounter";
                        case HISTOGRAM -> "Histogram";
                    };
            assertThat(documented.get(m.name())).as(m.name()).containsExactly(instrument, m.unit());
        }
    }
}
