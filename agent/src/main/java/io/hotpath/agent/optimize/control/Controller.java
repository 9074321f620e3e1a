package io.hotpath.agent.optimize.control;

/**
 * Proposes the next value of one tunable from the latest window on its path. Pure: no threads, no clocks (time is
 * passed in), no side effects beyond its own learning state, so it can be driven by synthetic signals. The
 * {@link Guardrail} around it decides whether a proposal is tried, verifies it and rolls it back.
 */
public interface Controller {
    /**
     * The value to try next, or {@code current} to hold.
     *
     * @param current the value in force
     * @param w the latest window on the tunable's path
     * @param hint direction a finding or rule asks for: +1 up, -1 down, 0 none
     * @param nowNanos the time, any fixed origin
     */
    long propose(long current, Window w, int hint, long nowNanos);

    /** Why the last proposal was made, for the audit trail. */
    String reason();

    /**
     * The guardrail's verdict on a change this controller proposed.
     *
     * @param from value before
     * @param to value tried
     * @param kept whether it was kept (false: rolled back)
     * @param throughputGain relative change of mean throughput, after over before minus one
     */
    default void verdict(long from, long to, boolean kept, double throughputGain) {}
}
