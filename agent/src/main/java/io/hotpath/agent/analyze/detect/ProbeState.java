package io.hotpath.agent.analyze.detect;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.bootstrap.snapshot.ProbeSample;

/**
 * What the analyzer keeps per probe: the cumulative counters of the last short-window's ticks in small rings (so a
 * window's totals are one subtraction), the latest gauges, this tick's latency p99 from bucket deltas, and the learned
 * baselines of latency and depth. Fixed size per probe: about {@code 10 * (short window ticks + 1)} longs plus a few
 * fields, however long the run.
 */
public final class ProbeState {
    private static final int IN = 0;
    private static final int OUT = 1;
    private static final int CALLS = 2;
    private static final int ERRORS = 3;
    private static final int DROPPED = 4;
    private static final int BLOCKED = 5;
    private static final int PARTIAL = 6;
    private static final int DEPTH = 7;
    private static final int NANOS = 8;
    private static final int CALLER_RAN = 9;
    private static final int SERIES = 10;

    final int id;
    final String name;
    final PathKind kind;

    /**
     * The rings, one row of {@link #SERIES} longs per tick ({@code rings[tick * SERIES + series]}): a tick's update
     * writes one row and reads two, a few adjacent cache lines instead of one line in each of ten arrays.
     */
    private final long[] rings;

    private final int length;
    private int head = -1;
    private int filled;
    private ProbeSample last;

    /** Per distribution: the bucket the interval sums start at, and ticks until it is re-read. */
    private final int[] lowBucket = new int[2];

    private final int[] lowRefresh = new int[2];

    /** Per distribution: the highest bucket read (two powers of two above the highest value seen at the refresh). */
    private final int[] highBucket = new int[2];

    private static final int REFRESH_TICKS = 10;

    // This tick's window figures, valid after update().
    double windowSeconds;
    long inW;
    long outW;
    long callsW;
    long errorsW;
    long droppedW;
    long blockedW;
    long partialW;
    /** Tasks a pool refused and its caller-runs policy ran on the submitting thread. */
    long callerRanW;
    /** Dropped + blocked + partial + caller-ran in the last tick alone. */
    long pressureTick;
    /** Errors in the last tick alone. */
    long errorsTick;

    /**
     * Channels unwritable at this tick (Netty): times a channel turned unwritable minus unwritable episodes that ended
     * (the {@code wait} distribution's count); 0 for probes that never saw one.
     */
    long unwritableOpen;
    /** One bit per tick, newest lowest: a channel was unwritable at that tick or turned unwritable during it. */
    long unwritableBits;

    private long unwritableSeen;
    private long unwritableEnded;
    private long[] unwritableEndedFrom;
    /** Episodes taken as never ending: a channel closed while unwritable, or an episode whose start was not kept. */
    private long unwritableLeaked;
    /** When {@link #unwritableOpen} last changed. */
    private long unwritableChangedNanos;

    long depth = Gauge.ABSENT;
    long depthAtWindowStart;
    long active = Gauge.ABSENT;
    long poolSize = Gauge.ABSENT;

    /** p99 latency of this tick (ns), or -1 when it timed nothing. */
    long latencyP99 = -1;
    /** Values behind {@link #latencyP99}. */
    long latencyCount;
    /** Whether this tick timed anything. */
    boolean latencyFresh;

    // Baselines and their confirmation state, used by AnomalyDetector.
    final Baseline latencyBaseline;
    final Baseline depthBaseline;
    long latencyAnomalyBits;
    long depthAnomalyBits;
    double latencyMedium = Double.NaN;
    double depthMedium = Double.NaN;
    /** Completions per second, smoothed over the long window: the traffic this probe normally carries. */
    double outRateLong = Double.NaN;

    public ProbeState(ProbeSample first, int shortTicks, double longAlpha) {
        this.id = first.id();
        this.name = first.name();
        this.kind = first.kind();
        this.length = Math.min(63, shortTicks) + 1;
        this.rings = new long[SERIES * length];
        // Latency in log space: a doubling is the same step at 1 us as at 100 ms. Floor: a 15% change.
        this.latencyBaseline = new Baseline(longAlpha, 0.15, 0, 30);
        this.depthBaseline = new Baseline(longAlpha, 10, 0.1, 30);
    }

