package io.hotpath.agent.runtime;

import io.hotpath.agent.config.OverheadLimits;
import io.hotpath.agent.log.AgentLog;
import io.hotpath.agent.telemetry.AgentEvents;
import io.hotpath.bootstrap.BucketHistogram;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.Snapshot;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * Keeps the agent inside {@code hotpath.overhead.budget}. Each new {@link SelfCost} reading (once a second) is
 * compared with the limits. Over budget, one step is taken per reading: first timings are sampled less (the sampling
 * controller's floor rises, {@link #SAMPLING_FLOORS}), then the probe whose recording cost most over the last reading
 * sheds its detail (timings and distributions), one probe per reading. Counters are never shed, so counts stay exact.
 * After {@link #RESTORE_AFTER} readings in a row under half of every limit, the last step is undone, one per
 * {@link #RESTORE_AFTER} readings: the gap between the two thresholds and the wait keep it from flapping.
 *
 * <p>Runs on the agent's background thread only.
 */
final class OverheadBudget {
    /** The sampling floors (sample masks) tried before any detail is shed, in order. */
    static final int[] SAMPLING_FLOORS = {15, 255, SamplingController.MAX_MASK};

    /** Readings in a row under half the budget before one step is undone. */
    static final int RESTORE_AFTER = 5;

    private final OverheadLimits limits;
    private final SamplingController sampling;
    private final long startNanos;
    private final ArrayDeque<Probe> shed = new ArrayDeque<>();
    private int samplingStep;
    private int calm;
    private boolean exhaustedSaid;
    private SelfCost.View lastView;
    private double[] lastCost = new double[0];
    private double[] costNow = new double[0];

    OverheadBudget(OverheadLimits limits, SamplingController sampling, long startNanos) {
        this.limits = limits;
        this.sampling = sampling;
        this.startNanos = startNanos;
    }

    /** Acts on a new self-cost reading, if {@code view} is one; every tick may call it. */
    void update(Snapshot s, SelfCost.View view) {
        if (view == null || view == lastView) {
            return;
        }
        lastView = view;
        final int capacity = Probes.capacity();
        if (lastCost.length != capacity) {
            lastCost = new double[capacity];
            costNow = new double[capacity];
        }
        for (ProbeSample p : s.probes()) {
            long operations = 0;
            for (int slot : SelfCost.OPERATION_SLOTS) {
                operations += p.counter(slot);
            }
            final double cost = operations * view.nanosPerOperation()
                    + (BucketHistogram.count(p.dist(Dist.LATENCY)) + BucketHistogram.count(p.dist(Dist.WAIT)))
                            * view.nanosPerTimedSample();
            costNow[p.id()] = Math.max(0, cost - lastCost[p.id()]);
            lastCost[p.id()] = cost;
        }
        if (s.nanoTime() - startNanos < limits.afterNanos()) {
            return;
        }
        decide(view.backgroundCores(), view.recordingShareNow(), costNow);
    }

    /**
     * One decision on one reading.
     *
     * @param background the agent's threads' CPU over the last reading, in cores
     * @param recording estimated recording time over the last reading, as a share of the application's CPU
     * @param probeCost estimated recording nanoseconds of each probe (by id) over the last reading
     */
    void decide(double background, double recording, double[] probeCost) {
        final boolean over = background > limits.backgroundCores() || recording > limits.recordingShare();
        if (over) {
            calm = 0;
            shedOne(reason(background, recording), probeCost);
            return;
        }
        final boolean under = background < limits.backgroundCores() / 2 && recording < limits.recordingShare() / 2;
        if (!under) {
            calm = 0;
            return;
        }
        if (++calm >= RESTORE_AFTER) {
            calm = 0;
            restoreOne();
        }
    }

    /** How many probes have their detail shed now. */
    int shedCount() {
        return shed.size();
    }

    /** How many sampling floors have been raised now (0 to {@code SAMPLING_FLOORS.length}). */
    int samplingStep() {
        return samplingStep;
    }

    private void shedOne(String why, double[] probeCost) {
        if (samplingStep < SAMPLING_FLOORS.length) {
            final int floor = SAMPLING_FLOORS[samplingStep++];
            sampling.floorMask(floor);
            say(
                    AgentLog.Level.WARN,
                    "sample",
                    null,
                    why,
                    "now times at most one call in " + (floor + 1) + " per probe");
            return;
        }
        final Probe worst = mostExpensive(probeCost);
        if (worst == null) {
            if (!exhaustedSaid) {
                exhaustedSaid = true;
                say(
                        AgentLog.Level.WARN,
                        "exhausted",
                        null,
                        why,
                        "has no costly detail left to shed; only counting remains");
            }
            return;
        }
        worst.detailShed(true);
        shed.push(worst);
        say(
                AgentLog.Level.WARN,
                "shed",
                worst,
                why,
                String.format(
                        Locale.ROOT,
                        "shed the timings and distributions of probe %s (~%.1f µs of recording in the last second)",
                        worst.name(),
                        worst.id() < probeCost.length ? probeCost[worst.id()] / 1e3 : 0));
    }

    private void restoreOne() {
        final String why = "back under half of its overhead budget for " + RESTORE_AFTER + " s";
        exhaustedSaid = false;
        if (!shed.isEmpty()) {
            final Probe p = shed.pop();
            p.detailShed(false);
            say(AgentLog.Level.INFO, "restore", p, why, "restored the timings and distributions of probe " + p.name());
            return;
        }
        if (samplingStep > 0) {
            samplingStep--;
            final int floor = samplingStep == 0 ? 0 : SAMPLING_FLOORS[samplingStep - 1];
            sampling.floorMask(floor);
            say(
                    AgentLog.Level.INFO,
                    "sample",
                    null,
                    why,
                    floor == 0
                            ? "times calls at the configured sampling rate again"
                            : "now times at most one call in " + (floor + 1) + " per probe");
        }
    }

    /** The probe with detail left whose recording cost most over the last reading; null when none has any left. */
    /**
     * The probe whose detail cost most in the last reading, or null. A probe that cost nothing (no call, or none
     * recorded since) is never shed: shedding it saves nothing, and would bury the probes that did cost under it in
     * the stack that restores undo last-first.
     */
    private static Probe mostExpensive(double[] probeCost) {
        final Probe[] worst = new Probe[1];
        final double[] worstCost = {0};
        Probes.forEach(p -> {
            if (p.detailShed() || p.disabled() || !hasDetail(p)) {
                return;
            }
            final double cost = p.id() < probeCost.length ? probeCost[p.id()] : 0;
            if (cost > worstCost[0]) {
                worst[0] = p;
                worstCost[0] = cost;
            }
        });
        return worst[0];
    }

    private static boolean hasDetail(Probe p) {
        for (int d = 0; d < Dist.COUNT; d++) {
            if (p.has(d)) {
                return true;
            }
        }
        return false;
    }

    private String reason(double background, double recording) {
        return String.format(
                Locale.ROOT,
                "over its overhead budget (background %.2f %% of a core, limit %s; recording %.2f %% of the"
                        + " application's CPU, limit %s)",
                background * 100,
                percent(limits.backgroundCores()),
                recording * 100,
                percent(limits.recordingShare()));
    }

    private static String percent(double limit) {
        return Double.isInfinite(limit) ? "none" : String.format(Locale.ROOT, "%.2f %%", limit * 100);
    }

    private static void say(AgentLog.Level level, String action, Probe probe, String why, String what) {
        final String line = "hotpath " + why + ": " + what;
        AgentLog.log(level, line);
        AgentEvents.overhead(action, probe, why, line, level == AgentLog.Level.WARN);
    }
}
