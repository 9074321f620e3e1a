package io.hotpath.agent.operate;

import io.hotpath.agent.alert.AlertsView;
import io.hotpath.agent.analyze.AnalysisView;
import io.hotpath.bootstrap.snapshot.Snapshot;

/**
 * What the background loop hands the operator surfaces after each tick: its latest snapshot and views. The loop is
 * the only writer; a reader on any thread sees one consistent {@link Tick} through one volatile read. Publishing costs
 * the loop one small object and one release store per tick, so a request never takes a snapshot of its own (1,000
 * probes read per request would cost the host as much as a tick).
 */
public final class LiveState {
    /**
     * One tick's state.
     *
     * @param latest the newest snapshot
     * @param base the older snapshot that rates and interval percentiles run from: the first snapshot at least
     *     {@link #BASE_AGE_NANOS} older than {@code latest}, or null (then they run from the agent's start)
     * @param analysis the analyzer's view after that tick, or null when the analyzer is off
     * @param alerts the alerter's view, or null when alerts are off
     */
    public record Tick(Snapshot latest, Snapshot base, AnalysisView analysis, AlertsView alerts) {}

    /** Rates are read over at least this long (and under twice it at the default tick), not over one tick. */
    public static final long BASE_AGE_NANOS = 1_000_000_000L;

    private volatile Tick tick;
    /** Loop thread only. */
    private Snapshot previousBase;

    private Snapshot pendingBase;

    /** Called by the loop after each tick. */
    public void publish(Snapshot s, AnalysisView analysis, AlertsView alerts) {
        // base trails latest by one to two BASE_AGE_NANOS: pendingBase becomes the base once it is old enough.
        if (pendingBase == null) {
            pendingBase = s;
        } else if (s.nanoTime() - pendingBase.nanoTime() >= BASE_AGE_NANOS) {
            previousBase = pendingBase;
            pendingBase = s;
        }
        tick = new Tick(s, previousBase, analysis, alerts);
    }

    /** The latest tick, or null before the first. */
    public Tick tick() {
        return tick;
    }
}
