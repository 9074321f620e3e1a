package io.hotpath.agent.optimize.control;

/**
 * What the optimizer maximises: throughput of the affected path, subject to p99 latency at most the SLO
 * ({@code hotpath.optimizer.slo.p99}) and no rise in errors or overflow.
 *
 * @param sloP99Millis the latency objective
 */
public record Objective(double sloP99Millis) {
    /** Whether one window meets the latency objective (an unmeasured latency meets it). */
    boolean meets(Window w) {
        return Double.isNaN(w.p99Millis()) || w.p99Millis() <= sloP99Millis;
    }
}
