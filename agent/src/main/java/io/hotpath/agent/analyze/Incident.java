package io.hotpath.agent.analyze;

import io.hotpath.exporter.Severity;
import java.util.List;

/**
 * One problem, as a person should see it: one root-cause finding and the findings it explains (its consequences),
 * grouped by {@link RootCause}. Immutable. One alert goes out per incident, not per finding.
 *
 * @param key {@code incident:<key of its first root finding>}; stable while the incident lives
 * @param root key of the root-cause finding (a consequence that outlived the first root takes its place)
 * @param kind the root finding's kind label
 * @param probe the root finding's probe
 * @param severity the highest severity among the root and its consequences now (at the last tick while active)
 * @param peakSeverity the highest severity while active
 * @param consequences keys of the findings the root explains, the furthest from the root first
 * @param chain the consequences folded under the root, for a person: {@code Batcher.ingress saturation ←
 *     Dispatcher.pool saturation}, the root last
 * @param openedMillis epoch millis of the tick the root was first a root at warning or above
 * @param resolvedMillis epoch millis it closed (its root resolved or became a consequence of another), 0 while active
 */
public record Incident(
        String key,
        String root,
        String kind,
        String probe,
        Severity severity,
        Severity peakSeverity,
        List<String> consequences,
        String chain,
        long openedMillis,
        long resolvedMillis) {

    /** Copies the list. */
    public Incident {
        consequences = List.copyOf(consequences);
    }

    /** True while the incident has not closed. */
    public boolean active() {
        return resolvedMillis == 0;
    }
}
