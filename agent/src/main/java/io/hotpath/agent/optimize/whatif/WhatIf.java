package io.hotpath.agent.optimize.whatif;

/**
 * The estimates behind the optimizer's changes, in the units of the window a tunable is judged by ({@code x}: tasks per
 * second for a pool, messages per second for a declared field), from the figures of the stage that constrains the
 * path (the pool whose threads serve the work):
 *
 * <ul>
 *   <li>the stage's capacity now is {@code x / u}, {@code u} its utilisation from busy threads (the mean of the
 *       busy-thread gauge over the window, not a ratio of rates: under contention a rate ratio understates what a
 *       thread costs);
 *   <li>the demand is {@code x} times the demand factor: offered over completed at the most pushed-back message
 *       stage of the path (producers refused at the ingress show the demand the path does not serve); unknown
 *       (infinite) when producers were held in a blocking put, and {@code x} itself when nothing pushes back and
 *       the stage is not saturated;
 *   <li>the throughput after the change is the lower of the demand and the changed capacity.
 * </ul>
 *
 * Pool +1 ({@link #pool}): capacity {@code x / u x c' / c}, p99 from the M/M/c model of the pool ({@link
 * PoolEstimate}). Batch ×2 ({@link #batch}): a batch costs its stage a fixed amount (the flush, the fan-out task), so
 * the stage's capacity in messages grows with the batch: {@code x / u x b' / b} when batches leave full (the stage is
 * saturated; otherwise the batch size does not bind and nothing changes). Flush interval ({@link #flush}): {@link
 * BatchEstimate}, the fill time against the amortisation of the per-batch cost.
 */
public final class WhatIf {
    /** Utilisation from which a stage counts as saturated: its batches leave full, its demand is not met. */
    public static final double SATURATED = 0.9;

    /** The pool model's name in a {@link Prediction} ({@link Prediction#model()}). */
    public static final String POOL_MODEL = "M/M/c";

    private WhatIf() {}

    /**
     * Pool size {@code from -> to}.
     *
     * @param x the pool's completions per second now
     * @param pool the pool's figures
     * @param demandFactor demand over throughput on the path ({@link Double#POSITIVE_INFINITY} when unknown)
     */
    public static Prediction pool(double x, StageFigures pool, double demandFactor, long from, long to) {
        final double u = pool.utilisation();
        if (!(x > 0) || !(u > 0) || from < 1 || to < 1) {
            return null;
        }
        final double capacity = x / u * to / from;
        final double demand = demand(x, u, demandFactor);
        final double predicted = Math.min(demand, capacity);
        double p99 = Double.NaN;
        final PoolEstimate e = PoolEstimate.of((int) to, Math.min(demand, Double.MAX_VALUE), x, u * from);
        if (e != null && Double.isFinite(e.p99Seconds())) {
            p99 = e.p99Seconds() * 1000;
        }
        return new Prediction(predicted, x, p99, POOL_MODEL);
    }

    /**
     * Batch size {@code from -> to}, the whole cost of a batch taken as fixed (an upper bound of the gain when each
     * message costs the stage too).
     *
     * @param x messages per second on the path now
     * @param stage the figures of the stage that serves the batches
     * @param demandFactor demand over throughput on the path
     */
    public static Prediction batch(double x, StageFigures stage, double demandFactor, long from, long to) {
        final double u = stage.utilisation();
        if (!(x > 0) || !(u > 0) || from < 1 || to < 1) {
            return null;
        }
        final double demand = demand(x, u, demandFactor);
        // Batches leave full only while the stage is behind; a larger maximum then fills too. A stage with spare
        // threads sends partial batches, whose size the maximum does not decide.
        final boolean full = u >= SATURATED || demand > x;
        final double capacity = full ? x / u * to / from : x / u;
        final double predicted = Math.min(demand, Math.max(x, capacity));
        double p99 = Double.NaN;
        if (predicted < capacity && stage.servers() > 0) {
            final double tasks = stage.completedPerS() * predicted / x * from / to;
            final PoolEstimate e =
                    PoolEstimate.of(stage.servers(), tasks, stage.completedPerS(), Math.max(stage.busy(), 1e-9));
            if (e != null && Double.isFinite(e.p99Seconds())) {
                p99 = e.p99Seconds() * 1000;
            }
        }
        return new Prediction(predicted, x, p99, "batch amortisation");
    }

    /**
     * Flush interval {@code from -> to} milliseconds with batches of at most {@code batchSize}: {@link BatchEstimate}
     * at the demand, with the stage's per-batch service time from its busy threads.
     */
    public static Prediction flush(
            double x, StageFigures stage, double demandFactor, long batchSize, long fromMillis, long toMillis) {
        final double u = stage.utilisation();
        final double service = stage.serviceSeconds();
        if (!(x > 0) || !(u > 0) || !(service > 0) || stage.servers() < 1 || batchSize < 1 || toMillis < 0) {
            return null;
        }
        final double demand = demand(x, u, demandFactor);
        final BatchEstimate e = BatchEstimate.of(demand, stage.servers(), service, 0, batchSize, toMillis / 1000.0);
        if (e == null) {
            return null;
        }
        final double p99 = Double.isFinite(e.p99Seconds()) ? e.p99Seconds() * 1000 : Double.NaN;
        return new Prediction(Math.min(demand, e.throughputPerS()), x, p99, "flush fill");
    }

    /** The demand on the path in units of {@code x}. */
    static double demand(double x, double u, double demandFactor) {
        if (demandFactor > 1) {
            return x * demandFactor;
        }
        return u >= SATURATED ? Double.POSITIVE_INFINITY : x;
    }
}
