package io.hotpath.agent.analyze.health;

import io.hotpath.agent.analyze.finding.Evidence;
import io.hotpath.agent.analyze.finding.Finding;
import io.hotpath.exporter.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Health scores from active findings. Each finding maps to a score inside the band of its severity, lower with more
 * impact: info {@code 1 - 0.15 * impact} (stays healthy), warning {@code 0.8 - 0.29 * impact} (degraded), critical
 * {@code 0.5 - 0.5 * impact} (unhealthy). A probe's health is the lowest score of its active findings, 1 without any;
 * overall health is the lowest score of all active findings, the JVM's included. Findings explained by a root carry
 * half their impact, so the root decides the overall score.
 */
public final class Health {
    private Health() {}

    /** The score one active finding implies. */
    public static double score(Severity severity, double impact) {
        final double i = Evidence.clamp01(impact);
        return switch (severity) {
            case INFO -> 1 - 0.15 * i;
            case WARNING -> 0.8 - 0.29 * i;
            case CRITICAL -> 0.5 - 0.5 * i;
        };
    }

    /** Lowest score per probe name over the active findings; probes without findings are absent (health 1). */
    public static Map<String, Double> byProbe(List<Finding> findings) {
        final Map<String, Double> out = new LinkedHashMap<>();
        for (Finding f : findings) {
            if (f.active()) {
                out.merge(f.probe(), score(f.severity(), f.impact()), Math::min);
            }
        }
        return out;
    }

    /** Lowest score over the active findings; 1 without any. */
    public static double overall(List<Finding> findings) {
        double s = 1;
        for (Finding f : findings) {
            if (f.active()) {
                s = Math.min(s, score(f.severity(), f.impact()));
            }
        }
        return s;
    }
}
