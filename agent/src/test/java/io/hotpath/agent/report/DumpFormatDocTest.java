package io.hotpath.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.GeneratedDocSection;
import io.hotpath.agent.alert.Alert;
import io.hotpath.agent.alert.AlertsView;
import io.hotpath.agent.optimize.Optimizer;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.exporter.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps docs/dump-format.md equal to what the dump writes: every key of a real dump (top level, probes, counters per
 * kind, distributions, gauges, analyzer and optimizer sections) is documented, so a renamed or new key fails here
 * until the doc says what it is. The per-kind counter list is generated; on a mismatch run
 * {@code ./mvnw -q -pl agent -am test -Dtest=DumpFormatDocTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dhotpath.docs.write=true}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DumpFormatDocTest {
    private static final Path DOC = Path.of("../docs/dump-format.md");
    private static final String BEGIN = "<!-- dump-counters:begin (generated from KindCounters.java) -->";
    private static final String END = "<!-- dump-counters:end -->";
    private static final Pattern CODE = Pattern.compile("`([a-z_0-9]+)`");

    static String countersTable() {
        final StringBuilder b = new StringBuilder();
        b.append("| kind | counters |\n");
        b.append("| --- | --- |\n");
        for (PathKind kind : PathKind.values()) {
            final List<String> keys = new ArrayList<>();
            for (String k : KindCounters.keys(kind)) {
                keys.add("`" + k + "`");
            }
            b.append("| `")
                    .append(kind.label())
                    .append("` | ")
                    .append(String.join(", ", keys))
                    .append(" |\n");
        }
        return b.toString();
    }

    private static String doc() throws IOException {
        return Files.readString(DOC, StandardCharsets.UTF_8);
    }

    @Test
    void perKindCounterListIsGeneratedFromTheCode() throws IOException {
        GeneratedDocSection.check(DOC, BEGIN, END, countersTable());
    }

    @Test
    void everyCounterKeyOfEveryKindHasItsMeaningDocumented() throws IOException {
        final Set<String> documented = firstColumn(doc(), "What each key means for each kind");
        for (PathKind kind : PathKind.values()) {
            assertThat(documented).as("counters of " + kind.label()).containsAll(KindCounters.keys(kind));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyKeyOfARealDumpIsDocumented() throws IOException {
        final String doc = doc();
        final Map<String, Object> root = (Map<String, Object>) Json.parse(fullDump());

        assertThat(firstColumn(doc, "## Top level")).containsAll(root.keySet());
        assertThat(root.keySet())
                .as("every documented top-level member is written, except self (after the first reading)")
                .containsAll(without(firstColumn(doc, "## Top level"), "self"));

        final Set<String> probeMembers = firstColumn(doc, "## A probe");
        final Set<String> distMembers = firstColumn(doc, "Each distribution object:");
        final Set<String> gauges = firstColumn(doc, "### Gauges");
        for (Object o : (List<Object>) root.get("probes")) {
            final Map<String, Object> probe = (Map<String, Object>) o;
            assertThat(probeMembers).as("probe members").containsAll(probe.keySet());
            final PathKind kind = kindOf((String) probe.get("kind"));
            assertThat(((Map<String, Object>) probe.get("counters")).keySet())
                    .containsExactlyElementsOf(KindCounters.keys(kind));
            for (int d = 0; d < Dist.COUNT; d++) {
                final Map<String, Object> dist = (Map<String, Object>) probe.get(Dist.name(d));
                if (dist != null) {
                    assertThat(distMembers).as(Dist.name(d)).containsAll(dist.keySet());
                }
            }
        }
        for (int g = 0; g < Gauge.COUNT; g++) {
            assertThat(gauges).as("gauge keys").contains(Gauge.name(g));
        }

        assertThat(firstColumn(doc, "### `health`")).containsAll(((Map<String, Object>) root.get("health")).keySet());
        final Map<String, Object> finding = ((List<Map<String, Object>>) root.get("findings")).get(0);
        assertThat(firstColumn(doc, "### A finding")).containsAll(finding.keySet());
        assertThat(firstColumn(doc, "### `alerts`")).containsAll(((Map<String, Object>) root.get("alerts")).keySet());
        final Map<String, Object> incident = ((List<Map<String, Object>>) root.get("incidents")).get(0);
        assertThat(firstColumn(doc, "### An incident")).containsAll(incident.keySet());
        final Map<String, Object> pipeline = (Map<String, Object>) root.get("pipeline");
        assertThat(firstColumn(doc, "### `pipeline`")).containsAll(pipeline.keySet());
        assertThat(firstColumn(doc, "A stage:"))
                .containsAll(((List<Map<String, Object>>) pipeline.get("stages"))
                        .get(0)
                        .keySet());
        assertThat(firstColumn(doc, "An edge:"))
                .containsAll(((List<Map<String, Object>>) pipeline.get("edges"))
                        .get(0)
                        .keySet());

        final Map<String, Object> optimizer = (Map<String, Object>) root.get("optimizer");
        assertThat(firstColumn(doc, "## Optimizer section")).containsAll(optimizer.keySet());
        assertThat(firstColumn(doc, "A tunable:"))
                .containsAll(((List<Map<String, Object>>) optimizer.get("tunables"))
                        .get(0)
                        .keySet());
        assertThat(firstColumn(doc, "An audit entry:"))
                .containsAll(((List<Map<String, Object>>) optimizer.get("audit"))
                        .get(0)
                        .keySet());
    }

    /** A dump with a probe of every kind, the analyzer's sections and the optimizer's. */
    private static String fullDump() {
        final List<io.hotpath.bootstrap.snapshot.ProbeSample> samples = new ArrayList<>();
        int id = 1;
        for (PathKind kind : PathKind.values()) {
            samples.add(Fixtures.sample(id, "p" + id, kind, 10, Dist.bit(Dist.LATENCY) | Dist.bit(Dist.WAIT), 100));
            id++;
        }
        final AlertsView alerts = new AlertsView(
                List.of(new Alert("k", "finding", Severity.WARNING, "saturation", "p1", "m", "", 0.5, Map.of(), 1)),
                1,
                0,
                0,
                0);
        final StringBuilder sb = new StringBuilder(
                JsonDump.toJson(Fixtures.report(samples), Map.of("pid", "1"), AnalysisOutputTest.VIEW, alerts));
        // The optimizer's section, as JsonDump appends it when an optimizer runs.
        final StringBuilder section = new StringBuilder();
        final JsonWriter w = new JsonWriter(section);
        w.beginObject();
        OptimizerJson.write(w, optimizerReport());
        w.endObject();
        final int close = sb.lastIndexOf("}");
        return sb.substring(0, close) + "," + section.substring(1, section.length() - 1) + "}";
    }

    private static Optimizer.Report optimizerReport() {
        return Fixtures.optimizerReport("pool");
    }

    private static PathKind kindOf(String label) {
        for (PathKind k : PathKind.values()) {
            if (k.label().equals(label)) {
                return k;
            }
        }
        throw new AssertionError("unknown kind " + label);
    }

    private static Set<String> without(Set<String> set, String... names) {
        final Set<String> out = new LinkedHashSet<>(set);
        out.removeAll(List.of(names));
        return out;
    }

    /**
     * The backticked names in the first column of the first table after {@code marker} (a heading or a line of text):
     * the keys that table documents.
     */
    static Set<String> firstColumn(String doc, String marker) {
        final int at = doc.indexOf(marker);
        assertThat(at).as("'" + marker + "' in " + DOC).isGreaterThanOrEqualTo(0);
        final String[] lines = doc.substring(at).split("\n", -1);
        final Set<String> out = new LinkedHashSet<>();
        boolean inTable = false;
        for (String line : lines) {
            if (line.startsWith("|")) {
                inTable = true;
                final String first = line.split("\\|", -1)[1];
                final Matcher m = CODE.matcher(first);
                while (m.find()) {
                    out.add(m.group(1));
                }
            } else if (inTable) {
                break;
            }
        }
        return out;
    }
}
