package io.hotpath.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** The analyzer's sections of a dump ({@code findings}, {@code health}, {@code alerts}; docs/dump-format.md). */
final class AnalyzerFindings {
    private final Map<String, Object> root;

    private AnalyzerFindings(Map<String, Object> root) {
        this.root = root;
    }

    static AnalyzerFindings read(Path dump) throws IOException {
        return new AnalyzerFindings(Json.object(Files.readString(dump)));
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> findings() {
        final Object f = root.get("findings");
        return f == null ? List.of() : (List<Map<String, Object>>) f;
    }

    /** The incidents, active and recently closed. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> incidents() {
        final Object i = root.get("incidents");
        return i == null ? List.of() : (List<Map<String, Object>>) i;
    }

    /**
     * Incidents open at or after {@code notBefore} (opened then or later, or opened before and not closed by then)
     * whose peak severity was warning or critical.
     */
    List<Map<String, Object>> incidentsSince(long notBefore) {
        return incidents().stream()
                .filter(i -> ((Number) i.get("opened_ms")).longValue() >= notBefore
                        || ((Number) i.get("resolved_ms")).longValue() == 0
                        || ((Number) i.get("resolved_ms")).longValue() >= notBefore)
                .filter(i -> !"info".equals(i.get("peak_severity")))
                .toList();
    }

    /** The kind of the probe of this name in the dump's {@code probes}, or null. */
    @SuppressWarnings("unchecked")
    String probeKind(String name) {
        final Object probes = root.get("probes");
        if (probes == null) {
            return null;
        }
        for (Map<String, Object> p : (List<Map<String, Object>>) probes) {
            if (name.equals(p.get("name"))) {
                return (String) p.get("kind");
            }
        }
        return null;
    }

    /** The latest alerts the dump lists. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> recentAlerts() {
        final Map<String, Object> a = alerts();
        return a == null ? List.of() : (List<Map<String, Object>>) a.get("recent");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> health() {
        return (Map<String, Object>) root.get("health");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> alerts() {
        return (Map<String, Object>) root.get("alerts");
    }

    /** Findings whose peak severity was warning or critical. */
    List<Map<String, Object>> aboveInfo() {
        return findings().stream()
                .filter(f -> !"info".equals(f.get("peak_severity")))
                .toList();
    }

    /** The earliest detection time of a finding of this kind on this probe at or after {@code notBefore}. */
    OptionalLong detected(String kind, String probe, long notBefore) {
        return findings().stream()
                .filter(f -> kind.equals(f.get("kind")) && probe.equals(f.get("probe")))
                .mapToLong(f -> ((Number) f.get("detected_ms")).longValue())
                .filter(t -> t >= notBefore)
                .min();
    }

    /** The epoch millis of the {@code FAULT-ONSET} line in the reference application's output. */
    static long onset(String stdout) {
        return stdout.lines()
                .filter(l -> l.startsWith("FAULT-ONSET "))
                .mapToLong(l -> Long.parseLong(l.split(" ")[2]))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no FAULT-ONSET line in:\n" + stdout));
    }
}
