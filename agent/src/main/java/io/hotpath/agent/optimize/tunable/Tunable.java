package io.hotpath.agent.optimize.tunable;

import io.hotpath.agent.optimize.Optimizer;
import java.util.OptionalLong;

/**
 * A runtime setting the optimizer may change: a declared field ({@link FieldTunable}) or a JDK setter
 * ({@link PoolSizeTunable}). Values are longs; booleans are 0 and 1. Cold side only.
 */
public interface Tunable {
    /** Unique name, e.g. {@code batch} or {@code pool.core:com.acme.Broadcaster.workers}. */
    String name();

    /** What it controls. */
    Role role();

    /** Who owns the value, e.g. {@code field com.acme.Broadcaster#batchSize} or {@code ThreadPoolExecutor.setCorePoolSize}. */
    String owner();

    /** The path (probe name or declaring class) it acts on; one change at a time per path. */
    String path();

    /**
     * Whether findings anywhere in the path's package concern this tunable ({@link Optimizer#related}): true for a
     * declared field, whose path is its class; false for a pool, whose path is its own probe.
     */
    default boolean packageWide() {
        return false;
    }

    /** Lowest allowed value. */
    long min();

    /** Highest allowed value. */
    long max();

    /** Whether the value is a boolean (0 or 1). */
    boolean isBoolean();

    /** Whether the tunable can be read and changed now (its class is loaded and its first value seen). */
    boolean live();

    /** The value in force now: the set value once changed, the original before. */
    OptionalLong current();

    /** The value before the optimizer first changed it, when known. */
    OptionalLong original();

    /** Whether the optimizer's value is in force (as opposed to the application's own). */
    boolean overridden();

    /** Puts {@code value} in force; the caller has checked the bounds. */
    void apply(long value);

    /** Gives the setting back to the application: its original value(s). */
    void restore();

    /** Clamps {@code value} into the bounds. */
    default long clamp(long value) {
        return Math.max(min(), Math.min(max(), value));
    }
}
