package io.hotpath.agent.optimize.control;

import java.util.Locale;

/**
 * Flush interval toward a target in-flight time (how long an item waits before it is flushed): proportional, the
 * interval scaled by target over measured in-flight time, at most halved or doubled per step, held within a dead
 * band. When the latency objective breaks the interval only goes down.
 */
public final class FlushIntervalController implements Controller {
    private final Objective objective;
    /** The in-flight target; NaN: a quarter of the objective as it is now (the objective may change at run time). */
    private final double targetInFlightMillis;

    private final double deadBand;
    private String reason = "";

    public FlushIntervalController(Objective objective, double targetInFlightMillis, double deadBand) {
        this.objective = objective;
        this.targetInFlightMillis = targetInFlightMillis;
        this.deadBand = deadBand;
    }

    /** Target in-flight time a quarter of the latency objective (as it is on each window), dead band 10%. */
    public FlushIntervalController(Objective objective) {
        this(objective, Double.NaN, 0.1);
    }

    private double target() {
        return Double.isNaN(targetInFlightMillis) ? objective.sloP99Millis() / 4 : targetInFlightMillis;
    }

    @Override
    public long propose(long current, Window w, int hint, long nowNanos) {
        final boolean slow = !objective.meets(w);
        if (Double.isNaN(w.inFlightMillis()) || w.inFlightMillis() <= 0) {
            if (slow || hint < 0) {
                reason = slow ? "p99 above the objective: shorter flush interval" : "a finding asks for shorter";
                return Math.max(0, Math.min(current - 1, current / 2));
            }
            reason = "in-flight time not measured";
            return current;
        }
        final double target = target();
        final double ratio = target / w.inFlightMillis();
        if (!slow && Math.abs(ratio - 1) < deadBand) {
            reason = "in-flight time within the dead band of its target";
            return current;
        }
        long next = Math.round(current * Math.max(0.5, Math.min(2, ratio)));
        if (next == current) {
            next = ratio > 1 ? current + 1 : current - 1;
        }
        if (slow) {
            next = Math.min(next, current - Math.max(1, current / 4));
        }
        reason = String.format(
                Locale.ROOT,
                "in-flight %.1f ms toward target %.1f ms%s",
                w.inFlightMillis(),
                target,
                slow ? String.format(Locale.ROOT, ", p99 %.1f ms above the objective", w.p99Millis()) : "");
        return Math.max(0, next);
    }

    @Override
    public String reason() {
        return reason;
    }
}
