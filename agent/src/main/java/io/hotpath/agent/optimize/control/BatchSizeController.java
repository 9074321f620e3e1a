package io.hotpath.agent.optimize.control;

import java.util.Locale;

/**
 * Batch size by multiplicative increase while throughput improves and the latency objective holds, and
 * multiplicative decrease when it breaks. The size that broke the objective, or an increase that did not pay (gain
 * below {@code minGain}), becomes a ceiling so that the controller does not oscillate between a good size and a bad
 * one; the ceiling is forgotten after {@link LearnedCeiling#FORGET_WINDOWS} windows to probe a changed load again.
 */
public final class BatchSizeController implements Controller {
    private final Objective objective;
    private final double factor;
    private final double minGain;
    private final LearnedCeiling ceiling = new LearnedCeiling();
    private String reason = "";

    public BatchSizeController(Objective objective, double factor, double minGain) {
        if (factor <= 1) {
            throw new IllegalArgumentException("factor must be above 1");
        }
        this.objective = objective;
        this.factor = factor;
        this.minGain = minGain;
    }

    /**
     * Defaults: factor 4 (a batch size of 1 reaches 64 in three changes), an increase must gain 5%. Below a learned
     * ceiling the step is the geometric mean of the size and the ceiling, so the last step before a known-bad size is
     * a half step.
     */
    public BatchSizeController(Objective objective) {
        this(objective, 4, 0.05);
    }

    @Override
    public long propose(long current, Window w, int hint, long nowNanos) {
        ceiling.nextWindow();
        if (!objective.meets(w)) {
            ceiling.learn(Math.min(ceiling.value(), current));
            reason = String.format(
                    Locale.ROOT,
                    "p99 %.1f ms above the objective %.0f ms: smaller batches",
                    w.p99Millis(),
                    objective.sloP99Millis());
            return Math.max(1, Math.min(current - 1, (long) Math.floor(current / factor)));
        }
        if (hint < 0) {
            reason = "a finding asks for smaller batches";
            return Math.max(1, Math.min(current - 1, (long) Math.floor(current / factor)));
        }
        final boolean demand = hint > 0 || w.backlog() > current;
        if (!demand) {
            reason = "no backlog";
            return current;
        }
        long next = Math.max(current + 1, (long) Math.ceil(current * factor));
        final long limit = ceiling.value();
        if (next >= limit) {
            final long between = (long) Math.floor(Math.sqrt((double) current * limit));
            if (between < limit && between >= current + Math.max(1, current / 4)) {
                next = between;
            } else {
                reason = "next size " + next + " reaches the learned ceiling " + limit;
                return current;
            }
        }
        reason = String.format(
                Locale.ROOT,
                "backlog %.0f with p99 %.1f ms within the objective: larger batches",
                w.backlog(),
                w.p99Millis());
        return next;
    }

    @Override
    public String reason() {
        return reason;
    }

    @Override
    public void verdict(long from, long to, boolean kept, double throughputGain) {
        if (LearnedCeiling.unpaidIncrease(from, to, kept, throughputGain, minGain)) {
            // Kept without paying: grow no further than it. Rolled back: never reach it again.
            ceiling.learn(Math.min(ceiling.value(), kept ? to + 1 : to));
        }
    }
}
