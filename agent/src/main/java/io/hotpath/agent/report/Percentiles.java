package io.hotpath.agent.report;

import io.hotpath.bootstrap.BucketHistogram;
import org.HdrHistogram.Histogram;

/**
 * Summary statistics of one distribution, computed on the cold side from the bucket counts a probe's
 * {@link BucketHistogram} exposes. All values are in the unit that was recorded (ns for latency and wait, elements or
 * bytes for sizes).
 *
 * <p><b>How values are derived.</b> Each non-empty bucket is fed to an HdrHistogram (2 significant digits) as its
 * {@link BucketHistogram#middleValue middle value} with the bucket's count; the percentiles are that histogram's
 * {@link Histogram#getValueAtPercentile} answers. Bucketing keeps the order of values, so the value at a rank falls in
 * the same bucket as the true value at that rank, and the error of any percentile is bounded by the two
 * quantizations in turn:
 *
 * <ul>
 *   <li>bucket: above 63 a bucket is 1/32 of its lowest value wide, so its middle is within 1/64 of any value in it
 *       (values 0..63 are exact);
 *   <li>HdrHistogram at 2 digits: 128 sub-buckets per power of two above 255, so the reported highest equivalent
 *       value is at most 1/128 above the middle.
 * </ul>
 *
 * Together: relative error at most {@code (1 + 1/64)(1 + 1/128) - 1}, about 2.36% ({@link #RELATIVE_ERROR_BOUND}).
 *
 * <p>{@code max} is the HdrHistogram maximum, never above the highest value the top non-empty bucket can hold: the
 * same representative as the percentiles, so {@code p999 <= max} always holds, within the same error bound of the
 * true maximum. {@code mean} is exact up to rounding: the recorded sum divided by the count. An empty distribution
 * has count 0 and every value 0.
 *
 * @param count number of recorded values
 * @param mean {@code sum / count}, rounded to the nearest integer; see {@link #average()} for the fraction
 * @param p50 median
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param p999 99.9th percentile
 * @param max largest value (to the same precision as the percentiles)
 * @param sum exact sum of the recorded values
 */
record Percentiles(long count, long mean, long p50, long p90, long p99, long p999, long max, long sum) {

    /** The statistics of a distribution with no values. */
    public static final Percentiles EMPTY = new Percentiles(0, 0, 0, 0, 0, 0, 0, 0);

    /** Significant decimal digits of the HdrHistogram the percentiles are read from. */
    public static final int SIGNIFICANT_DIGITS = 2;

    /**
     * The largest relative error of a percentile or the max against the exact value of the recorded population, as
     * derived in the class comment: half a bucket (1/64) compounded with one HdrHistogram sub-bucket (1/128).
     */
    public static final double RELATIVE_ERROR_BOUND = (1.0 + 1.0 / 64) * (1.0 + 1.0 / 128) - 1.0;

    /** The statistics of cumulative bucket counts ({@link BucketHistogram#LENGTH} long); null gives {@link #EMPTY}. */
    public static Percentiles of(long[] bucketCounts) {
        return new Calculator().between(bucketCounts, null);
    }

    /**
     * The statistics of the values recorded between two reads of the same histogram: the element-wise difference
     * {@code now - before}. {@code before} may be null (everything in {@code now}). A bucket whose difference is
     * negative (reads passed in the wrong order) counts as empty rather than as a negative population.
     */
    public static Percentiles between(long[] now, long[] before) {
        return new Calculator().between(now, before);
    }

    /** The exact arithmetic mean, {@code sum / count}; 0 when empty. */
    public double average() {
        return count == 0 ? 0.0 : (double) sum / count;
    }

    /**
     * Computes percentiles with one reused HdrHistogram, so that a report over thousands of distributions allocates
     * one counts array, not one per distribution. Not thread-safe: one per report being built.
     */
    static final class Calculator {
        private Histogram histogram;

        Percentiles between(long[] now, long[] before) {
            if (now == null) {
                return EMPTY;
            }
            long count = 0;
            int top = -1;
            for (int b = 0; b < BucketHistogram.BUCKETS; b++) {
                final long c = countIn(now, before, b);
                if (c > 0) {
                    count += c;
                    top = b;
                }
            }
            if (count == 0) {
                return EMPTY;
            }
            final long sum = Math.max(0L, countIn(now, before, BucketHistogram.SUM_INDEX));

            final Histogram h = histogram(BucketHistogram.middleValue(top));
            for (int b = 0; b <= top; b++) {
                final long c = countIn(now, before, b);
                if (c > 0) {
                    h.recordValueWithCount(BucketHistogram.middleValue(b), c);
                }
            }
            // HdrHistogram's max is the highest equivalent of the top middle value, which lies inside the top bucket
            // (its sub-buckets are narrower than half a bucket); the min only guards that reasoning.
            final long max = Math.min(BucketHistogram.highestValue(top), h.getMaxValue());
            final long mean = Math.round((double) sum / count);
            return new Percentiles(
                    count,
                    mean,
                    Math.min(max, h.getValueAtPercentile(50.0)),
                    Math.min(max, h.getValueAtPercentile(90.0)),
                    Math.min(max, h.getValueAtPercentile(99.0)),
                    Math.min(max, h.getValueAtPercentile(99.9)),
                    max,
                    sum);
        }

        private static long countIn(long[] now, long[] before, int index) {
            return before == null ? now[index] : now[index] - before[index];
        }

        /** An empty histogram that can hold {@code highest} without resizing (it still auto-resizes, to be safe). */
        private Histogram histogram(long highest) {
            final long trackable = Math.max(2L, highest);
            if (histogram == null || histogram.getHighestTrackableValue() < trackable) {
                histogram = new Histogram(1L, trackable, SIGNIFICANT_DIGITS);
                histogram.setAutoResize(true);
            } else {
                histogram.reset();
            }
            return histogram;
        }
    }
}
