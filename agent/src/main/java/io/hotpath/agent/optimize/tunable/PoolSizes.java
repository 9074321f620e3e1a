package io.hotpath.agent.optimize.tunable;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Resizes a {@link ThreadPoolExecutor} through its own setters, in the order that never throws:
 * {@code setCorePoolSize} rejects a core above the current maximum and {@code setMaximumPoolSize} a maximum below the
 * current core, so when the new core is above the current maximum the maximum goes first, otherwise the core does.
 */
final class PoolSizes {
    private PoolSizes() {}

    /**
     * Sets core and maximum pool size; {@code max} below {@code core} is raised to {@code core}. A
     * {@link ScheduledThreadPoolExecutor} ignores its maximum, so only its core is set.
     */
    public static void resize(ThreadPoolExecutor pool, int core, int max) {
        if (core < 0 || max < 1) {
            throw new IllegalArgumentException("core " + core + " and max " + max + " must be >= 0 and >= 1");
        }
        final int newMax = Math.max(core, max);
        if (pool instanceof ScheduledThreadPoolExecutor) {
            if (core > pool.getMaximumPoolSize()) {
                return; // cannot happen for an STPE (max is Integer.MAX_VALUE) unless the application lowered it
            }
            pool.setCorePoolSize(core);
            return;
        }
        if (core > pool.getMaximumPoolSize()) {
            pool.setMaximumPoolSize(newMax);
            pool.setCorePoolSize(core);
        } else {
            pool.setCorePoolSize(core);
            pool.setMaximumPoolSize(newMax);
        }
    }
}
