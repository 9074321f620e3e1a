package io.hotpath.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.BucketHistogram;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PercentilesTest {
    private static final int N = 1_000_000;
    private static final double[] QUANTILES = {0.50, 0.90, 0.99, 0.999};

    /**
     * The bound the class documents, derived here independently: half a bucket (buckets are 1/32 of their lowest
     * value wide, so the middle is within 1/64 of any member), then one HdrHistogram sub-bucket at 2 significant
     * digits (2 * 10^2 rounds up to 256 sub-buckets, the upper half of which, 128, span each power of two: 1/128).
     */
    private static final double BOUND = (1 + 1.0 / 64) * (1 + 1.0 / 128) - 1;

    @Test
    void boundIsTheDocumentedOneAndWithinThreePercent() {
        assertThat(Percentiles.RELATIVE_ERROR_BOUND).isEqualTo(BOUND);
        assertThat(BOUND).isLessThanOrEqualTo(0.03);
    }

    @Test
    void lognormalLatenciesMatchExactPercentiles() {
        // Median about 50 µs, heavy right tail: a typical call-latency shape in ns.
        final SplittableRandom random = new SplittableRandom(42);
        final double errors =
                checkAgainstExact("lognormal", () -> 1 + (long) Math.exp(Math.log(50_000) + 1.0 * gaussian(random)));
        assertThat(errors).isLessThanOrEqualTo(BOUND);
    }

    @Test
    void exponentialWaitsMatchExactPercentiles() {
        final SplittableRandom random = new SplittableRandom(7);
        final double errors =
                checkAgainstExact("exponential", () -> (long) (-Math.log(1.0 - random.nextDouble()) * 200_000));
        assertThat(errors).isLessThanOrEqualTo(BOUND);
    }

    @Test
    void smallValuesAreExact() {
        final BucketHistogram h = new BucketHistogram();
        final long[] values = new long[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 64;
            h.record(values[i]);
        }
        final Percentiles p = Percentiles.of(read(h));
        Arrays.sort(values);
        assertThat(p.p50()).isEqualTo(exact(values, 0.50));
        assertThat(p.p99()).isEqualTo(exact(values, 0.99));
        assertThat(p.max()).isEqualTo(63);
        assertThat(p.count()).isEqualTo(1000);
    }

    @Test
    void sampledRecordingKeepsPercentilesOfTheWholePopulation() {
        // A stationary distribution, timed on every 16th event only (as a probe with sample mask 15 does): the
        // sampled percentiles must stay within 5% of the exact percentiles of all N values.
        final SplittableRandom random = new SplittableRandom(2024);
        final long[] all = new long[N];
        final BucketHistogram sampled = new BucketHistogram();
        for (int i = 0; i < N; i++) {
            all[i] = 1 + (long) Math.exp(Math.log(20_000) + 0.8 * gaussian(random));
            if ((i & 15) == 0) {
                sampled.record(all[i]);
            }
        }
        Arrays.sort(all);
        final Percentiles p = Percentiles.of(read(sampled));
        assertThat(p.count()).isEqualTo(N / 16);
        final long[] got = {p.p50(), p.p90(), p.p99()};
        final double[] q = {0.50, 0.90, 0.99};
        double worst = 0;
        for (int i = 0; i < q.length; i++) {
            final double err = relativeError(got[i], exact(all, q[i]));
            worst = Math.max(worst, err);
            assertThat(err).as("p%s", q[i] * 100).isLessThanOrEqualTo(0.05);
        }
        assertThat(worst).isLessThanOrEqualTo(0.05);
    }

    @Test
    void intervalIsTheHistogramOfTheSecondPhaseOnly() {
        final BucketHistogram cumulative = new BucketHistogram();
        final BucketHistogram secondOnly = new BucketHistogram();
        final SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            cumulative.record(random.nextLong(1, 5_000));
        }
        final long[] before = read(cumulative);
        for (int i = 0; i < 50_000; i++) {
            final long v = random.nextLong(10_000, 10_000_000);
            cumulative.record(v);
            secondOnly.record(v);
        }
        final long[] now = read(cumulative);

        final Percentiles interval = Percentiles.between(now, before);
        assertThat(interval).isEqualTo(Percentiles.of(read(secondOnly)));
        assertThat(interval.count()).isEqualTo(50_000);
        assertThat(interval.p50()).isGreaterThan(10_000);
        assertThat(Percentiles.between(now, null)).isEqualTo(Percentiles.of(now));
        assertThat(Percentiles.between(now, now)).isEqualTo(Percentiles.EMPTY);
    }

    @Test
    void meanIsExactFromTheSum() {
        final BucketHistogram h = new BucketHistogram();
        h.record(1);
        h.record(2);
        h.record(1_000_003);
        final Percentiles p = Percentiles.of(read(h));
        assertThat(p.sum()).isEqualTo(1_000_006);
        assertThat(p.average()).isEqualTo(1_000_006 / 3.0);
        assertThat(p.mean()).isEqualTo(333_335);
    }

    @Test
    void emptyIsAllZero() {
        assertThat(Percentiles.of(new long[BucketHistogram.LENGTH])).isEqualTo(Percentiles.EMPTY);
        assertThat(Percentiles.of(null)).isEqualTo(Percentiles.EMPTY);
        assertThat(Percentiles.EMPTY.average()).isZero();
        assertThat(Percentiles.EMPTY)
                .extracting(
                        Percentiles::count, Percentiles::mean, Percentiles::p50, Percentiles::p999, Percentiles::max)
                .containsOnly(0L);
    }

    @Test
    void percentilesNeverExceedMaxAndGrowWithRank() {
        final BucketHistogram h = new BucketHistogram();
        final SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 10_000; i++) {
            h.record(random.nextLong(0, Long.MAX_VALUE >>> random.nextInt(20, 62)));
        }
        h.record(Long.MAX_VALUE); // clamps into the last bucket
        final Percentiles p = Percentiles.of(read(h));
        assertThat(p.p50()).isLessThanOrEqualTo(p.p90());
        assertThat(p.p90()).isLessThanOrEqualTo(p.p99());
        assertThat(p.p99()).isLessThanOrEqualTo(p.p999());
        assertThat(p.p999()).isLessThanOrEqualTo(p.max());
        assertThat(p.max()).isLessThanOrEqualTo(BucketHistogram.highestValue(BucketHistogram.BUCKETS - 1));
    }

    /** Records N values into the hot structure and returns the worst relative error over p50..p99.9 and max. */
    private static double checkAgainstExact(String label, LongSupplier source) {
        final long[] values = new long[N];
        final BucketHistogram h = new BucketHistogram();
        for (int i = 0; i < N; i++) {
            values[i] = source.getAsLong();
            h.record(values[i]);
        }
        Arrays.sort(values);
        final Percentiles p = Percentiles.of(read(h));
        assertThat(p.count()).isEqualTo(N);
        long sum = 0;
        for (long v : values) {
            sum += v;
        }
        assertThat(p.sum()).isEqualTo(sum);

        final long[] got = {p.p50(), p.p90(), p.p99(), p.p999()};
        double worst = 0;
        for (int i = 0; i < QUANTILES.length; i++) {
            final long exact = exact(values, QUANTILES[i]);
            final double err = relativeError(got[i], exact);
            assertThat(err).as("%s p%s", label, QUANTILES[i] * 100).isLessThanOrEqualTo(BOUND);
            worst = Math.max(worst, err);
        }
        final long exactMax = values[N - 1];
        final double maxErr = relativeError(p.max(), exactMax);
        assertThat(maxErr).as("%s max", label).isLessThanOrEqualTo(BOUND);
        return Math.max(worst, maxErr);
    }

    /** The value at rank ceil(q * n), the same rank definition HdrHistogram uses. */
    private static long exact(long[] sorted, double q) {
        final int rank = (int) Math.max(1, Math.ceil(q * sorted.length));
        return sorted[rank - 1];
    }

    private static double relativeError(long got, long exact) {
        return Math.abs(got - exact) / (double) exact;
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller by hand, so the sequence does not depend on how a JDK implements nextGaussian.
        final double u1 = 1.0 - random.nextDouble();
        final double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    static long[] read(BucketHistogram h) {
        final long[] counts = new long[BucketHistogram.LENGTH];
        h.readCounts(counts);
        return counts;
    }
}
