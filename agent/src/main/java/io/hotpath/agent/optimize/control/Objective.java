package io.hotpath.agent.optimize.control;

/**
 * What the optimizer maximises: throughput of the affected path, subject to p99 latency at most the SLO
 * ({@code hotpath.optimizer.slo.p99}) and no rise in errors or overflow. The SLO may change while the optimizer runs
 * (a run-time setting): every controller and guardrail reads it afresh on each window, so a change applies from the
 * next window on.
 */
public final class Objective {
    private volatile double sloP99Millis;

    /** @param sloP99Millis the latency objective, in milliseconds (above 0) */
    public Objective(double sloP99Millis) {
        this.sloP99Millis = checked(sloP99Millis);
    }

    /** The latency objective in milliseconds. */
    public double sloP99Millis() {
        return sloP99Millis;
    }

    /** Changes the latency objective; from the next window on. */
    public void sloP99Millis(double millis) {
        this.sloP99Millis = checked(millis);
    }

    private static double checked(double millis) {
        if (!(millis > 0) || Double.isInfinite(millis)) {
            throw new IllegalArgumentException(
                    "p99 objective " + millis + " ms not allowed; allowed: a duration above 0");
        }
        return millis;
    }

    /** Whether one window meets the latency objective (an unmeasured latency meets it). */
    boolean meets(Window w) {
        return Double.isNaN(w.p99Millis()) || w.p99Millis() <= sloP99Millis;
    }

    @Override
    public String toString() {
        return "Objective[sloP99Millis=" + sloP99Millis + "]";
    }
}
