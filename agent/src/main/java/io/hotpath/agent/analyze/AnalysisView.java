package io.hotpath.agent.analyze;

import io.hotpath.agent.analyze.finding.Finding;
import io.hotpath.agent.analyze.health.HealthState;
import java.util.List;
import java.util.Map;

/**
 * What the analyzer published after its latest tick: immutable, safe to read from any thread. The dump, the summary
 * and the alerter read it; so can the exporter, through {@link #latest()}, to export health as metrics.
 *
 * @param epochMillis time of the snapshot it was computed from (0 before the first tick)
 * @param health overall health 0..1
 * @param state the band of {@code health}
 * @param probeHealth health of the probes that have active findings, by probe name; every other probe is at 1
 * @param findings active findings (most severe first), then recently resolved ones (latest first)
 * @param probes probes analyzed in the last tick
 * @param tickNanos CPU-time-free wall time the last tick took, ns
 * @param droppedObservations observations dropped because {@code findings.max} was reached
 * @param incidents active incidents (most severe first), then recently closed ones (latest first): each finding at
 *     warning or above belongs to exactly one, as its root or as one of its consequences
 * @param pipeline the stages and edges learned so far
 */
public record AnalysisView(
        long epochMillis,
        double health,
        HealthState state,
        Map<String, Double> probeHealth,
        List<Finding> findings,
        int probes,
        long tickNanos,
        long droppedObservations,
        List<Incident> incidents,
        Pipeline pipeline) {

    private static volatile AnalysisView latest = empty();

    /** Copies the collections. */
    public AnalysisView {
        probeHealth = Map.copyOf(probeHealth);
        findings = List.copyOf(findings);
        incidents = List.copyOf(incidents);
    }

    /** A view without incidents and with no pipeline learned. */
    public AnalysisView(
            long epochMillis,
            double health,
            HealthState state,
            Map<String, Double> probeHealth,
            List<Finding> findings,
            int probes,
            long tickNanos,
            long droppedObservations) {
        this(
                epochMillis,
                health,
                state,
                probeHealth,
                findings,
                probes,
                tickNanos,
                droppedObservations,
                List.of(),
                Pipeline.empty());
    }

    /** The view before any tick: healthy, no findings. */
    public static AnalysisView empty() {
        return new AnalysisView(0, 1.0, HealthState.HEALTHY, Map.of(), List.of(), 0, 0, 0);
    }

    /**
     * The latest view published by the running analyzer, for pollers such as the exporter (health as a gauge:
     * {@code health()} overall, {@code probeHealth()} per probe). Never null.
     */
    public static AnalysisView latest() {
        return latest;
    }

    static void publish(AnalysisView view) {
        latest = view;
    }

    /** Health of one probe: its entry in {@link #probeHealth}, else 1. */
    public double healthOf(String probe) {
        return probeHealth.getOrDefault(probe, 1.0);
    }

    /** Active incidents only. */
    public List<Incident> activeIncidents() {
        return incidents.stream().filter(Incident::active).toList();
    }

    /** Active findings only. */
    public List<Finding> active() {
        return findings.stream().filter(Finding::active).toList();
    }
}
