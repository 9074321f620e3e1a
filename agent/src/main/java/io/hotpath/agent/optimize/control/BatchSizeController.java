package io.hotpath.agent.optimize.control;

import java.util.Locale;

/**
 * Batch size by multiplicative increase while throughput improves and the latency objective holds, and
 * multiplicative decrease when it breaks. The size that broke the objective, or an increase that did not pay (gain
 * below {@code minGain}), becomes a ceiling so that the controller does not oscillate between a good size and a bad
 * one; the ceiling is forgotten after {@link #FORGET_WINDOWS} windows to probe a changed load again.
 */
public final class BatchSizeController implements Controller {
    /**
     * Windows after which a learned ceiling is forgotten: a re-probe (an increase and, if the load has not changed,
     * its rollback) at most every two minutes of one-second windows, one direction reversal a minute.
     */
    static final int FORGET_WINDOWS = 120;

    private final Objective objective;
    private final double factor;
    private final double minGain;
    private long ceiling = Long.MAX_VALUE;
    private int ceilingAge;
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
        if (++ceilingAge > FORGET_WINDOWS) {
            ceiling = Long.MAX_VALUE;
        }
        if (!objective.meets(w)) {
            ceiling = Math.min(ceiling, current);
            ceilingAge = 0;
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
        if (next >= ceiling) {
            final long between = (long) Math.floor(Math.sqrt((double) current * ceiling));
            if (between < ceiling && between >= current + Math.max(1, current / 4)) {
                next = between;
            } else {
                reason = "next size " + next + " reaches the learned ceiling " + ceiling;
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
        if (to > from && (!kept || throughputGain < minGain)) {
            // Kept without paying: grow no further than it. Rolled back: never reach it again.
            ceiling = Math.min(ceiling, kept ? to + 1 : to);
            ceilingAge = 0;
        }
    }
}
