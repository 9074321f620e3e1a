package io.hotpath.benchmarks;

import io.hotpath.bootstrap.BucketHistogram;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The recording core alone, no agent: what one call into a {@link Probe} or {@link BucketHistogram} costs the calling
 * thread. Every benchmark hands exactly one value to the blackhole, and each has a {@code baseline*} twin that does
 * the same selection and blackhole work without recording, so "added ns" is the difference of the two.
 *
 * <p>Two-thread variants ({@code *2Threads}) have both threads record into the <em>same</em> probe or histogram: the
 * probe's counters are striped by thread, the histogram's buckets and its sum are not.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CoreBenchmark {
    /** Probes in the round-robin benchmarks; a power of two so the index is a mask. */
    public static final int PROBES = 64;

    /** Sample mask a hot probe uses: time one call in 1024. */
    public static final int SAMPLED_MASK = 1023;

    private static final int VALUES = 1024;

    Probe counted;
    Probe timedEveryCall;
    Probe sampled;
    Probe[] many;
    BucketHistogram histogram;
    long[] values;

    @Setup(Level.Trial)
    public void register() {
        final int latency = Dist.bit(Dist.LATENCY);
        counted = Probes.register("bench.count", PathKind.METHOD, latency);
        timedEveryCall = Probes.register("bench.timed", PathKind.METHOD, latency);
        timedEveryCall.sampleMask(0);
        sampled = Probes.register("bench.sampled", PathKind.METHOD, latency);
        sampled.sampleMask(SAMPLED_MASK);
        many = new Probe[PROBES];
        for (int i = 0; i < PROBES; i++) {
            many[i] = Probes.register("bench.many." + i, PathKind.METHOD, latency);
        }
        histogram = new BucketHistogram();
        // Latency-like values spread over 10 ns .. ~10 ms on a log scale, so record() visits many buckets.
        final SplittableRandom random = new SplittableRandom(42);
        values = new long[VALUES];
        for (int i = 0; i < VALUES; i++) {
            values[i] = (long) Math.pow(10, 1 + 5 * random.nextDouble());
        }
        // Something for the snapshot benchmarks to read.
        for (int i = 0; i < VALUES; i++) {
            timedEveryCall.record(Dist.LATENCY, values[i]);
        }
    }

    /**
     * A plain {@link AtomicLong} owned by one thread: the reference for what any uncontended atomic add costs on this
     * machine, with one thread and with two threads each adding to their own (padded, far apart) counter. On a VM
     * whose two vCPUs share a physical core, the two-thread figure is higher even though nothing is shared.
     */
    @State(Scope.Thread)
    public static class OwnCounter {
        final AtomicLong value = new AtomicLong();
    }

    /** Per-thread cursor over {@link #many} and {@link #values}, and the snapshot targets. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
        final long[] counters = new long[Slot.COUNT];
        final long[] dist = new long[BucketHistogram.LENGTH];

        int next(int mask) {
            return next++ & mask;
        }
    }

    // ------------------------------------------------------------------ baselines

    @Benchmark
    public void baseline(Blackhole bh) {
        bh.consume(counted);
    }

    @Benchmark
    @Threads(2)
    public void baseline2Threads(Blackhole bh) {
        bh.consume(counted);
    }

    @Benchmark
    public void baselineRoundRobin64(Cursor c, Blackhole bh) {
        bh.consume(many[c.next(PROBES - 1)]);
    }

    @Benchmark
    public void baselineValue(Cursor c, Blackhole bh) {
        bh.consume(values[c.next(VALUES - 1)]);
    }

    @Benchmark
    @Threads(2)
    public void baselineValue2Threads(Cursor c, Blackhole bh) {
        bh.consume(values[c.next(VALUES - 1)]);
    }

    // ------------------------------------------------------------------ machine reference

    @Benchmark
    public void referenceAtomic(OwnCounter c, Blackhole bh) {
        final AtomicLong v = c.value;
        v.getAndIncrement();
        bh.consume(v);
    }

    @Benchmark
    @Threads(2)
    public void referenceAtomic2Threads(OwnCounter c, Blackhole bh) {
        final AtomicLong v = c.value;
        v.getAndIncrement();
        bh.consume(v);
    }

    // ------------------------------------------------------------------ counting

    @Benchmark
    public void count(Blackhole bh) {
        final Probe p = counted;
        p.increment(Slot.CALLS);
        bh.consume(p);
    }

    @Benchmark
    @Threads(2)
    public void count2Threads(Blackhole bh) {
        final Probe p = counted;
        p.increment(Slot.CALLS);
        bh.consume(p);
    }

    @Benchmark
    public void countRoundRobin64(Cursor c, Blackhole bh) {
        final Probe p = many[c.next(PROBES - 1)];
        p.increment(Slot.CALLS);
        bh.consume(p);
    }

    // ------------------------------------------------------------------ timing (tick + end)

    /** Mask 0: every call is counted and timed (two nanoTime calls and a histogram record). */
    @Benchmark
    public void timeEveryCall(Blackhole bh) {
        final Probe p = timedEveryCall;
        final long start = p.begin();
        bh.consume(start);
        p.end(start);
    }

    /** Mask 1023: every call is counted, one in 1024 per stripe is timed. */
    @Benchmark
    public void timeSampled(Blackhole bh) {
        final Probe p = sampled;
        final long start = p.begin();
        bh.consume(start);
        p.end(start);
    }

    @Benchmark
    @Threads(2)
    public void timeSampled2Threads(Blackhole bh) {
        final Probe p = sampled;
        final long start = p.begin();
        bh.consume(start);
        p.end(start);
    }

    // ------------------------------------------------------------------ histogram

    @Benchmark
    public void histogramRecord(Cursor c, Blackhole bh) {
        final long v = values[c.next(VALUES - 1)];
        histogram.record(v);
        bh.consume(v);
    }

    @Benchmark
    @Threads(2)
    public void histogramRecord2Threads(Cursor c, Blackhole bh) {
        final long v = values[c.next(VALUES - 1)];
        histogram.record(v);
        bh.consume(v);
    }

    // ------------------------------------------------------------------ snapshots (cold side)

    @Benchmark
    public void readCounters(Cursor c, Blackhole bh) {
        counted.readCounters(c.counters);
        bh.consume(c.counters);
    }

    @Benchmark
    public void readDist(Cursor c, Blackhole bh) {
        bh.consume(timedEveryCall.readDist(Dist.LATENCY, c.dist));
    }
}
