package io.hotpath.agent.optimize.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pool +1, batch ×2 and flush-interval estimates from synthetic stage figures, each answer worked out by hand: capacity
 * now {@code x / u} ({@code u} = busy threads / threads), demand {@code x} times the demand factor (infinite when the
 * stage is saturated and nothing tells the demand), throughput after = min(demand, changed capacity).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class WhatIfTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void poolPlusOneOfASaturatedPoolScalesItsCapacity() {
        // 2 threads both busy, 1000 tasks/s: capacity 1000 / 1 x 3 / 2 = 1500/s; demand unknown (saturated).
        final StageFigures pool = new StageFigures(2, 1000, 1000, 2, false);
        final Prediction p = WhatIf.pool(1000, pool, 1, 2, 3);
        assertThat(p.throughputPerS()).isCloseTo(1500, within(1e-9));
        assertThat(p.gain()).isCloseTo(0.5, within(1e-12));
        assertThat(p.p99Millis()).isNaN(); // the bigger pool is still the constraint
        assertThat(p.model()).isEqualTo("M/M/c");
    }

    @Test
    void poolPlusOneStopsAtTheDemandTheIngressShows() {
        // Producers offered 1.2x what passed the ingress: demand 1200 tasks/s < capacity 1500; the p99 is the M/M/3
        // sojourn p99 at lambda 1200, mu = 1000 tasks/s / 2 busy = 500/s per thread (a = 2.4 Erlangs, C = 0.6472).
        final Prediction p = WhatIf.pool(1000, new StageFigures(2, 1000, 1000, 2, false), 1.2, 2, 3);
        assertThat(p.throughputPerS()).isCloseTo(1200, within(1e-9));
        assertThat(Erlang.c(3, 2.4)).isCloseTo(0.6472, within(5e-5));
        assertThat(p.p99Millis()).isCloseTo(Erlang.sojournQuantile(3, 1200, 500, 0.99) * 1000, within(1e-9));
    }

    @Test
    void aPoolWithSpareThreadsGainsNothingFromAnother() {
        // Half the threads busy, nothing pushed back: the demand is what passes, 500/s, before and after.
        final Prediction p = WhatIf.pool(500, new StageFigures(2, 500, 500, 1, false), 1, 2, 3);
        assertThat(p.throughputPerS()).isCloseTo(500, within(1e-9));
        assertThat(p.gain()).isCloseTo(0, within(1e-12));
    }

    @Test
    void batchTimesTwoDoublesWhatASaturatedStageDelivers() {
        // The pool serving batches: 2 threads, 1.9 busy (u 0.95), 9500 messages/s; a fixed cost per batch: capacity
        // 9500 / 0.95 = 10000/s at b, 20000/s at 2b; demand unknown: 20000.
        final StageFigures pool = new StageFigures(2, 2500, 2500, 1.9, false);
        assertThat(WhatIf.batch(9500, pool, 1, 16, 32).throughputPerS()).isCloseTo(20_000, within(1e-6));
        // The ingress shows producers offering 1.5x: demand 14250 < 20000.
        assertThat(WhatIf.batch(9500, pool, 1.5, 16, 32).throughputPerS()).isCloseTo(14_250, within(1e-6));
        // Held producers (a blocking put): the demand is unknown, so the capacity counts.
        assertThat(WhatIf.batch(9500, pool, INF, 16, 64).throughputPerS()).isCloseTo(40_000, within(1e-6));
    }

    @Test
    void batchTimesTwoChangesNothingWhereBatchesLeavePartlyFilled() {
        // u 0.4, nothing pushed back: batches leave at the flush deadline, not full; 4000/s before and after.
        final Prediction p = WhatIf.batch(4000, new StageFigures(2, 400, 400, 0.8, false), 1, 16, 32);
        assertThat(p.throughputPerS()).isCloseTo(4000, within(1e-9));
        assertThat(p.gain()).isCloseTo(0, within(1e-12));
    }

    @Test
    void flushIntervalFromTheStageFigures() {
        // 1000 messages/s through one thread busy 0.3 of the time at 600 batches/s: service 0.3 / 600 = 0.5 ms per
        // batch. Batch size 64, flush 10 -> 2 ms: BatchEstimate(1000, 1, 0.0005, 0, 64, 0.002) = 1000/s,
        // p99 4.7631 ms (see BatchEstimateTest).
        final StageFigures s = new StageFigures(1, 600, 600, 0.3, false);
        final Prediction p = WhatIf.flush(1000, s, 1, 64, 10, 2);
        assertThat(p.throughputPerS()).isCloseTo(1000, within(1e-9));
        assertThat(p.p99Millis()).isCloseTo(4.7631, within(1e-3));
        assertThat(p.model()).isEqualTo("flush fill");
    }

    @Test
    void noEstimateWithoutABusyStage() {
        assertThat(WhatIf.pool(1000, new StageFigures(2, 1000, 1000, 0, false), 1, 2, 3))
                .isNull();
        assertThat(WhatIf.batch(0, new StageFigures(2, 1000, 1000, 2, false), 1, 2, 4))
                .isNull();
        assertThat(WhatIf.flush(1000, new StageFigures(0, 1000, 1000, 1, false), 1, 64, 10, 2))
                .isNull();
    }
}
