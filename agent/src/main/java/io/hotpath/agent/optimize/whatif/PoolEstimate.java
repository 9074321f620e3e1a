package io.hotpath.agent.optimize.whatif;

/**
 * What a pool of {@code threads} would do with the work offered to it now, as an M/M/c queue ({@link Erlang}): the
 * arrival rate is what was offered (accepted, rejected and caller-run tasks per second: a task an application
 * resubmits after a rejection counts each time, which overstates the demand), and the service time per task is the
 * pool's busy threads over its completions per second (Little's law: {@code busy = throughput x service time}), so no
 * clock is read for it.
 *
 * @param threads the pool size the estimate is for
 * @param throughputPerS tasks completed per second: the arrival rate when the pool keeps up, else {@code threads /
 *     service time}
 * @param p99Seconds p99 of queueing plus run time; NaN when the pool cannot keep up (the queue grows or refuses)
 */
public record PoolEstimate(int threads, double throughputPerS, double p99Seconds) {
    /**
     * The estimate for a pool of {@code threads}, from the offered rate, the measured completion rate and the number
     * of threads busy on average; null when the measurements cannot give a service time (nothing completed, nobody
     * busy).
     */
    public static PoolEstimate of(int threads, double offeredPerS, double completedPerS, double busyThreads) {
        if (threads < 1 || !(completedPerS > 0) || !(busyThreads > 0) || !(offeredPerS >= 0)) {
            return null;
        }
        final double mu = completedPerS / busyThreads; // tasks per second one thread completes
        final double capacity = threads * mu;
        final double lambda = offeredPerS;
        if (lambda >= capacity) {
            return new PoolEstimate(threads, capacity, Double.NaN);
        }
        return new PoolEstimate(threads, lambda, Erlang.sojournQuantile(threads, lambda, mu, 0.99));
    }
}
