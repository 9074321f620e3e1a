package io.hotpath.agent.optimize.whatif;

/**
 * What one optimizer window measured of a stage that serves work with a number of threads (a pool), the input of the
 * what-if models: no clock is read for them, they come from counts and the pool's busy-thread gauge.
 *
 * @param servers threads the stage may run (the pool's size at the window's end), or 0 when it is not a pool
 * @param offeredPerS work offered per second: accepted plus refused (tasks for a pool, messages otherwise)
 * @param completedPerS work finished per second
 * @param busy threads busy on average over the window (the mean of the busy-thread gauge read at every tick), NaN when
 *     unknown
 * @param held whether producers were held in a blocking put in the window: the offered rate is then a floor of the
 *     demand, not the demand (a refused offer is counted, so it does not hide demand)
 */
public record StageFigures(int servers, double offeredPerS, double completedPerS, double busy, boolean held) {
    /**
     * Mean service time of one unit of work in seconds (Little's law over the busy threads: {@code busy = completed x
     * service time}), NaN when nothing completed or nobody was busy.
     */
    public double serviceSeconds() {
        return completedPerS > 0 && busy > 0 ? busy / completedPerS : Double.NaN;
    }

    /** Busy threads over threads, NaN when unknown. */
    public double utilisation() {
        return servers > 0 && busy >= 0 ? Math.min(1, busy / servers) : Double.NaN;
    }
}
