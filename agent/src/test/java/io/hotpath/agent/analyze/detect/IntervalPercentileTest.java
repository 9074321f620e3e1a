package io.hotpath.agent.analyze.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hotpath.bootstrap.BucketHistogram;
import org.junit.jupiter.api.Test;

class IntervalPercentileTest {
    @Test
    void percentileOfTheDifferenceOnly() {
        final BucketHistogram h = new BucketHistogram();
        for (int i = 0; i < 1000; i++) {
            h.record(1_000_000); // 1 ms, before the interval
        }
        final long[] before = new long[BucketHistogram.LENGTH];
        h.readCounts(before);
        for (int i = 1; i <= 100; i++) {
            h.record(i * 10_000L); // 10 us .. 1 ms
        }
        final long[] now = new long[BucketHistogram.LENGTH];
        h.readCounts(now);

        final IntervalPercentile p = new IntervalPercentile();
        assertThat(p.compute(now, before, 0.99)).isTrue();
        assertThat(p.count()).isEqualTo(100);
        assertThat((double) p.percentile()).isCloseTo(990_000, within(990_000 / 32.0));
        assertThat(p.mean()).isCloseTo(505_000, within(1.0));
    }

    @Test
    void sameArrayOrNothingNewIsNoData() {
        final long[] counts = new long[BucketHistogram.LENGTH];
        final IntervalPercentile p = new IntervalPercentile();
        assertThat(p.compute(counts, counts, 0.99)).isFalse();
        assertThat(p.compute(counts, counts.clone(), 0.99)).isFalse();
        assertThat(p.compute(null, null, 0.99)).isFalse();
    }

    @Test
    void aCeilingGivesTheSameP99AndEscapesWhenValuesLandAboveIt() {
        final io.hotpath.bootstrap.BucketHistogram h = new io.hotpath.bootstrap.BucketHistogram();
        final long[] before = new long[io.hotpath.bootstrap.BucketHistogram.LENGTH];
        for (int i = 0; i < 200; i++) {
            h.record(50_000 + i * 10_000L); // 50 us .. 2 ms
        }
        h.readCounts(before);
        for (int i = 0; i < 200; i++) {
            h.record(50_000 + i * 10_000L);
        }
        final long[] now = new long[io.hotpath.bootstrap.BucketHistogram.LENGTH];
        h.readCounts(now);
        final IntervalPercentile full = new IntervalPercentile();
        final IntervalPercentile capped = new IntervalPercentile();
        assertThat(full.compute(now, before, 0.99)).isTrue();
        final int ceiling = IntervalPercentile.highestMoved(now, before) + 64;
        assertThat(capped.compute(now, before, 0.99, 0, ceiling)).isTrue();
        assertThat(capped.escaped()).isFalse();
        assertThat(capped.percentile()).isEqualTo(full.percentile());
        assertThat(capped.count()).isEqualTo(full.count());

        // A latency step far above the ceiling: 5% of the values at 1 s.
        final long[] stepBefore = now.clone();
        for (int i = 0; i < 190; i++) {
            h.record(50_000 + i * 10_000L);
        }
        for (int i = 0; i < 10; i++) {
            h.record(1_000_000_000L);
        }
        final long[] step = new long[io.hotpath.bootstrap.BucketHistogram.LENGTH];
        h.readCounts(step);
        assertThat(capped.compute(step, stepBefore, 0.99, 0, ceiling)).isTrue();
        assertThat(capped.escaped()).isTrue();
        assertThat(full.compute(step, stepBefore, 0.99)).isTrue();
        assertThat(capped.percentile()).isEqualTo(full.percentile()).isGreaterThan(900_000_000L);
    }
}
