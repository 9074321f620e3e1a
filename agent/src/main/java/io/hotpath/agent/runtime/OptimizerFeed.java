package io.hotpath.agent.runtime;

import io.hotpath.agent.analyze.AnalysisView;
import io.hotpath.agent.analyze.detect.IntervalPercentile;
import io.hotpath.agent.analyze.finding.Finding;
import io.hotpath.agent.analyze.finding.FindingKind;
import io.hotpath.agent.analyze.health.HealthState;
import io.hotpath.agent.optimize.Optimizer;
import io.hotpath.agent.optimize.control.Window;
import io.hotpath.agent.optimize.rule.Symptom;
import io.hotpath.agent.optimize.whatif.StageFigures;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.Snapshot;
import io.hotpath.exporter.Severity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Feeds the optimizer from the cold loop: every tick it is handed the snapshot the analyzer just read and the view the
 * analyzer published; once per optimizer window ({@code hotpath.optimizer.window}, default 1 s) it turns the two
 * snapshots at the window's ends into one {@link Window} per probe, the active findings into {@link Symptom}s, and
 * calls {@link Optimizer#onWindow}. It reads nothing the analyzer does not read, and never touches the hot side.
 *
 * <p>Per probe: throughput is completions per second (dequeued, tasks finished; calls for probes that count no
 * messages); p99 comes from the bucket deltas of the latency distribution (for pools also the queue-wait one, the
 * higher of the two); overflow is refused offers, rejected tasks and partial writes per second; in-flight time is the
 * mean depth over the completion rate (Little's law); backlog is the depth at the window's end. CPU is the process's
 * share of all cores over the window.
 *
 * <p>Per probe also its {@link StageFigures}, what the optimizer's what-if estimates start from: offered and completed
 * per second, the pool's size at the window's end and its busy threads averaged over every tick of the window (the
 * pool's own active-thread count, read at each snapshot), and whether producers were held in a blocking put.
 *
 * <p>Findings become symptoms with their kind label, probe and impact; info-level findings are left out unless they
 * are {@linkplain Finding#recurring() recurring} (a bottleneck that comes back in bursts never lasts long enough to be
 * a warning, but is one the optimizer should remove). A probe that
 * carried traffic with no finding anywhere and the overall health {@code healthy} for {@link #STABLE_WINDOWS} windows
 * in a row is reported {@code stable} (the trigger of the compression rule).
 */
final class OptimizerFeed {
    /** Windows of quiet health before a path counts as stable. */
    static final int STABLE_WINDOWS = 30;

    private final Optimizer optimizer;
    private final long windowNanos;
    private final LongSupplier processCpuNanos;
    private final int cpus;
    private final IntervalPercentile scratch = new IntervalPercentile();
    private Snapshot start;
    private long startCpu = -1;
    private int quietWindows;
    /** Each probe's kind by name, from the snapshots seen: which roles a symptom on it may move. */
    private final Map<String, PathKind> kinds = new HashMap<>();
    /** By probe id: the busy-thread gauge summed over the window's ticks, and the number of ticks read. */
    private final Map<Integer, long[]> busy = new HashMap<>();

    /**
     * @param optimizer the optimizer to drive
     * @param windowNanos length of one optimizer window
     * @param processCpuNanos CPU time of the process so far (negative when not available)
     * @param cpus cores available to the process
     */
    OptimizerFeed(Optimizer optimizer, long windowNanos, LongSupplier processCpuNanos, int cpus) {
        this.optimizer = optimizer;
        this.windowNanos = windowNanos;
        this.processCpuNanos = processCpuNanos;
        this.cpus = Math.max(1, cpus);
    }

    /** The agent's feed: process CPU time read once per tick for the whole agent ({@code ProcessCpu}). */
    static OptimizerFeed of(Optimizer optimizer, long windowNanos) {
        return new OptimizerFeed(
                optimizer,
                windowNanos,
                io.hotpath.agent.analyze.jvm.ProcessCpu::nanos,
                Runtime.getRuntime().availableProcessors());
    }

    /**
     * One tick. Returns whether a window closed (and the optimizer ran).
     *
     * @param s the tick's snapshot
     * @param view the analyzer's latest view, or null when the analyzer is off (no findings, so no decisions)
     */
    boolean onTick(Snapshot s, AnalysisView view) {
        if (start == null) {
            start = s;
            startCpu = processCpuNanos.getAsLong();
            return false;
        }
        sampleBusy(s);
        if (s.nanoTime() - start.nanoTime() < windowNanos) {
            return false;
        }
        final long cpuNow = processCpuNanos.getAsLong();
        final double seconds = (s.nanoTime() - start.nanoTime()) / 1e9;
        final double cpu = cpuNow < 0 || startCpu < 0 ? Double.NaN : (cpuNow - startCpu) / (seconds * 1e9 * cpus);
        final Map<String, Window> windows = windows(start, s, Math.max(0, Math.min(1, cpu)), Double.isNaN(cpu));
        final List<Symptom> symptoms = symptoms(view, windows);
        final Map<String, StageFigures> stages = stages(start, s);
        start = s;
        startCpu = cpuNow;
        optimizer.onWindow(s.nanoTime(), windows, symptoms, stages);
        return true;
    }

    /** Adds each pool's busy threads at this tick to its window sum. */
    private void sampleBusy(Snapshot s) {
        for (ProbeSample p : s.probes()) {
            final long active = p.gauge(Gauge.ACTIVE);
            if (active != Gauge.ABSENT) {
                final long[] sum = busy.computeIfAbsent(p.id(), k -> new long[2]);
                sum[0] += Math.max(0, active);
                sum[1]++;
            }
        }
    }

    /** Each probe's stage figures over the window from {@code from} to {@code to}; resets the busy-thread sums. */
    Map<String, StageFigures> stages(Snapshot from, Snapshot to) {
        final Map<Integer, ProbeSample> before = new HashMap<>();
        for (ProbeSample p : from.probes()) {
            before.put(p.id(), p);
        }
        final double seconds = (to.nanoTime() - from.nanoTime()) / 1e9;
        final Map<String, StageFigures> out = new HashMap<>();
        for (ProbeSample now : to.probes()) {
            final ProbeSample then = before.get(now.id());
            if (then == null || seconds <= 0) {
                continue;
            }
            final long in = delta(then, now, Slot.IN);
            final long offered = in > 0
                    ? in + delta(then, now, Slot.DROPPED) + delta(then, now, Slot.CALLER_RAN)
                    : delta(then, now, Slot.CALLS);
            final long outCount = delta(then, now, Slot.OUT);
            final long completed = outCount > 0 ? outCount : delta(then, now, Slot.CALLS);
            final long size = now.gauge(Gauge.POOL_SIZE);
            final long[] sum = busy.get(now.id());
            final double meanBusy = sum == null || sum[1] == 0 ? Double.NaN : (double) sum[0] / sum[1];
            out.put(
                    now.name(),
                    new StageFigures(
                            size == Gauge.ABSENT ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.max(0, size)),
                            offered / seconds,
                            completed / seconds,
                            meanBusy,
                            delta(then, now, Slot.BLOCKED) > 0));
        }
        busy.clear();
        return out;
    }

    /** One window per probe that exists at both ends. */
    Map<String, Window> windows(Snapshot from, Snapshot to, double cpu, boolean cpuUnknown) {
        final Map<Integer, ProbeSample> before = new HashMap<>();
        for (ProbeSample p : from.probes()) {
            before.put(p.id(), p);
        }
        final double seconds = (to.nanoTime() - from.nanoTime()) / 1e9;
        final Map<String, Window> out = new LinkedHashMap<>();
        if (seconds <= 0) {
            return out;
        }
        for (ProbeSample now : to.probes()) {
            final ProbeSample then = before.get(now.id());
            if (then == null) {
                continue;
            }
            out.put(now.name(), window(then, now, seconds, cpuUnknown ? Double.NaN : cpu));
            kinds.put(now.name(), now.kind());
        }
        return out;
    }

    private Window window(ProbeSample then, ProbeSample now, double seconds, double cpu) {
        final long out = delta(then, now, Slot.OUT);
        final long calls = delta(then, now, Slot.CALLS);
        final long completed = out > 0 ? out : calls;
        final double throughput = completed / seconds;
        final double errors = delta(then, now, Slot.ERRORS) / seconds;
        final double overflow = (delta(then, now, Slot.DROPPED) + delta(then, now, Slot.PARTIAL)) / seconds;
        double p99 = p99Millis(then, now, Dist.LATENCY);
        if (now.kind() == PathKind.EXECUTOR) {
            final double wait = p99Millis(then, now, Dist.WAIT);
            if (!Double.isNaN(wait)) {
                p99 = Double.isNaN(p99) ? wait : Math.max(p99, wait);
            }
        }
        final long depthNow = now.gauge(Gauge.DEPTH);
        final long depthThen = then.gauge(Gauge.DEPTH);
        double inFlight = Double.NaN;
        if (depthNow != Gauge.ABSENT && throughput > 0) {
            final double meanDepth =
                    (Math.max(0, depthNow) + Math.max(0, depthThen == Gauge.ABSENT ? 0 : depthThen)) / 2.0;
            inFlight = meanDepth / throughput * 1000;
        }
        final double backlog = depthNow == Gauge.ABSENT ? 0 : Math.max(0, depthNow);
        return new Window(
                seconds, throughput, p99, errors, overflow, cpu, inFlight, backlog, now.kind() != PathKind.EXECUTOR);
    }

    private double p99Millis(ProbeSample then, ProbeSample now, int dist) {
        final long[] a = now.dist(dist);
        if (a == null || !scratch.compute(a, then.dist(dist), 0.99)) {
            return Double.NaN;
        }
        return scratch.percentile() / 1e6;
    }

    private static long delta(ProbeSample then, ProbeSample now, int slot) {
        return Math.max(0, now.counter(slot) - then.counter(slot));
    }

    /** The active findings above info, and the recurring info ones, as symptoms; plus {@code stable} for quiet paths. */
    List<Symptom> symptoms(AnalysisView view, Map<String, Window> windows) {
        final List<Symptom> out = new ArrayList<>();
        if (view == null) {
            return out;
        }
        boolean any = false;
        for (Finding f : view.findings()) {
            if (!f.active()) {
                continue;
            }
            any = true;
            if (f.severity() == Severity.INFO && !f.recurring()) {
                continue;
            }
            out.add(new Symptom(f.kind().label(), f.probe(), f.impact(), direction(f.kind()), kinds.get(f.probe())));
        }
        quietWindows = any || view.state() != HealthState.HEALTHY ? 0 : quietWindows + 1;
        if (quietWindows >= STABLE_WINDOWS) {
            for (Map.Entry<String, Window> e : windows.entrySet()) {
                if (e.getValue().throughput() > 0) {
                    out.add(new Symptom("stable", e.getKey(), 0.1, 1, kinds.get(e.getKey())));
                }
            }
        }
        return out;
    }

    /** Which way a finding asks the path to move: latency asks for less waiting, the flow kinds for more capacity. */
    static int direction(FindingKind kind) {
        return switch (kind) {
            case LATENCY, LATENCY_ANOMALY -> -1;
            case QUEUE_DEPTH, SATURATION, BACK_PRESSURE, THROUGHPUT, DEPTH_ANOMALY -> 1;
            default -> 0;
        };
    }
}