    /** Ticks the window spans; at most the short window. */
    int windowTicks() {
        return Math.max(0, Math.min(filled, length) - 1);
    }

    /** Reads one sample into the rings and computes the window figures and this tick's p99. */
    public void update(ProbeSample s, long nanoTime, IntervalPercentile scratch, double longAlpha) {
        head = (head + 1) % length;
        final long[] c = s.counters();
        put(IN, c[Slot.IN]);
        put(OUT, c[Slot.OUT]);
        put(CALLS, c[Slot.CALLS]);
        put(ERRORS, c[Slot.ERRORS]);
        put(DROPPED, c[Slot.DROPPED]);
        put(BLOCKED, c[Slot.BLOCKED]);
        put(PARTIAL, c[Slot.PARTIAL]);
        put(CALLER_RAN, c[Slot.CALLER_RAN]);
        depth = s.gauge(Gauge.DEPTH);
        put(DEPTH, Math.max(0, depth));
        put(NANOS, nanoTime);
        filled = Math.min(filled + 1, length);

        final int oldest = filled < length ? 0 : (head + 1) % length;
        windowSeconds = (nanoTime - rings[oldest * SERIES + NANOS]) / 1e9;
        inW = delta(IN, oldest);
        outW = delta(OUT, oldest);
        callsW = delta(CALLS, oldest);
        errorsW = delta(ERRORS, oldest);
        droppedW = delta(DROPPED, oldest);
        blockedW = delta(BLOCKED, oldest);
        partialW = delta(PARTIAL, oldest);
        callerRanW = delta(CALLER_RAN, oldest);
        depthAtWindowStart = rings[oldest * SERIES + DEPTH];
        final int previous = filled < 2 ? head : (head - 1 + length) % length;
        pressureTick = delta(DROPPED, previous)
                + delta(BLOCKED, previous)
                + delta(PARTIAL, previous)
                + delta(CALLER_RAN, previous);
        errorsTick = delta(ERRORS, previous);
        active = s.gauge(Gauge.ACTIVE);
        poolSize = s.gauge(Gauge.POOL_SIZE);

        unwritable(s, nanoTime);
        latency(s, scratch);
        if (windowSeconds > 0 && filled == length) {
            final double outRate = outW / windowSeconds;
            outRateLong = Double.isNaN(outRateLong) ? outRate : outRateLong + longAlpha * (outRate - outRateLong);
        }
        last = s;
    }

    /** How long open episodes may stay unchanged before they are taken as leaked. */
    static final long UNWRITABLE_LEAK_NANOS = 30_000_000_000L;

    private void unwritable(ProbeSample s, long nanoTime) {
        final long turned = s.counter(Slot.UNWRITABLE);
        if (turned == 0) {
            return; // nearly every probe: nothing to read
        }
        final long[] wait = s.dist(Dist.WAIT);
        // The ended episodes are counted only when the distribution moved (the snapshot reuses an idle one's array).
        if (wait != null && wait != unwritableEndedFrom) {
            long ended = 0;
            for (int i = 0; i < io.hotpath.bootstrap.BucketHistogram.BUCKETS; i++) {
                ended += wait[i];
            }
            unwritableEnded = ended;
            unwritableEndedFrom = wait;
        }
        final long open = Math.max(0, turned - unwritableEnded - unwritableLeaked);
        if (open != unwritableOpen || turned != unwritableSeen) {
            unwritableChangedNanos = nanoTime;
        } else if (open > 0 && nanoTime - unwritableChangedNanos >= UNWRITABLE_LEAK_NANOS) {
            // Nothing turned unwritable or writable for that long: a channel closed while unwritable (Netty does not
            // always end the episode) must not read as back-pressure forever. A channel really stuck that long
            // carries no traffic, and the stage writing to it shows up as saturated or blocked instead.
            unwritableLeaked += open;
            unwritableChangedNanos = nanoTime;
        }
        unwritableOpen = Math.max(0, turned - unwritableEnded - unwritableLeaked);
        final boolean now = unwritableOpen > 0 || turned > unwritableSeen;
        unwritableSeen = turned;
        unwritableBits = (unwritableBits << 1) | (now ? 1 : 0);
    }

