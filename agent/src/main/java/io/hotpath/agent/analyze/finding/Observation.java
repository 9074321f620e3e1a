package io.hotpath.agent.analyze.finding;

import io.hotpath.exporter.Severity;
import java.util.Map;

/**
 * What a detector saw in one tick: the condition of a finding holds now, with these numbers. The
 * {@link io.hotpath.agent.analyze.FindingTracker} turns observations that keep coming into findings.
 *
 * @param kind what it is about
 * @param probe the probe name, or {@code jvm} for the JVM detectors
 * @param severity how serious, at this tick
 * @param impact 0..1, how much of the slowdown this explains
 * @param confidence 0..1, how sure the detector is
 * @param evidence the numbers behind it, by name (insertion order kept)
 * @param message one sentence for a person
 * @param recommendation which tunable to change, and in which direction
 */
public record Observation(
        FindingKind kind,
        String probe,
        Severity severity,
        double impact,
        double confidence,
        Map<String, Double> evidence,
        String message,
        String recommendation) {

    /** The probe name the JVM-wide detectors report under. */
    public static final String JVM = "jvm";

    /** Identifies the finding this observation belongs to: kind and probe. */
    public String key() {
        return kind.label() + ":" + probe;
    }
}
