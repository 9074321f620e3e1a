package io.hotpath.agent.optimize.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The batching model with synthetic stage figures whose answers were worked out by hand: {@code m = min(b, 1 + lambda
 * f)} messages per batch, capacity {@code c m / (s0 + m s1)}, p99 = fill {@code min(f, (b - 1) / lambda)} + the M/M/c
 * sojourn p99 of {@code lambda / m} batches per second at service rate {@code 1 / (s0 + m s1)}.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BatchEstimateTest {
    @Test
    void aShortFlushIntervalFillsSmallBatchesAndAddsLittleDelay() {
        // lambda 1000/s, one thread, 0.5 ms per batch, b 8, f 2 ms: m = min(8, 1 + 1000 x 0.002) = 3; capacity
        // 1 x 3 / 0.0005 = 6000/s > 1000, so all 1000/s pass. Fill min(0.002, 7 / 1000) = 2 ms; 333.3 batches/s at
        // mu 2000/s, M/M/1 sojourn p99 = ln(100) / (2000 - 333.33) = 4.60517 / 1666.67 = 2.7631 ms; p99 4.7631 ms.
        final BatchEstimate e = BatchEstimate.of(1000, 1, 0.0005, 0, 8, 0.002);
        assertThat(e.messagesPerBatch()).isCloseTo(3, within(1e-12));
        assertThat(e.throughputPerS()).isCloseTo(1000, within(1e-9));
        assertThat(e.p99Seconds()).isCloseTo(0.0047631, within(1e-6));
    }

    @Test
    void shorteningTheFlushIntervalTradesFillTimeForBatches() {
        // b 64, f 10 ms: m = min(64, 1 + 10) = 11; fill min(0.010, 63 / 1000) = 10 ms; 90.909 batches/s at mu 2000:
        // sojourn p99 = 4.60517 / (2000 - 90.909) = 2.4122 ms; p99 12.4122 ms. At f 2 ms as above: 4.7631 ms.
        final BatchEstimate ten = BatchEstimate.of(1000, 1, 0.0005, 0, 64, 0.010);
        final BatchEstimate two = BatchEstimate.of(1000, 1, 0.0005, 0, 64, 0.002);
        assertThat(ten.messagesPerBatch()).isCloseTo(11, within(1e-12));
        assertThat(ten.p99Seconds()).isCloseTo(0.0124122, within(1e-6));
        assertThat(two.p99Seconds()).isCloseTo(0.0047631, within(1e-6));
        assertThat(ten.throughputPerS()).isEqualTo(two.throughputPerS()).isCloseTo(1000, within(1e-9));
    }

    @Test
    void aFixedCostPerBatchCapsSmallBatchesAndDoublingTheBatchDoublesTheCap() {
        // Two threads, 200 us per batch, no cost per message, demand 20000/s. b 1: capacity 2 x 1 / 0.0002 = 10000/s,
        // the stage is the constraint (no p99). b 2: capacity 20000 = demand, still the constraint.
        final BatchEstimate one = BatchEstimate.of(20_000, 2, 0.0002, 0, 1, 0.01);
        assertThat(one.throughputPerS()).isCloseTo(10_000, within(1e-6));
        assertThat(one.p99Seconds()).isNaN();
        assertThat(BatchEstimate.of(20_000, 2, 0.0002, 0, 2, 0.01).throughputPerS())
                .isCloseTo(20_000, within(1e-6));
        // b 4: capacity 40000 > 20000; m = min(4, 1 + 20000 x 0.01) = 4, 5000 batches/s on 2 threads at mu 5000:
        // a = 1 Erlang, C(2, 1) = 1/3, theta = 2 x 5000 - 5000 = mu, so P(T > t) = e^-y (1 + y/3) with y = mu t;
        // e^-y (1 + y/3) = 0.01 at y = 5.66596, t = 1.13319 ms; fill min(0.01, 3 / 20000) = 0.15 ms; p99 1.28319 ms.
        final BatchEstimate four = BatchEstimate.of(20_000, 2, 0.0002, 0, 4, 0.01);
        assertThat(four.throughputPerS()).isCloseTo(20_000, within(1e-6));
        assertThat(four.p99Seconds()).isCloseTo(0.00128319, within(1e-7));
    }

    @Test
    void aCostPerMessageLimitsWhatBiggerBatchesGain() {
        // One thread, 100 us per batch + 10 us per message, demand 50000/s. b 10: capacity 10 / (100 + 100) us =
        // 50000/s, just the constraint; b 20: 20 / 300 us = 66667/s, not 100000 as with a fixed cost alone.
        final BatchEstimate ten = BatchEstimate.of(50_000, 1, 100e-6, 10e-6, 10, 0.001);
        assertThat(ten.throughputPerS()).isCloseTo(50_000, within(1e-6));
        assertThat(ten.p99Seconds()).isNaN();
        final BatchEstimate twenty = BatchEstimate.of(Double.POSITIVE_INFINITY, 1, 100e-6, 10e-6, 20, 0.001);
        assertThat(twenty.throughputPerS()).isCloseTo(66_666.667, within(1e-3));
    }

    @Test
    void aFlushIntervalOfZeroOverloadsTheStageUntilBatchesFill() {
        // lambda 5000/s, 0.5 ms per batch, f 0: m = 1, capacity 2000/s < 5000: messages queue and batches fill; with
        // full batches (64) the capacity is 128000/s, so the demand is met, but the fill model cannot give a p99.
        final BatchEstimate e = BatchEstimate.of(5000, 1, 0.0005, 0, 64, 0);
        assertThat(e.messagesPerBatch()).isEqualTo(64);
        assertThat(e.throughputPerS()).isCloseTo(5000, within(1e-9));
        assertThat(e.p99Seconds()).isNaN();
    }

    @Test
    void figuresThatDescribeNoStageGiveNoEstimate() {
        assertThat(BatchEstimate.of(1000, 0, 0.001, 0, 8, 0.01)).isNull();
        assertThat(BatchEstimate.of(1000, 1, 0, 0, 8, 0.01)).isNull();
        assertThat(BatchEstimate.of(1000, 1, 0.001, 0, 0, 0.01)).isNull();
        assertThat(BatchEstimate.of(-1, 1, 0.001, 0, 8, 0.01)).isNull();
        assertThat(BatchEstimate.of(1000, 1, 0.001, 0, 8, -1)).isNull();
        assertThat(BatchEstimate.of(Double.NaN, 1, 0.001, 0, 8, 0.01)).isNull();
    }
}
