package io.hotpath.agent.optimize.whatif;

/**
 * What a batching stage would deliver with another batch size or flush interval: messages arrive at {@code lambda}
 * per second, a batch closes when it holds {@code batchSize} messages or when {@code flushSeconds} have passed since
 * its first message, and each batch then costs its stage (a pool of {@code servers} threads) a fixed {@code
 * perBatchSeconds} (the flush, the system call, the fan-out task) plus {@code perMessageSeconds} for every message.
 *
 * <ul>
 *   <li>Messages per batch: {@code m = min(b, 1 + lambda f)} while the stage keeps up (the batch closes full or at the
 *       flush deadline); when the stage cannot keep up, messages queue while the batches wait and every batch leaves
 *       full: {@code m = b}.
 *   <li>Amortisation: a batch of {@code m} costs {@code S(m) = s0 + m s1}, so the stage's capacity is {@code c m /
 *       S(m)} messages per second; throughput is the lower of that and the demand {@code lambda}.
 *   <li>Added delay: the first message of a batch waits for it to fill, at most {@code min(f, (b - 1) / lambda)}; the
 *       p99 is that fill time plus the p99 sojourn of the batch at the stage, an M/M/c queue with {@code lambda / m}
 *       batches per second and service rate {@code 1 / S(m)} ({@link Erlang#sojournQuantile}); NaN when the stage
 *       cannot keep up.
 * </ul>
 *
 * @param messagesPerBatch {@code m}
 * @param throughputPerS messages per second delivered
 * @param p99Seconds p99 of fill time plus stage sojourn, NaN when the stage is the constraint
 */
public record BatchEstimate(double messagesPerBatch, double throughputPerS, double p99Seconds) {
    /**
     * The estimate; null for an argument that cannot describe a stage (no servers, no batch cost, a batch size below
     * 1, a negative rate or interval).
     *
     * @param lambda messages offered per second (infinite: the demand is unknown, only the capacity counts)
     * @param servers threads of the stage that serves batches
     * @param perBatchSeconds fixed cost of one batch, {@code s0}
     * @param perMessageSeconds cost of each message in a batch, {@code s1} (0: the cost is all per batch)
     * @param batchSize maximum messages per batch, {@code b}
     * @param flushSeconds longest wait of a batch for more messages, {@code f}
     */
    public static BatchEstimate of(
            double lambda,
            int servers,
            double perBatchSeconds,
            double perMessageSeconds,
            long batchSize,
            double flushSeconds) {
        if (servers < 1
                || !(lambda >= 0)
                || !(perBatchSeconds >= 0)
                || !(perMessageSeconds >= 0)
                || perBatchSeconds + perMessageSeconds <= 0
                || batchSize < 1
                || !(flushSeconds >= 0)) {
            return null;
        }
        final double b = batchSize;
        final double fullCapacity = servers * b / (perBatchSeconds + b * perMessageSeconds);
        if (lambda >= fullCapacity) {
            // Full batches and still behind: the stage is the constraint, whatever the flush interval.
            return new BatchEstimate(b, fullCapacity, Double.NaN);
        }
        final double m = Math.min(b, 1 + lambda * flushSeconds);
        final double service = perBatchSeconds + m * perMessageSeconds;
        final double capacity = servers * m / service;
        if (lambda >= capacity) {
            // Partly filled batches cannot keep up, so messages queue and batches fill: between the two, the stage
            // settles where it just keeps up, which the fill model cannot place; the full-batch capacity bounds it.
            return new BatchEstimate(b, lambda, Double.NaN);
        }
        final double fill = lambda > 0 ? Math.min(flushSeconds, (b - 1) / lambda) : flushSeconds;
        final double sojourn = Erlang.sojournQuantile(servers, lambda / m, 1 / service, 0.99);
        return new BatchEstimate(m, lambda, fill + sojourn);
    }
}
