package io.hotpath.agent.optimize.control;

import io.hotpath.agent.report.Units;

/**
 * Pool size (or any concurrency limit) by AIMD with a latency gradient. Additive increase of about sqrt(n) while work
 * waits (backlog, a finding asking for more, or p99 above the objective from queueing) and the CPU is not saturated,
 * bounded to {@code maxGrowthPerSecond} since the last increase; no growth at all when the process uses more than
 * {@code cpuSaturation} of the machine, where more threads only add contention. Multiplicative decrease by the latency
 * gradient (no-load p99 over current p99, at least 0.5) when the objective breaks with the CPU saturated, or when a
 * finding asks for less. An increase that was kept without raising throughput by {@code minGain} sets a ceiling,
 * forgotten after {@link LearnedCeiling#FORGET_WINDOWS} windows so that a changed load is probed again.
 */
public final class ConcurrencyController implements Controller {
    private final Objective objective;
    private final double maxGrowthPerSecond;
    private final double cpuSaturation;
    private final double minGain;
    private final LearnedCeiling ceiling = new LearnedCeiling();
    private double noLoadP99 = Double.NaN;
    private long lastIncreaseNanos;
    private boolean increasedBefore;
    private String reason = "";

    public ConcurrencyController(Objective objective, double maxGrowthPerSecond, double cpuSaturation, double minGain) {
        this.objective = objective;
        this.maxGrowthPerSecond = maxGrowthPerSecond;
        this.cpuSaturation = cpuSaturation;
        this.minGain = minGain;
    }

    /** Defaults: growth at most 2 per second, CPU saturated above 90%, an increase must gain 5%. */
    public ConcurrencyController(Objective objective) {
        this(objective, 2, 0.9, 0.05);
    }

    @Override
    public long propose(long current, Window w, int hint, long nowNanos) {
        ceiling.nextWindow();
        if (!Double.isNaN(w.p99Millis()) && w.p99Millis() > 0) {
            // No-load latency: the lowest seen, drifting up 1% a window so an old minimum cannot pin it forever.
            noLoadP99 = Double.isNaN(noLoadP99) ? w.p99Millis() : Math.min(w.p99Millis(), noLoadP99 * 1.01);
        }
        final boolean saturated = !Double.isNaN(w.cpu()) && w.cpu() >= cpuSaturation;
        final boolean slow = !objective.meets(w);
        final boolean waiting = w.backlog() > current || hint > 0 || slow;
        if (saturated && (slow || hint < 0)) {
            final double gradient = Double.isNaN(noLoadP99) || Double.isNaN(w.p99Millis())
                    ? 0.75
                    : Math.max(0.5, Math.min(1, noLoadP99 / w.p99Millis()));
            final long next = Math.min(current - 1, (long) Math.floor(current * gradient));
            // Worded every window while it holds: no String.format (a formatter and locale data per call).
            reason = "CPU " + Units.fixed(w.cpu() * 100, 0) + "% saturated and p99 " + Units.fixed(w.p99Millis(), 1)
                    + " ms: decrease by gradient " + Units.fixed(gradient, 2);
            return Math.max(1, next);
        }
        if (!saturated && hint < 0) {
            reason = "a finding asks for less concurrency";
            return Math.max(1, current - Math.max(1, current / 4));
        }
        if (!waiting) {
            reason = "no work waiting";
            return current;
        }
        if (saturated) {
            reason = "work waits but CPU " + Units.fixed(w.cpu() * 100, 0) + "% is saturated: no growth";
            return current;
        }
        final long limit = ceiling.value();
        if (current >= limit) {
            reason = "at the learned ceiling " + limit + " (the last increase did not raise throughput)";
            return current;
        }
        final long step = Math.max(1, Math.round(Math.sqrt(current)));
        long allowed = step;
        if (increasedBefore) {
            final double seconds = (nowNanos - lastIncreaseNanos) / 1e9;
            allowed = Math.min(step, (long) Math.floor(seconds * maxGrowthPerSecond));
        }
        if (allowed < 1) {
            reason = "growth limited to " + maxGrowthPerSecond + "/s";
            return current;
        }
        final long next = Math.min(limit, current + allowed);
        increasedBefore = true;
        lastIncreaseNanos = nowNanos;
        reason = "work waits (backlog " + Units.fixed(w.backlog(), 0) + ", p99 " + Units.fixed(w.p99Millis(), 1)
                + " ms, CPU " + (Double.isNaN(w.cpu()) ? "?" : Units.fixed(w.cpu() * 100, 0) + "%") + "): +"
                + (next - current);
        return next;
    }

    @Override
    public String reason() {
        return reason;
    }

    @Override
    public void verdict(long from, long to, boolean kept, double throughputGain) {
        if (LearnedCeiling.unpaidIncrease(from, to, kept, throughputGain, minGain)) {
            ceiling.learn(kept ? to : from);
        }
    }
}
