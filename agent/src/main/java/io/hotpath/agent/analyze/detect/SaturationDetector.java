package io.hotpath.agent.analyze.detect;

import io.hotpath.agent.analyze.AnalyzerConfig;
import io.hotpath.agent.analyze.finding.Evidence;
import io.hotpath.agent.analyze.finding.FindingKind;
import io.hotpath.agent.analyze.finding.Observation;
import io.hotpath.agent.report.Units;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.exporter.Severity;
import java.util.List;

/**
 * A stage that cannot keep up. Three signs, any one is enough for the tick:
 *
 * <ul>
 *   <li>growth: over the short window arrivals exceed completions by at least 5% and the depth grew, with at least
 *       {@code saturation.min-depth} waiting (Little's law: the time an element waits, depth / drain rate, grows
 *       without bound);
 *   <li>full: at least {@code saturation.min-depth} waiting and at least {@code back-pressure.warning} of the window's
 *       arrivals met back-pressure, some this tick (producers blocked, offers refused): the stage is at its bound and
 *       pushes back;
 *   <li>busy pool: at least {@code saturation.busy} of a pool's threads run tasks while tasks wait in its queue.
 * </ul>
 */
public final class SaturationDetector implements ProbeDetector {
    /** Smallest share of arrivals not completed in the window for growth to count. */
    static final double MIN_DEFICIT = 0.05;

    @Override
    public void detect(ProbeState p, AnalyzerConfig c, List<Observation> out) {
        if (p.depth == io.hotpath.bootstrap.snapshot.Gauge.ABSENT || p.windowTicks() < 1) {
            return;
        }
        final double inRate = p.rate(p.inW);
        final double outRate = p.rate(p.outW);
        final long growth = p.depth - p.depthAtWindowStart;
        final boolean deep = p.depth >= c.saturationMinDepth();
        final double pushedBack = p.pushedBackShare(); // of what was offered: accepted plus refused
        // A deficit of a few per cent is noise of a busy machine, not a stage that cannot keep up.
        final boolean growing = deep && growth > 0 && p.inW - p.outW >= Math.max(1, MIN_DEFICIT * p.inW);
        final boolean full = deep && p.pressureTick > 0 && pushedBack >= c.backPressureWarning();
        double busy = 0;
        boolean busyPool = false;
        if (p.kind == PathKind.EXECUTOR && p.poolSize > 0 && p.active >= 0) {
            busy = Math.min(1.0, (double) p.active / p.poolSize);
            busyPool = busy >= c.saturationBusy() && p.depth > 0;
        }
        if (!growing && !full && !busyPool) {
            return;
        }
        final double deficit = p.inW > 0 ? Math.max(0, (double) (p.inW - p.outW) / p.inW) : 0;
        final double impact = Evidence.clamp01(Math.max(0.5, Math.max(deficit, Math.max(pushedBack, busy))));
        final boolean critical =
                deficit >= 0.5 || pushedBack >= c.backPressureCritical() || p.depth >= c.depthCritical();
        // Little's law: the time an element now spends waiting here is depth / drain rate.
        final double waitSeconds = outRate > 0 ? p.depth / outRate : Double.POSITIVE_INFINITY;
        final Evidence e = new Evidence()
                .put("in_per_s", inRate)
                .put("out_per_s", outRate)
                .put("depth", p.depth)
                .put("depth_growth_per_s", p.windowSeconds > 0 ? growth / p.windowSeconds : 0)
                .put("pushed_back_share", pushedBack)
                .put("wait_s", Double.isFinite(waitSeconds) ? waitSeconds : 0);
        if (p.kind == PathKind.EXECUTOR) {
            e.put("busy_share", busy).put("active", p.active).put("pool_size", p.poolSize);
        }
        final String workQueue = WorkQueueEvidence.add(p, e);
        WhatIfEvidence.pool(p, e);
        final String why;
        if (busyPool) {
            why = p.active + " of " + p.poolSize + " threads busy, " + p.depth + " tasks waiting";
        } else if (growing) {
            why = "arrivals " + Units.rate(inRate) + "/s > drain " + Units.rate(outRate) + "/s, depth +"
                    + Units.rate(Math.max(0, growth / Math.max(1e-9, p.windowSeconds))) + "/s";
        } else {
            why = p.depth + " waiting and " + Units.rate(p.rate(p.pressureW())) + "/s arrivals pushed back";
        }
        out.add(new Observation(
                FindingKind.SATURATION,
                p.name,
                critical ? Severity.CRITICAL : Severity.WARNING,
                impact,
                growing || busyPool ? 0.9 : 0.8,
                e.map(),
                p.name + " is saturated: " + why + workQueue,
                p.kind == PathKind.EXECUTOR
                        ? "raise the core/maximum pool size of " + p.name + " (or shorten its tasks)"
                        : "add consumers or raise the drain batch size of " + p.name + "; its consumer is the"
                                + " bottleneck"));
    }
}
