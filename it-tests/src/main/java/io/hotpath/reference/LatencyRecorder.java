package io.hotpath.reference;

/**
 * A small log-linear histogram of latencies in microseconds, in one {@code long[]}: exact below 64 us, then 32
 * sub-buckets per power of two (at most about 3% error), up to about 19 hours.
 *
 * <p>Single writer: each subscriber consumer thread owns one recorder and records every message it consumes (a
 * histogram bucket increment is cheaper than deciding whether to sample). Readers merge the recorders only after the
 * consumer threads are joined, so the plain array needs no synchronisation; {@link Thread#join()} is the
 * happens-before edge.
 */
public final class LatencyRecorder {
    /** Values below this are counted in their own bucket. */
    private static final int LINEAR_LIMIT = 64;

    private static final int SUB_BUCKET_BITS = 5;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;

    /** Largest recordable value (2^36 us, about 19 h); larger values are clamped to it. */
    static final long MAX_MICROS = (1L << 36) - 1;

    private static final int BUCKETS = bucketIndex(MAX_MICROS) + 1;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    /** Records one latency; negative values (a clock step) count as 0, huge ones as {@link #MAX_MICROS}. */
    public void record(long micros) {
        final long value = Math.max(0, Math.min(micros, MAX_MICROS));
        counts[bucketIndex(value)]++;
        total++;
        if (value > max) {
            max = value;
        }
    }

    /** Adds all of {@code other}'s counts to this one. */
    public void add(LatencyRecorder other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    /** Forgets every value. */
    public void clear() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        max = 0;
    }

    /** Number of recorded values. */
    public long count() {
        return total;
    }

    /** Largest recorded value, exact. */
    public long maxMicros() {
        return max;
    }

    /**
     * The value at {@code percentile} (0..100): the highest value of the bucket holding that rank, never more than
     * {@link #maxMicros()}; 0 when nothing was recorded.
     */
    public long percentileMicros(double percentile) {
        if (total == 0) {
            return 0;
        }
        final long rank = Math.max(1, (long) Math.ceil(total * percentile / 100.0));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(bucketUpperBound(i), max);
            }
        }
        return max;
    }

    static int bucketIndex(long value) {
        if (value < LINEAR_LIMIT) {
            return (int) value;
        }
        // Shift so that the top SUB_BUCKET_BITS + 1 bits remain: value >> shift is in [32, 63].
        final int shift = 63 - Long.numberOfLeadingZeros(value) - SUB_BUCKET_BITS;
        return LINEAR_LIMIT + (shift - 1) * SUB_BUCKETS + (int) ((value >> shift) - SUB_BUCKETS);
    }

    static long bucketUpperBound(int index) {
        if (index < LINEAR_LIMIT) {
            return index;
        }
        final int shift = (index - LINEAR_LIMIT) / SUB_BUCKETS + 1;
        final long subBucket = (index - LINEAR_LIMIT) % SUB_BUCKETS + SUB_BUCKETS;
        return ((subBucket + 1) << shift) - 1;
    }
}
