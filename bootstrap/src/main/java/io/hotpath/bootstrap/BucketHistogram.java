package io.hotpath.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The hot half of a histogram: a fixed array of log-linear bucket counts that any thread can add to with one atomic
 * add, never resized, never reset. Values 0..63 have a bucket each; above that every power of two is split into 32
 * equal buckets, so a bucket is at most 1/32 of its value wide. Values from 2^41 up (about 36 minutes in ns) land in
 * the last bucket.
 *
 * <p>Percentiles, merging and interval arithmetic are done on the cold side with HdrHistogram, fed from
 * {@link #readCounts}. The hot half is not an HdrHistogram because it lives on the bootstrap class path, where every
 * class loader can see it, and because a shared {@code Recorder} is a contended phaser on every record. Readers never
 * stop writers: counts only grow, so an interval is the difference of two reads, and an add lands in exactly one
 * interval.
 */
public final class BucketHistogram {
    static final int SUB_BITS = 5;
    static final int SUB_COUNT = 1 << SUB_BITS;
    static final int LINEAR = SUB_COUNT << 1;
    static final int LINEAR_BITS = SUB_BITS + 1;
    static final int MAX_EXPONENT = 40;

    /** Number of buckets. */
    public static final int BUCKETS = LINEAR + (MAX_EXPONENT - LINEAR_BITS + 1) * SUB_COUNT;

    /** Index of the running sum of recorded values, stored after the buckets. */
    public static final int SUM_INDEX = BUCKETS;

    /** Length of the array {@link #readCounts} fills: the buckets, then the sum. */
    public static final int LENGTH = BUCKETS + 1;

    private static final long MAX_VALUE = (1L << (MAX_EXPONENT + 1)) - 1;
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] counts = new long[LENGTH];

    /** Records one value. Negative values count as 0. Wait-free, allocation-free. */
    public void record(long value) {
        final long v = value < 0 ? 0 : Math.min(value, MAX_VALUE);
        COUNTS.getAndAdd(counts, bucketOf(v), 1L);
        COUNTS.getAndAdd(counts, SUM_INDEX, v);
    }

    /**
     * Copies the current cumulative counts and sum into {@code out}, which must be {@link #LENGTH} long.
     *
     * <p>The sum is read first, with acquire semantics: {@link #record} adds to the bucket before it adds to the sum,
     * so every value the copy's sum holds is in the copy's buckets too (a value whose bucket was read but whose sum
     * was not yet added shows in the buckets only, until the next read). {@link #readCountsSince} relies on it.
     */
    public void readCounts(long[] out) {
        final long[] c = counts;
        out[SUM_INDEX] = (long) COUNTS.getAcquire(c, SUM_INDEX);
        if (Probe.PLAIN_LONG_READS) {
            // After the acquire, plain reads: see readCountsSince.
            System.arraycopy(c, 0, out, 0, BUCKETS);
        } else {
            for (int i = 0; i < BUCKETS; i++) {
                out[i] = (long) COUNTS.getOpaque(c, i);
            }
        }
    }

    /**
     * Like {@link #readCounts}, reading only the buckets that can have moved since {@code previous}, an earlier copy
     * of this histogram made by either method: no value recorded since is larger than the growth of the sum, so the
     * buckets above that growth's bucket are copied from {@code previous} instead of read. A value recorded while
     * this runs whose sum is not in this copy's sum may be missing from its buckets too; it is then in the next copy,
     * whose sum grows by at least that value. With microsecond latencies a few hundred values a tick, the read stops
     * about two thirds of the way up instead of at the last bucket.
     *
     * @return whether {@code out} differs from {@code previous}
     */
    public boolean readCountsSince(long[] previous, long[] out) {
        final long[] c = counts;
        final long sum = (long) COUNTS.getAcquire(c, SUM_INDEX);
        final long grown = sum - previous[SUM_INDEX];
        final int top = grown < 0 ? BUCKETS - 1 : bucketOf(Math.min(grown, MAX_VALUE));
        boolean changed = grown != 0;
        // The acquire read of the sum keeps the bucket reads after it. They are plain where a long read is never split
        // (Probe.PLAIN_LONG_READS): compiled that is the same load as an opaque read, but this runs for every moving
        // distribution every tick, and until it is compiled a VarHandle call per bucket costs ten times an array read.
        if (Probe.PLAIN_LONG_READS) {
            for (int i = 0; i <= top; i++) {
                final long v = c[i];
                out[i] = v;
                changed |= v != previous[i];
            }
        } else {
            for (int i = 0; i <= top; i++) {
                final long v = (long) COUNTS.getOpaque(c, i);
                out[i] = v;
                changed |= v != previous[i];
            }
        }
        System.arraycopy(previous, top + 1, out, top + 1, BUCKETS - top - 1);
        out[SUM_INDEX] = sum;
        return changed;
    }

    /** How many values a copy of the counts holds (the buckets, not the sum at {@link #SUM_INDEX}); 0 for null. */
    public static long count(long[] counts) {
        if (counts == null) {
            return 0L;
        }
        long n = 0L;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts[i];
        }
        return n;
    }

    /** The bucket a non-negative value falls in. */
    public static int bucketOf(long value) {
        if (value < LINEAR) {
            return (int) value;
        }
        final int exponent = 63 - Long.numberOfLeadingZeros(value);
        final int sub = (int) (value >>> (exponent - SUB_BITS)) & (SUB_COUNT - 1);
        return LINEAR + ((exponent - LINEAR_BITS) << SUB_BITS) + sub;
    }

    /** The smallest value that falls in {@code bucket}. */
    public static long lowestValue(int bucket) {
        if (bucket < LINEAR) {
            return bucket;
        }
        final int offset = bucket - LINEAR;
        final int exponent = (offset >>> SUB_BITS) + LINEAR_BITS;
        final long sub = offset & (SUB_COUNT - 1);
        return (SUB_COUNT + sub) << (exponent - SUB_BITS);
    }

    /** The largest value that falls in {@code bucket}. */
    public static long highestValue(int bucket) {
        return bucket + 1 < BUCKETS ? lowestValue(bucket + 1) - 1 : MAX_VALUE;
    }

    /** The value a bucket stands for when percentiles are computed: the middle of its range. */
    public static long middleValue(int bucket) {
        final long low = lowestValue(bucket);
        return low + ((highestValue(bucket) - low) >>> 1);
    }
}
