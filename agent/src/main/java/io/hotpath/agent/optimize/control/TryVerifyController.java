package io.hotpath.agent.optimize.control;

/**
 * Switches (compression) and shard counts by try-and-verify: when a finding asks for it and the path meets the
 * latency objective, try the next setting (off → on, or twice the shards); the guardrail's before/after comparison
 * keeps or rolls it back. After a rollback it does not try again for {@code retryWindows} windows.
 */
public final class TryVerifyController implements Controller {
    private final Objective objective;
    private final boolean isBoolean;
    private final int retryWindows;
    private int quietWindows;
    private String reason = "";

    public TryVerifyController(Objective objective, boolean isBoolean, int retryWindows) {
        this.objective = objective;
        this.isBoolean = isBoolean;
        this.retryWindows = retryWindows;
    }

    @Override
    public long propose(long current, Window w, int hint, long nowNanos) {
        if (quietWindows > 0) {
            quietWindows--;
            reason = "rolled back recently; next try in " + quietWindows + " windows";
            return current;
        }
        if (hint == 0) {
            reason = "no finding asks for a change";
            return current;
        }
        if (hint > 0 && !objective.meets(w)) {
            reason = "the path does not meet the latency objective: not the time to try";
            return current;
        }
        if (isBoolean) {
            reason = hint > 0 ? "try it on" : "try it off";
            return hint > 0 ? 1 : 0;
        }
        reason = hint > 0 ? "try twice the shards" : "try half the shards";
        return hint > 0 ? Math.max(current + 1, current * 2) : Math.max(1, current / 2);
    }

    @Override
    public String reason() {
        return reason;
    }

    @Override
    public void verdict(long from, long to, boolean kept, double throughputGain) {
        if (!kept) {
            quietWindows = retryWindows;
        }
    }
}
