package io.hotpath.bootstrap.snapshot;

import io.hotpath.bootstrap.BucketHistogram;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * Reads every registered probe into a {@link Snapshot}. Runs on the agent's own thread every tick (100 ms by default)
 * over up to a few thousand probes, so it does O(probes) plain reads and no percentile work: that waits until a
 * {@link Report} is built, usually far less often.
 *
 * <p><b>Sharing.</b> Snapshots are kept (the previous one is needed for rates), so every array in one is immutable.
 * Most probes are idle most of the time; when a probe's counters, a distribution or its gauges read the same as in the
 * previous take, the previous sample's array is reused instead of allocating a copy, and a probe whose figures all
 * read the same keeps its previous sample object. Only what moved is copied: a busy probe whose three distributions
 * all moved still costs about 28 KB per take, an idle one nothing; the take itself allocates the snapshot's list and
 * no table (the by-id buffers are swapped, and sized by the registered probes).
 *
 * <p><b>Idle distributions are not re-read every take.</b> Copying a distribution is 1185 reads, and with thousands
 * of probes those copies are nearly all of a take's cost (about 25 ms for 3000 probes with three distributions
 * each, where the counters take 1 ms). Values are recorded next to counted events (a call, a dequeue, a blocked
 * put), so a probe whose counters did not move in this take nor in the previous one (which covers a value recorded
 * just after its event was counted) keeps its previous distributions without reading them. A value recorded with no
 * counted event near it is still picked up by the next full read, every {@code fullReadEvery} takes, or as soon as
 * the probe counts anything: it lands in a later interval, never in none. {@code new SnapshotTaker(1)} reads
 * everything every take.
 *
 * <p><b>Moving distributions are read in part.</b> A busy probe's distributions move every take, and reading and
 * copying them all was most of a take's cost and nearly all of its garbage. So a take reads only what the per-tick
 * consumers need (see {@link #readEachTake}: latency, and the waits the analyzer times) and leaves the rest to the
 * full reads, and it reads a moving distribution only up to the bucket of its sum's growth
 * ({@link BucketHistogram#readCountsSince}): nothing recorded since the previous take can lie above it.
 *
 * <p>One taker belongs to one reading thread; {@link #take()} and {@link #takeFull()} are synchronized only so that a
 * stray second caller cannot corrupt the scratch buffers.
 */
public final class SnapshotTaker {
    /**
     * The order in which counters are read. Counters are read one after another while application threads keep
     * adding, so a pair can be torn. Every element taken out, removed or started was put in first, so reading the
     * "out" side before the "in" side makes a torn read overstate a depth briefly rather than make it negative:
     * OUT before STARTED (active = STARTED - OUT), and STARTED and REMOVED before IN (depth = IN - STARTED - REMOVED).
     */
    private static final int[] FIRST_READ = {Slot.OUT, Slot.STARTED, Slot.REMOVED};

    private final long[] counters = new long[Slot.COUNT];
    private final long[] buckets = new long[BucketHistogram.LENGTH];
    private final long[] gauges = new long[Gauge.COUNT];
    private final InstanceGauges instances = new InstanceGauges();

    /** How often, in takes, every distribution is read whatever the counters say: once a second at 100 ms ticks. */
    public static final int DEFAULT_FULL_READ_EVERY = 10;

    private final int fullReadEvery;

    /** Whether moving distributions are overwritten in the arrays of the previous take (see {@link #reusing()}). */
    private final boolean reuseDistributions;

    private long takes;

    /**
     * The samples of the previous take by probe id, to share unchanged arrays, and the buffer the next take fills:
     * the two are swapped every take, so a take allocates no table. Both are sized by the registered probes, not by
     * the table's capacity, and grow with them.
     */
    private ProbeSample[] previous = new ProbeSample[0];

    private ProbeSample[] current = new ProbeSample[0];

    /** By probe id: whether the counters moved in the previous take / in this one; swapped like the samples. */
    private boolean[] movedBefore = new boolean[0];

    private boolean[] moved = new boolean[0];

    /** This take's samples in id order; reused (the snapshot keeps its own copy). */
    private final ArrayList<ProbeSample> samples = new ArrayList<>();

    private boolean fullRead;

    /** The one visitor of every take: no lambda capturing the take's state is allocated. */
    private final Consumer<Probe> visitor = this::visit;

    /** Creates a taker with no history that reads every distribution every {@value #DEFAULT_FULL_READ_EVERY} takes. */
    public SnapshotTaker() {
        this(DEFAULT_FULL_READ_EVERY);
    }

    /**
     * Creates a taker with no history; its first snapshot shares nothing.
     *
     * @param fullReadEvery every how many takes to read the distributions of idle probes too; 1 reads all every take
     */
    public SnapshotTaker(int fullReadEvery) {
        this(fullReadEvery, false);
    }

    private SnapshotTaker(int fullReadEvery, boolean reuseDistributions) {
        if (fullReadEvery < 1) {
            throw new IllegalArgumentException("fullReadEvery must be at least 1: " + fullReadEvery);
        }
        this.fullReadEvery = fullReadEvery;
        this.reuseDistributions = reuseDistributions;
    }

    /**
     * A taker that reads everything every take, like {@code new SnapshotTaker(1)}, for a reader that is done with
     * each snapshot before it takes the next and keeps none (the exporter converts a snapshot into its own points):
     * a moving distribution is read into the array the previous take returned instead of into a fresh copy, so a
     * take of busy probes allocates no distribution arrays. Every earlier snapshot of this taker then reads as the
     * latest one's distributions; its counters and gauges stay as taken.
     */
    public static SnapshotTaker reusing() {
        return new SnapshotTaker(1, true);
    }

    /**
     * Reads every registered probe, in id order; every distribution only on every {@code fullReadEvery}-th take (see
     * the class comment).
     */
    public synchronized Snapshot take() {
        return take(false);
    }

    /**
     * Reads every registered probe and every distribution, whatever the take count: for a report (a summary, a dump,
     * the exit) whose intervals must hold every value recorded up to now.
     */
    public synchronized Snapshot takeFull() {
        return take(true);
    }

    private Snapshot take(boolean full) {
        final long nanoTime = System.nanoTime();
        final long epochMillis = System.currentTimeMillis();
        final boolean due = takes++ % fullReadEvery == 0;
        fullRead = full || due;
        final int live = Probes.count();
        if (current.length < live) {
            final int length = Math.max(live, current.length * 2);
            current = new ProbeSample[length];
            moved = new boolean[length];
        } else {
            Arrays.fill(current, null);
            Arrays.fill(moved, false);
        }
        samples.clear();
        Probes.forEach(visitor);
        final Snapshot snapshot = new Snapshot(nanoTime, epochMillis, samples, Probes.rejectedRegistrations());
        samples.clear();
        final ProbeSample[] filled = current;
        current = previous;
        previous = filled;
        final boolean[] movedNow = moved;
        moved = movedBefore;
        movedBefore = movedNow;
        return snapshot;
    }

    private void visit(Probe probe) {
        final ProbeSample sample = sample(probe);
        if (sample.id() < current.length) { // a probe registered since the count was read waits for the next take
            samples.add(sample);
            current[sample.id()] = sample;
        }
    }

    /**
     * Reads one probe; records in {@link #moved} whether its counters changed since the previous take. A probe whose
     * figures all read as before gets its previous sample back, so an idle probe costs a take no allocation at all.
     */
    private ProbeSample sample(Probe probe) {
        final int id = probe.id();
        final ProbeSample before = id < previous.length ? previous[id] : null;
        readCounters(probe);
        final boolean countersMoved = before == null || !Arrays.equals(before.counters(), counters);
        if (id < moved.length) {
            moved[id] = countersMoved;
        }

        long[][] dists;
        boolean distsMoved = false;
        if (before == null) {
            dists = new long[Dist.COUNT][];
            for (int d = 0; d < Dist.COUNT; d++) {
                if (probe.readDist(d, buckets)) {
                    dists[d] = buckets.clone();
                }
            }
        } else if (fullRead || countersMoved || (id < movedBefore.length && movedBefore[id])) {
            dists = before.dists();
            for (int d = 0; d < Dist.COUNT; d++) {
                final long[] was = before.dists()[d];
                // A probe's distributions are fixed at registration: the first sample holds every one it has.
                if (was == null || !(fullRead || readEachTake(probe.kind(), d))) {
                    continue;
                }
                if (probe.readDistSince(d, was, buckets)) {
                    if (reuseDistributions) {
                        System.arraycopy(buckets, 0, was, 0, buckets.length);
                        distsMoved = true;
                        continue;
                    }
                    if (!distsMoved) {
                        dists = before.dists().clone(); // the previous sample keeps its own
                        distsMoved = true;
                    }
                    dists[d] = buckets.clone();
                }
            }
        } else {
            dists = before.dists(); // idle: see the class comment
        }

        computeGauges(probe);
        final int state = probe.state();
        if (before != null
                && !countersMoved
                && !distsMoved
                && Arrays.equals(before.gauges(), gauges)
                && before.state() == state) {
            return before;
        }
        return new ProbeSample(
                probe.id(),
                probe.name(),
                probe.kind(),
                shareOrCopy(before == null ? null : before.counters(), counters),
                dists,
                shareOrCopy(before == null ? null : before.gauges(), gauges),
                state);
    }

    /**
     * Whether a moving probe's distribution is read every take, or only by the full reads: the analyzer and the
     * optimizer work per tick from latency, an executor's queue wait and the wait of a probe that saw a channel turn
     * unwritable (whose count ends unwritable episodes); sizes, and the consumers' wait on a queue, only go into
     * reports, where a second's delay moves a value into the next interval.
     */
    private boolean readEachTake(PathKind kind, int dist) {
        return dist == Dist.LATENCY
                || (dist == Dist.WAIT && (kind == PathKind.EXECUTOR || counters[Slot.UNWRITABLE] > 0));
    }

    private void readCounters(Probe probe) {
        probe.totals(FIRST_READ, counters);
    }

    private void computeGauges(Probe probe) {
        Arrays.fill(gauges, Gauge.ABSENT);
        final PathKind kind = probe.kind();
        final long in = counters[Slot.IN];
        final long out = counters[Slot.OUT];
        final long removed = counters[Slot.REMOVED];
        final long started = counters[Slot.STARTED];
        if (kind == PathKind.QUEUE) {
            gauges[Gauge.DEPTH] = Math.max(0L, in - out - removed);
        } else if (kind == PathKind.EXECUTOR) {
            gauges[Gauge.DEPTH] = Math.max(0L, in - started - removed);
            gauges[Gauge.ACTIVE] = Math.max(0L, started - out);
        }

        final Probe.InstanceGauge read = probe.instanceGauge();
        instances.reset(read == null ? null : read.reader());
        probe.forEachInstance(instances);
        // Instance counts matter for the kinds that track instances at construction; other kinds show it only if
        // something was tracked after all.
        if (kind == PathKind.QUEUE || kind == PathKind.EXECUTOR || instances.live > 0) {
            gauges[Gauge.INSTANCES] = instances.live;
        }
        if (read != null) {
            // The library's own figure, summed over the live instances, replaces what the counters would give.
            gauges[read.gauge()] = instances.read;
        }
        if (instances.pools > 0) {
            gauges[Gauge.POOL_SIZE] = instances.poolSize;
            gauges[Gauge.CORE_POOL_SIZE] = instances.corePoolSize;
            gauges[Gauge.MAX_POOL_SIZE] = instances.maxPoolSize;
        }
    }

    /** {@code previous} when it holds the same values as {@code current}, else a copy of {@code current}. */
    private static long[] shareOrCopy(long[] previous, long[] current) {
        return previous != null && Arrays.equals(previous, current) ? previous : current.clone();
    }

    /** Sums over a probe's live tracked instances; one reused visitor, so a take allocates no lambda per probe. */
    private static final class InstanceGauges implements Consumer<Object> {
        long live;
        long pools;
        long poolSize;
        long corePoolSize;
        long maxPoolSize;
        long read;
        ToLongFunction<Object> reader;

        void reset(ToLongFunction<Object> reader) {
            this.reader = reader;
            read = 0;
            live = 0;
            pools = 0;
            poolSize = 0;
            corePoolSize = 0;
            maxPoolSize = 0;
        }

        @Override
        public void accept(Object instance) {
            live++;
            if (reader != null) {
                try {
                    read += Math.max(0L, reader.applyAsLong(instance));
                } catch (RuntimeException e) {
                    // A library object in a state we did not expect reads as nothing; the rest still count.
                }
            }
            if (instance instanceof ThreadPoolExecutor pool) {
                try {
                    // getPoolSize takes the pool's main lock briefly; that is the price of an exact thread count.
                    final int size = pool.getPoolSize();
                    final int core = pool.getCorePoolSize();
                    final int max = pool.getMaximumPoolSize();
                    poolSize += size;
                    corePoolSize += core;
                    maxPoolSize += max;
                    pools++;
                } catch (RuntimeException e) {
                    // An application subclass may override these getters; one broken pool must not stop the
                    // snapshot of every other probe. It still counts as a live instance.
                }
            }
        }
    }
}
