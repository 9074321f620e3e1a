package io.hotpath.agent.analyze.finding;

import io.hotpath.exporter.Severity;
import java.util.List;
import java.util.Map;

/**
 * One detected bottleneck or anomaly, as published after a tick. Immutable.
 *
 * @param key kind and probe, {@code saturation:com.acme.Broadcaster.inbox}; stable while the finding lives
 * @param kind what it is about
 * @param probe the probe name, or {@code jvm}
 * @param severity the severity confirmed at the last tick (held for half the short window)
 * @param peakSeverity the highest severity confirmed while active
 * @param impact 0..1, how much of the slowdown this explains; findings linked to a root count half
 * @param confidence 0..1
 * @param evidence the numbers at the last tick the condition held
 * @param message one sentence for a person
 * @param recommendation which tunable, which direction
 * @param firstSeenMillis epoch millis of the first tick of the run of observations that raised it
 * @param detectedMillis epoch millis of the tick it was confirmed and reported (first seen plus the confirmation)
 * @param lastSeenMillis epoch millis of the last tick the condition held
 * @param resolvedMillis epoch millis it was resolved, or 0 while active
 * @param root key of the finding that explains this one, or null when it is a root or stands alone
 * @param linked keys of the findings this one explains (it is their root)
 * @param recurring an info finding whose condition came back above info in at least two separate bursts while it
 *     stayed active, over at least {@code analyzer.sustain}: no warning and no alert (bursts are not sustained), but
 *     a real, repeating bottleneck that the optimizer acts on
 */
public record Finding(
        String key,
        FindingKind kind,
        String probe,
        Severity severity,
        Severity peakSeverity,
        double impact,
        double confidence,
        Map<String, Double> evidence,
        String message,
        String recommendation,
        long firstSeenMillis,
        long detectedMillis,
        long lastSeenMillis,
        long resolvedMillis,
        String root,
        List<String> linked,
        boolean recurring) {

    /** Copies the collections (not the analyzer's own read-only evidence, which nothing can change). */
    public Finding {
        evidence = evidence instanceof Evidence.Frozen
                ? evidence
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(evidence));
        linked = List.copyOf(linked);
    }

    /** True while the finding has not been resolved. */
    public boolean active() {
        return resolvedMillis == 0;
    }
}