    /** Share of the window's ticks in which a channel was unwritable. */
    double unwritableShare() {
        final int n = Math.max(1, windowTicks());
        final long mask = n >= 64 ? -1L : (1L << n) - 1;
        return Long.bitCount(unwritableBits & mask) / (double) n;
    }

    private void latency(ProbeSample s, IntervalPercentile scratch) {
        long p99 = -1;
        long count = 0;
        // Queues: only the producers' blocked time; their "wait" is consumers idling on an empty queue, which is good.
        final int dists = kind == PathKind.EXECUTOR ? 2 : 1;
        for (int d = Dist.LATENCY; d < dists; d++) {
            final long[] now = s.dist(d);
            final long[] before = last == null ? null : last.dist(d);
            if (now == null || now == before) {
                continue;
            }
            // Where the lowest values land is re-read every REFRESH_TICKS ticks; in between the sum starts one power
            // of two below it, which skips the empty low end of both arrays (the sum is memory-bound).
            // Likewise the highest: between refreshes the sum stops two powers of two above it, checked against the
            // interval's exact value sum (a latency step above it is seen at once and triggers a refresh).
            if (--lowRefresh[d] <= 0) {
                lowRefresh[d] = REFRESH_TICKS;
                lowBucket[d] = Math.max(0, IntervalPercentile.lowestMoved(now, before) - 32);
                highBucket[d] = Math.min(
                        io.hotpath.bootstrap.BucketHistogram.BUCKETS - 1,
                        Math.max(lowBucket[d], IntervalPercentile.highestMoved(now, before)) + 64);
            }
            final boolean computed = scratch.compute(
                    now,
                    before,
                    0.99,
                    Math.min(lowBucket[d], io.hotpath.bootstrap.BucketHistogram.BUCKETS - 1),
                    highBucket[d]);
            if (scratch.escaped()) {
                lowRefresh[d] = 0; // re-read both ends next tick
            }
            if (computed) {
                p99 = Math.max(p99, scratch.percentile());
                count += scratch.count();
            }
        }
        // No carrying forward of an old value: a probe timed once a second would otherwise turn one slow call into a
        // condition that holds for many ticks.
        latencyFresh = p99 >= 0;
        latencyP99 = p99;
        latencyCount = count;
    }

    private void put(int series, long value) {
        rings[head * SERIES + series] = value;
    }

    private long delta(int series, int oldest) {
        return Math.max(0, rings[head * SERIES + series] - rings[oldest * SERIES + series]);
    }

    /** Arrivals in the window: messages queued, tasks accepted, messages sent; calls for probes that count no messages. */
    long arrivalsW() {
        return inW > 0 ? inW : callsW;
    }

    /** Dropped, blocked, partial and caller-ran in the window: every way an arrival met back-pressure. */
    long pressureW() {
        return droppedW + blockedW + partialW + callerRanW;
    }

    /**
     * What was offered in the window, the base of every back-pressure share: accepted plus refused ({@code in}
     * counts only what got in, so a refused offer, a rejected or caller-run task is added to it). Probes that count
     * no messages offer their calls, which already include the refused ones; an Aeron publication counts only its
     * refusals, so they are all that is known to have been offered. Blocked producers and partial writes got in
     * eventually and are in {@code in} or {@code calls} already.
     */
    long offeredW() {
        final long offered = inW > 0 ? inW + droppedW + callerRanW : callsW;
        return Math.max(offered, pressureW());
    }

    /** Pushed-back share of what was offered in the window, 0 when nothing was; never above 1 by construction. */
    double pushedBackShare() {
        final long offered = offeredW();
        return offered > 0 ? (double) pressureW() / offered : 0;
    }

    /** The pool whose own work queue this queue is ({@link WorkQueues}), or null. */
    ProbeState pool;

    /** This pool's own work queue when it is a probe too ({@link WorkQueues}), or null. */
    ProbeState workQueue;

    /**
     * The pool this probe is the work queue of, or null. Such a queue is not judged on its own: the pool's findings
     * cover it and carry its figures.
     */
    public ProbeState workQueueOf() {
        return pool;
    }

    /** Per second over the window. */
    double rate(long windowCount) {
        return windowSeconds > 0 ? windowCount / windowSeconds : 0;
    }
}
