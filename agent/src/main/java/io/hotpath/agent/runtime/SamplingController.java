package io.hotpath.agent.runtime;

import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.Snapshot;

/**
 * Keeps timing cost flat as probes heat up. Every call is counted, but only one in 2^k is timed, with k chosen per
 * probe from its smoothed call rate so that about {@code targetPerSecond} calls a second are timed: a probe called
 * less often than that times every call, one called a million times a second times one in 1024. The timed calls
 * are spread evenly over the calls (every 2^k-th per stripe), so percentiles stay unbiased.
 *
 * <p>The rate is that of whichever counter the probe's timing ticks ({@link Probe#tick}): calls for most probes, tasks
 * started for executors, messages in for a Netty outbound buffer, non-empty polls for an Aeron subscription. The busiest of {@link #TICKED} is taken, so a probe
 * adapts whatever slot it samples on; a probe that ticks two of them is timed at most twice the target.
 */
final class SamplingController {
    static final int MAX_MASK = (1 << 12) - 1;

    /**
     * The counters {@link Probe#tick} (or {@link Probe#countSampled}) is called with; the sample mask follows the
     * busiest. A refused Aeron offer counts on {@code dropped} (back-pressured) or {@code not_connected} and decides by
     * the mask whether to learn a pipeline edge: without those here, a publication refusing millions of offers a second
     * from a spinning publisher kept the mask of an idle probe and learned an edge on every refusal.
     */
    static final int[] TICKED = {
        Slot.CALLS, Slot.IN, Slot.OUT, Slot.STARTED, Slot.BATCHES, Slot.DROPPED, Slot.NOT_CONNECTED
    };

    private final double targetPerSecond;
    private double[] smoothedRate = new double[0];
    private long[] lastEvents = new long[0];
    /** By probe id: the sample the previous update read, to tell a probe that counted nothing since. */
    private ProbeSample[] lastSamples = new ProbeSample[0];

    private long lastNanos;
    /** The smallest mask any probe gets: raised by the overhead budget to time fewer calls everywhere. */
    private int floorMask;

    SamplingController(int targetPerSecond) {
        this.targetPerSecond = targetPerSecond;
    }

    /** Updates every probe's sample mask from a new snapshot. */
    void update(Snapshot s) {
        final int capacity = Probes.capacity();
        if (smoothedRate.length != capacity) {
            smoothedRate = new double[capacity];
            lastEvents = new long[capacity * TICKED.length];
            lastSamples = new ProbeSample[capacity];
        }
        final double seconds = lastNanos == 0 ? 0 : (s.nanoTime() - lastNanos) / 1e9;
        lastNanos = s.nanoTime();
        for (ProbeSample p : s.probes()) {
            final int id = p.id();
            if (p == lastSamples[id] && smoothedRate[id] <= targetPerSecond) {
                // The snapshot hands back the same sample only when no counter moved: no events this tick, and a
                // rate at or under the target asks for no mask above the floor however it decays. Most probes of a
                // process are idle, and this runs every tick, mostly before the JIT has compiled it.
                if (seconds > 0) {
                    smoothedRate[id] *= 0.8;
                    final Probe probe = Probes.get(id);
                    if (probe.sampleMask() != floorMask) {
                        probe.sampleMask(floorMask);
                    }
                }
                continue;
            }
            lastSamples[id] = p;
            final long[] counters = p.counters();
            long events = 0L;
            for (int t = 0; t < TICKED.length; t++) {
                final int at = id * TICKED.length + t;
                events = Math.max(events, counters[TICKED[t]] - lastEvents[at]);
                lastEvents[at] = counters[TICKED[t]];
            }
            if (seconds > 0) {
                final double rate = events / seconds;
                // Smooth over about a second of ticks, but follow a rise at once so a burst is not over-timed.
                smoothedRate[id] = rate > smoothedRate[id] ? rate : smoothedRate[id] * 0.8 + rate * 0.2;
                final Probe probe = Probes.get(id);
                final int mask = Math.max(floorMask, maskFor(smoothedRate[id], targetPerSecond));
                if (probe.sampleMask() != mask) {
                    probe.sampleMask(mask);
                }
            }
        }
    }

    /** Sets the smallest sample mask (2^k - 1) for every probe from the next update on; 0 lifts the floor. */
    void floorMask(int mask) {
        this.floorMask = Math.min(MAX_MASK, mask);
    }

    /** The smallest sample mask any probe gets now. */
    int floorMask() {
        return floorMask;
    }

    /**
     * The rate a probe is assumed to be called at before its first tick: 64 times the default target, so that with
     * the default target a new probe starts at {@link Probe#INITIAL_SAMPLE_MASK} (one call in 64), and with a target
     * of this rate or more it times every call from the first.
     */
    static final double ASSUMED_FIRST_RATE = 64_000;

    /** The mask a new probe starts with under a target of {@code targetPerSecond} timed calls a second. */
    static int initialMask(int targetPerSecond) {
        return maskFor(ASSUMED_FIRST_RATE, targetPerSecond);
    }

    /** The mask (2^k - 1) that times about {@code target} of {@code rate} calls per second. */
    static int maskFor(double rate, double target) {
        if (rate <= target) {
            return 0;
        }
        final long ratio = (long) Math.ceil(rate / target);
        final long pow2 = Long.highestOneBit(ratio - 1) << 1;
        return (int) Math.min(MAX_MASK, pow2 - 1);
    }
}
