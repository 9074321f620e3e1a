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
