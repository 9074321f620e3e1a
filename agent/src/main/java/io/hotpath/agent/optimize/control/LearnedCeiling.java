package io.hotpath.agent.optimize.control;

/**
 * A value a controller learned not to reach (a size that broke the objective, an increase that did not pay), so that
 * it does not oscillate between a good value and a bad one; forgotten after {@link #FORGET_WINDOWS} windows so that a
 * changed load is probed again. Not thread-safe: owned by one controller.
 */
final class LearnedCeiling {
    /**
     * Windows after which a learned ceiling is forgotten: a re-probe (an increase and, if the load has not changed,
     * its rollback) at most every two minutes of one-second windows, one direction reversal a minute.
     */
    static final int FORGET_WINDOWS = 120;

    private long value = Long.MAX_VALUE;
    private int age;

    /** Counts one more window, forgetting the ceiling once it is older than {@link #FORGET_WINDOWS}. */
    void nextWindow() {
        if (++age > FORGET_WINDOWS) {
            value = Long.MAX_VALUE;
        }
    }

    /** The ceiling, {@link Long#MAX_VALUE} when none is known. */
    long value() {
        return value;
    }

    /** Learns {@code ceiling}, which then ages from zero. */
    void learn(long ceiling) {
        value = ceiling;
        age = 0;
    }

    /** Whether a verdict shows an increase that did not pay: rolled back, or kept with a gain below {@code minGain}. */
    static boolean unpaidIncrease(long from, long to, boolean kept, double throughputGain, double minGain) {
        return to > from && (!kept || throughputGain < minGain);
    }
}
