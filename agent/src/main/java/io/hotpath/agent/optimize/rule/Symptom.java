package io.hotpath.agent.optimize.rule;

import io.hotpath.bootstrap.PathKind;

/**
 * A finding as the optimizer needs it: what kind of trouble, on which probe, how much it matters and which way the
 * analyzer recommends moving. The analyzer's findings ({@code io.hotpath.agent.analyze}) are adapted to this; the
 * optimizer depends on nothing else of the analyzer.
 *
 * @param kind finding kind, e.g. {@code queue_depth}, {@code saturation}, {@code latency} (the analyzer's
 *     labels), {@code stable}
 * @param probe the probe's name, e.g. {@code com.acme.Broadcaster.inbox}
 * @param impact 0 to 1, how much of the slowdown it explains
 * @param direction +1 more (bigger, longer, on), -1 less, 0 no recommendation
 * @param probeKind what the probe measures, which decides the roles a rule may move for it ({@link
 *     io.hotpath.agent.optimize.tunable.Role#fits}); null when not known (the JVM, a name no snapshot carried)
 */
public record Symptom(String kind, String probe, double impact, int direction, PathKind probeKind) {
    public Symptom {
        if (direction < -1 || direction > 1) {
            throw new IllegalArgumentException("direction must be -1, 0 or +1");
        }
    }

    /** A symptom on a probe whose kind is not known. */
    public Symptom(String kind, String probe, double impact, int direction) {
        this(kind, probe, impact, direction, null);
    }
}
