package io.hotpath.exporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hotpath.bootstrap.BucketHistogram;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExponentialHistogramsTest {
    private static final double BASE = Math.pow(2, Math.pow(2, -ExponentialHistograms.MAX_SCALE));

    @Test
    void indexOfPutsEveryValueInItsBucket() {
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            final double v = Math.exp(random.nextDouble(-25, 25));
            final int index = ExponentialHistograms.indexOf(v);
            final double lower = Math.pow(BASE, index);
            final double upper = Math.pow(BASE, index + 1);
            assertThat(v).as("value %s index %d", v, index).isGreaterThan(lower * (1 - 1e-12));
            assertThat(v).as("value %s index %d", v, index).isLessThanOrEqualTo(upper * (1 + 1e-12));
        }
    }

    @Test
    void powersOfTwoAreTheUpperBoundOfTheirBucket() {
        for (int e = -40; e <= 40; e++) {
            assertThat(ExponentialHistograms.indexOf(Math.scalb(1.0, e))).isEqualTo((e << 5) - 1);
        }
    }

    @Test
    void countSumAndZerosAreExact() {
        final BucketHistogram h = new BucketHistogram();
        final long[] values = {0, 0, 1, 2, 3, 63, 64, 65, 1000, 1_000_000, 123_456_789};
        for (long v : values) {
            h.record(v);
        }
        final ExponentialHistogramPointData p = point(h, true, 4096);
        assertThat(p.getCount()).isEqualTo(values.length);
        assertThat(p.getZeroCount()).isEqualTo(2);
        assertThat(p.getSum()).isCloseTo(Arrays.stream(values).sum() * 1e-9, within(1e-15));
        assertThat(p.getScale()).isEqualTo(5);
        assertThat(sum(p.getPositiveBuckets().getBucketCounts())).isEqualTo(values.length - 2);
        assertThat(p.hasMin()).isFalse();
        assertThat(p.hasMax()).isFalse();
    }

    @Test
    void onlyThePopulatedSpanIsSentWhateverTheBucketLimit() {
        final BucketHistogram h = new BucketHistogram();
        for (long v = 2_000_000; v <= 2_400_000; v += 1_000) {
            h.record(v);
        }
        final ExponentialHistogramPointData p = point(h, true, 320);
        final int first = ExponentialHistograms.indexOf(2e-3 * (1 - 1.0 / 64));
        final int last = ExponentialHistograms.indexOf(2.4e-3 * (1 + 1.0 / 64));
        final List<Long> counts = p.getPositiveBuckets().getBucketCounts();
        assertThat(p.getScale()).isEqualTo(ExponentialHistograms.MAX_SCALE);
        // About 9 buckets of 2.2 % cover 2.0 .. 2.4 ms: the point starts at the first populated one and ends at the
        // last.
        assertThat(counts.size()).isBetween(6, last - first + 1);
        assertThat(p.getPositiveBuckets().getOffset()).isBetween(first, last);
        assertThat(counts.get(0)).isPositive();
        assertThat(counts.get(counts.size() - 1)).isPositive();
        assertThat(sum(counts)).isEqualTo(401);
    }

    @Test
    void smallValuesAreExactAndLandInTheirOwnBucket() {
        final BucketHistogram h = new BucketHistogram();
        for (long v = 1; v < 64; v++) {
            h.record(v);
        }
        final ExponentialHistogramPointData p = point(h, false, 4096);
        final int offset = p.getPositiveBuckets().getOffset();
        final List<Long> counts = p.getPositiveBuckets().getBucketCounts();
        for (long v = 1; v < 64; v++) {
            final int i = ExponentialHistograms.indexOf(v) - offset;
            assertThat(counts.get(i)).as("bucket of %d", v).isPositive();
        }
        assertThat(sum(counts)).isEqualTo(63);
    }

    @Test
    void percentilesReadFromTheExportedHistogramAreWithinFourPercent() {
        final SplittableRandom random = new SplittableRandom(11);
        final BucketHistogram h = new BucketHistogram();
        final long[] values = new long[50_000];
        for (int i = 0; i < values.length; i++) {
            // log-uniform from 1 µs to 50 ms
            values[i] = (long) Math.exp(random.nextDouble(Math.log(1_000), Math.log(50_000_000)));
            h.record(values[i]);
        }
        Arrays.sort(values);
        final ExponentialHistogramPointData p = point(h, true, 4096);
        assertThat(p.getScale()).isEqualTo(5);
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999, 1.0}) {
            final double exact = values[(int) Math.ceil(q * values.length) - 1] * 1e-9;
            final double read = quantileUpperBound(p, q);
            assertThat(read).as("q%s", q).isCloseTo(exact, within(exact * 0.04));
        }
    }

    @Test
    void wideRangesAreDownscaledToFitAndKeepEveryCount() {
        final BucketHistogram h = new BucketHistogram();
        long total = 0;
        for (long v = 64; v < (1L << 40); v = v * 3 / 2 + 1) {
            h.record(v);
            total++;
        }
        final ExponentialHistogramPointData p = point(h, true, 16);
        assertThat(p.getPositiveBuckets().getBucketCounts()).hasSizeLessThanOrEqualTo(16);
        assertThat(p.getScale()).isLessThan(5);
        assertThat(p.getPositiveBuckets().getScale()).isEqualTo(p.getScale());
        assertThat(p.getCount()).isEqualTo(total);
    }

    @Test
    void emptyDistributionIsAnEmptyPoint() {
        final ExponentialHistogramPointData p = point(new BucketHistogram(), true, 320);
        assertThat(p.getCount()).isZero();
        assertThat(p.getSum()).isZero();
        assertThat(p.getPositiveBuckets().getBucketCounts()).isEmpty();
    }

    private static ExponentialHistogramPointData point(BucketHistogram h, boolean seconds, int maxBuckets) {
        final long[] counts = new long[BucketHistogram.LENGTH];
        h.readCounts(counts);
        return ExponentialHistograms.point(counts, seconds, maxBuckets, 1, 2, Attributes.empty());
    }

    /** The upper bound of the bucket holding the q-quantile, as a receiver without interpolation would read it. */
    private static double quantileUpperBound(ExponentialHistogramPointData p, double q) {
        final long rank = (long) Math.ceil(q * p.getCount());
        long seen = p.getZeroCount();
        final List<Long> counts = p.getPositiveBuckets().getBucketCounts();
        final double base = Math.pow(2, Math.pow(2, -p.getScale()));
        for (int i = 0; i < counts.size(); i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                final double upper = Math.pow(base, p.getPositiveBuckets().getOffset() + i + 1);
                final double lower = Math.pow(base, p.getPositiveBuckets().getOffset() + i);
                return Math.sqrt(upper * lower);
            }
        }
        throw new AssertionError("rank beyond count");
    }

    private static long sum(List<Long> counts) {
        return counts.stream().mapToLong(Long::longValue).sum();
    }
}
