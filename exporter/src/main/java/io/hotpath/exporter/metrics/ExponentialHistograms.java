package io.hotpath.exporter.metrics;

import io.hotpath.bootstrap.BucketHistogram;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * Converts the core's cumulative {@link BucketHistogram} counts into an OpenTelemetry exponential histogram point.
 *
 * <p><b>Why it is not exact, and how close it is.</b> The core splits every power of two into 32 buckets of equal
 * <em>width</em> (log-linear: {@code [2^e (1 + k/32), 2^e (1 + (k+1)/32))}); an exponential histogram of scale 5 splits
 * it into 32 buckets of equal <em>ratio</em> ({@code (2^(e + k/32), 2^(e + (k+1)/32)]}). The two grids meet only at
 * powers of two (and even there the closed ends differ: ours {@code [low, high]}, OTLP's {@code (lower, upper]}), and
 * latencies are exported in seconds, where ns powers of two are not powers of two at all. So no scale maps the buckets
 * one to one. Each core bucket's whole count goes to the exponential bucket holding its midpoint (values 0..63 are
 * exact and go where they belong; 0 goes to the zero bucket). A recorded value therefore moves by at most half a core
 * bucket (1/64 of it) and lands in a bucket 2^(1/32) - 1 = 2.2 % wide: a percentile read from the exported histogram is
 * within about 4 % of the truth at scale 5. Counts and the sum are exact.
 *
 * <p><b>Bounded size.</b> Only the populated range is sent (offset plus counts). When it spans more than {@code
 * maxBuckets} buckets the histogram is downscaled — adjacent buckets merged, scale 5 to 4 to 3 ... — until it fits, as
 * the SDK's own exponential aggregation does; each step doubles the bucket width (scale 4: 4.4 %, scale 3: 9 %).
 */
public final class ExponentialHistograms {
    /** The finest scale used: the core's resolution (1/32 of a power of two). */
    public static final int MAX_SCALE = 5;

    /** 2^scale / ln 2: {@code ceil(ln(v) * SCALE_FACTOR) - 1} is the bucket of v. Before the tables, which use it. */
    private static final double SCALE_FACTOR = Math.scalb(1.0 / Math.log(2), MAX_SCALE);

    /** Target bucket index at {@link #MAX_SCALE} of each core bucket, for values exported as they are recorded. */
    private static final int[] INDEX_AS_IS = indexes(1.0);

    /** The same for nanoseconds exported as seconds. */
    private static final int[] INDEX_NANOS_AS_SECONDS = indexes(1e-9);

    private ExponentialHistograms() {}

    /**
     * Builds one cumulative point.
     *
     * @param counts the core's counts: {@link BucketHistogram#BUCKETS} buckets, then the sum
     * @param nanosToSeconds whether values are nanoseconds to be exported in seconds (else exported as recorded)
     * @param maxBuckets the most positive buckets the point may have (at least 1)
     */
    public static ExponentialHistogramPointData point(
            long[] counts,
            boolean nanosToSeconds,
            int maxBuckets,
            long startEpochNanos,
            long epochNanos,
            Attributes attributes) {
        final int[] index = nanosToSeconds ? INDEX_NANOS_AS_SECONDS : INDEX_AS_IS;
        final long zero = counts[0];
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int b = 1; b < BucketHistogram.BUCKETS; b++) {
            if (counts[b] != 0) {
                min = Math.min(min, index[b]);
                max = Math.max(max, index[b]);
            }
        }
        final double sum = counts[BucketHistogram.SUM_INDEX] * (nanosToSeconds ? 1e-9 : 1.0);
        final int scale;
        final ExponentialHistogramBuckets positive;
        if (min > max) {
            scale = MAX_SCALE;
            positive = ExponentialHistogramBuckets.create(MAX_SCALE, 0, List.of());
        } else {
            int shift = 0;
            while ((max >> shift) - (min >> shift) + 1 > Math.max(1, maxBuckets)) {
                shift++;
            }
            final int offset = min >> shift;
            final long[] out = new long[(max >> shift) - offset + 1];
            for (int b = 1; b < BucketHistogram.BUCKETS; b++) {
                if (counts[b] != 0) {
                    // An arithmetic shift floors, which is how exponential buckets merge when the scale drops by one.
                    out[(index[b] >> shift) - offset] += counts[b];
                }
            }
            scale = MAX_SCALE - shift;
            positive = ExponentialHistogramBuckets.create(scale, offset, new LongList(out));
        }
        final ExponentialHistogramBuckets negative = ExponentialHistogramBuckets.create(scale, 0, List.of());
        return ExponentialHistogramPointData.create(
                scale,
                sum,
                zero,
                false,
                0,
                false,
                0,
                positive,
                negative,
                startEpochNanos,
                epochNanos,
                attributes,
                List.of());
    }

    /** The value a core bucket stands for: exact below 64, else the middle of its range. */
    static long representative(int bucket) {
        return bucket < 64 ? bucket : BucketHistogram.middleValue(bucket);
    }

    /**
     * The exponential bucket index of a positive value at {@link #MAX_SCALE}: bucket {@code i} holds {@code (base^i,
     * base^(i+1)]}, {@code base = 2^(1/32)}. Exact powers of two are computed exactly, as in the SDK.
     */
    static int indexOf(double value) {
        final long bits = Double.doubleToRawLongBits(value);
        if ((bits & 0x000F_FFFF_FFFF_FFFFL) == 0) {
            return (Math.getExponent(value) << MAX_SCALE) - 1;
        }
        return (int) Math.ceil(Math.log(value) * SCALE_FACTOR) - 1;
    }

    private static int[] indexes(double factor) {
        final int[] out = new int[BucketHistogram.BUCKETS];
        for (int b = 1; b < out.length; b++) {
            out[b] = indexOf(representative(b) * factor);
        }
        return out;
    }

    /** A read-only {@code List<Long>} over a {@code long[]}: boxes on access only, as the marshaller reads it. */
    static final class LongList extends AbstractList<Long> implements RandomAccess {
        private final long[] values;

        LongList(long[] values) {
            this.values = values;
        }

        @Override
        public Long get(int index) {
            return values[index];
        }

        @Override
        public int size() {
            return values.length;
        }
    }
}
