package io.hotpath.agent.analyze.detect;

import io.hotpath.bootstrap.BucketHistogram;

/**
 * Cheap interval statistics straight from two cumulative bucket arrays of a {@link BucketHistogram}: count, mean and
 * one high percentile of what was recorded in between: a vectorizable sum of bucket differences up to the bucket of
 * the interval's value sum (no value can be larger), then a short walk down to the percentile; no allocation. A full HdrHistogram percentile computation costs several microseconds per distribution, too much for
 * every probe every tick.
 */
public final class IntervalPercentile {
    /** Values from here up share the last bucket. */
    private static final long MAX_TRACKED = BucketHistogram.lowestValue(BucketHistogram.BUCKETS - 1);

    /** Upper bound of every bucket's values, for the escape check of {@link #compute(long[], long[], double, int, int)}. */
    private static final long[] HIGH = highs();

    /** Values recorded in the interval. */
    private long count;

    private double mean;
    private long percentile;
    private boolean escaped;

    /**
     * Computes the statistics of {@code now - before}.
     *
     * @param now cumulative counts ({@link BucketHistogram#LENGTH} long, sum last)
     * @param before older cumulative counts of the same histogram, or null for "nothing before"
     * @param quantile 0..1, e.g. 0.99
     * @return true when the interval recorded anything
     */
    public boolean compute(long[] now, long[] before, double quantile) {
        return compute(now, before, quantile, 0);
    }

    /**
     * Like {@link #compute(long[], long[], double)}, counting only buckets from {@code from} up: a caller that knows
     * where the lowest values land (see {@link #lowestMoved}) saves reading the empty low end of both arrays. Values
     * recorded below {@code from} are left out of the count, which moves a high percentile by their share at most.
     */
    public boolean compute(long[] now, long[] before, double quantile, int from) {
        return compute(now, before, quantile, from, BucketHistogram.BUCKETS - 1);
    }

    /**
     * Like {@link #compute(long[], long[], double, int)}, reading buckets up to {@code ceiling} only, where a caller
     * expects the highest values (see {@link #highestMoved}, with a margin). The read is checked: when the interval's
     * exact value sum exceeds the most the counted buckets can hold, something landed above {@code ceiling} and the
     * buckets up to the sum's own bucket are read after all ({@link #escaped()} tells). What the check can miss is
     * less than 1% of the values when the ceiling is two powers of two above the highest value seen, so the p99 is
     * the same.
     */
    public boolean compute(long[] now, long[] before, double quantile, int from, int ceiling) {
        clear();
        escaped = false;
        if (now == null || now == before) {
            return false; // the snapshot taker reuses the array of an idle distribution
        }
        // No value recorded in the interval exceeds the sum of the values recorded in it (values are >= 0), so no
        // bucket above the sum's bucket moved: both passes stop there instead of at the last bucket.
        final long sum = now[BucketHistogram.SUM_INDEX] - (before == null ? 0 : before[BucketHistogram.SUM_INDEX]);
        final int sumTop = BucketHistogram.bucketOf(Math.max(0, Math.min(sum, MAX_TRACKED)));
        int top = Math.min(sumTop, ceiling);
        long total = 0;
        long most = 0;
        if (top < sumTop) {
            if (before == null) {
                for (int b = from; b <= top; b++) {
                    total += now[b];
                    most += now[b] * HIGH[b];
                }
            } else {
                for (int b = from; b <= top; b++) {
                    final long d = now[b] - before[b];
                    total += d;
                    most += d * HIGH[b];
                }
            }
            if (sum > most) {
                escaped = true;
                top = sumTop;
                total = 0;
            }
        }
        if (top == sumTop) {
            if (before == null) {
                for (int b = from; b <= top; b++) {
                    total += now[b];
                }
            } else {
                for (int b = from; b <= top; b++) {
                    total += now[b] - before[b]; // a plain sum the JIT vectorizes
                }
            }
        }
        if (total <= 0) {
            return false;
        }
        // Walk down from the top: the percentile sits near it.
        final long target = Math.max(1, (long) Math.ceil(quantile * total));
        long remaining = total;
        int at = from;
        for (int b = top; b >= from; b--) {
            final long d = before == null ? now[b] : now[b] - before[b];
            if (d > 0) {
                if (remaining - d < target) {
                    at = b;
                    break;
                }
                remaining -= d;
            }
        }
        count = total;
        mean = (double) sum / total;
        percentile = BucketHistogram.middleValue(at);
        return true;
    }

    /** Whether the last compute found values above its ceiling and read further. */
    public boolean escaped() {
        return escaped;
    }

    /**
     * The highest bucket that moved between the two arrays, looking no higher than the bucket of the interval's value
     * sum; -1 when none moved.
     */
    public static int highestMoved(long[] now, long[] before) {
        final long sum = now[BucketHistogram.SUM_INDEX] - (before == null ? 0 : before[BucketHistogram.SUM_INDEX]);
        for (int b = BucketHistogram.bucketOf(Math.max(0, Math.min(sum, MAX_TRACKED))); b >= 0; b--) {
            if (now[b] != (before == null ? 0 : before[b])) {
                return b;
            }
        }
        return -1;
    }

    /** The lowest bucket that moved between the two arrays, or {@link BucketHistogram#BUCKETS} when none did. */
    public static int lowestMoved(long[] now, long[] before) {
        for (int b = 0; b < BucketHistogram.BUCKETS; b++) {
            if (now[b] != (before == null ? 0 : before[b])) {
                return b;
            }
        }
        return BucketHistogram.BUCKETS;
    }

    private static long[] highs() {
        final long[] h = new long[BucketHistogram.BUCKETS];
        for (int b = 0; b < h.length; b++) {
            h[b] = BucketHistogram.highestValue(b);
        }
        return h;
    }

    private void clear() {
        count = 0;
        mean = 0;
        percentile = 0;
    }

    /** Values recorded in the interval. */
    public long count() {
        return count;
    }

    /** Mean of the values recorded in the interval. */
    public double mean() {
        return mean;
    }

    /** The requested percentile, as the middle of its bucket. */
    public long percentile() {
        return percentile;
    }
}
