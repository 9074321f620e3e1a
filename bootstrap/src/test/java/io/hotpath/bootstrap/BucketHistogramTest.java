package io.hotpath.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BucketHistogramTest {
    @Test
    void bucketsAreContiguousAndEveryValueFallsInItsBucket() {
        for (int b = 0; b < BucketHistogram.BUCKETS; b++) {
            final long low = BucketHistogram.lowestValue(b);
            final long high = BucketHistogram.highestValue(b);
            assertThat(BucketHistogram.bucketOf(low)).isEqualTo(b);
            assertThat(BucketHistogram.bucketOf(high)).isEqualTo(b);
            assertThat(high).isGreaterThanOrEqualTo(low);
            if (b + 1 < BucketHistogram.BUCKETS) {
                assertThat(BucketHistogram.lowestValue(b + 1)).isEqualTo(high + 1);
            }
        }
        assertThat(BucketHistogram.lowestValue(0)).isZero();
    }

    @Test
    void bucketWidthIsAtMostOneThirtySecondOfItsValue() {
        for (int b = 64; b < BucketHistogram.BUCKETS; b++) {
            final long low = BucketHistogram.lowestValue(b);
            final long width = BucketHistogram.highestValue(b) - low + 1;
            assertThat((double) width / low).isLessThanOrEqualTo(1.0 / 32);
        }
    }

    @Test
    void recordCountsAndSumsAndClampsOutOfRange() {
        final BucketHistogram h = new BucketHistogram();
        final SplittableRandom r = new SplittableRandom(7);
        long sum = 0;
        for (int i = 0; i < 10_000; i++) {
            final long v = r.nextLong(1, 1L << 36);
            h.record(v);
            sum += v;
        }
        h.record(-5);
        h.record(Long.MAX_VALUE);
        final long[] out = new long[BucketHistogram.LENGTH];
        h.readCounts(out);
        long count = 0;
        for (int i = 0; i < BucketHistogram.BUCKETS; i++) {
            count += out[i];
        }
        assertThat(count).isEqualTo(10_002);
        assertThat(out[0]).isGreaterThanOrEqualTo(1);
        assertThat(out[BucketHistogram.BUCKETS - 1]).isGreaterThanOrEqualTo(1);
        assertThat(out[BucketHistogram.SUM_INDEX])
                .isEqualTo(sum + BucketHistogram.highestValue(BucketHistogram.BUCKETS - 1));
    }

    @Test
    void readingSinceAnEarlierCopyEqualsAFullRead() {
        final BucketHistogram h = new BucketHistogram();
        final SplittableRandom r = new SplittableRandom(11);
        long[] previous = new long[BucketHistogram.LENGTH];
        h.readCounts(previous);
        for (int round = 0; round < 500; round++) {
            // Rounds of small values, of a few large ones, of zeros only (which leave the sum unchanged) and empty.
            final int kind = round % 4;
            final int n = kind == 3 ? 0 : 1 + r.nextInt(50);
            for (int i = 0; i < n; i++) {
                h.record(kind == 0 ? r.nextLong(1_000) : kind == 1 ? r.nextLong(1L << 40) : 0);
            }
            final long[] since = new long[BucketHistogram.LENGTH];
            final long[] full = new long[BucketHistogram.LENGTH];
            final boolean changed = h.readCountsSince(previous, since);
            h.readCounts(full);
            assertThat(since).isEqualTo(full);
            assertThat(changed).isEqualTo(n > 0);
            previous = since;
        }
    }

    @Test
    void readingSinceLeavesTheBucketsAboveTheSumsGrowthAsTheyWere() {
        final BucketHistogram h = new BucketHistogram();
        h.record(1_000_000);
        final long[] previous = new long[BucketHistogram.LENGTH];
        h.readCounts(previous);
        h.record(10);
        final long[] since = new long[BucketHistogram.LENGTH];
        // The previous copy's high buckets come over unread: a marker planted there shows it.
        previous[BucketHistogram.BUCKETS - 1] = 42;
        assertThat(h.readCountsSince(previous, since)).isTrue();
        assertThat(since[BucketHistogram.BUCKETS - 1]).isEqualTo(42);
        assertThat(since[BucketHistogram.bucketOf(10)]).isEqualTo(1);
        assertThat(since[BucketHistogram.bucketOf(1_000_000)]).isEqualTo(1);
        assertThat(since[BucketHistogram.SUM_INDEX]).isEqualTo(1_000_010);
    }
}
