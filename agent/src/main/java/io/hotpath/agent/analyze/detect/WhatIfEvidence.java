package io.hotpath.agent.analyze.detect;

import io.hotpath.agent.analyze.finding.Evidence;
import io.hotpath.agent.optimize.whatif.PoolEstimate;
import io.hotpath.bootstrap.PathKind;

/**
 * The what-if estimate beside a pool's finding: what one more thread, the change the optimizer makes first, would do
 * to its throughput and p99 ({@link PoolEstimate}, an M/M/c model of the pool fed with this window's figures). In the
 * evidence under {@code what_if.}: {@code pool_size_from}, {@code pool_size_to}, {@code throughput_per_s_now} (the
 * model at today's size, to compare with the measured rate), {@code throughput_per_s} and, when the bigger pool keeps
 * up, {@code p99_s}. The dump nests them in a {@code what_if} object.
 */
final class WhatIfEvidence {
    /** Prefix of the what-if members of a finding's evidence. */
    static final String PREFIX = "what_if.";

    private WhatIfEvidence() {}

    static void pool(ProbeState p, Evidence e) {
        if (p.kind != PathKind.EXECUTOR || p.poolSize < 1 || p.poolSize >= Integer.MAX_VALUE || p.active < 1) {
            return;
        }
        final int threads = (int) p.poolSize;
        final double offered = p.rate(p.offeredW());
        final double completed = p.rate(p.outW);
        final PoolEstimate now = PoolEstimate.of(threads, offered, completed, p.active);
        final PoolEstimate bigger = PoolEstimate.of(threads + 1, offered, completed, p.active);
        if (now == null || bigger == null) {
            return;
        }
        e.put(PREFIX + "pool_size_from", threads)
                .put(PREFIX + "pool_size_to", threads + 1)
                .put(PREFIX + "throughput_per_s_now", now.throughputPerS())
                .put(PREFIX + "throughput_per_s", bigger.throughputPerS());
        if (Double.isFinite(bigger.p99Seconds())) {
            e.put(PREFIX + "p99_s", bigger.p99Seconds());
        }
    }
}
