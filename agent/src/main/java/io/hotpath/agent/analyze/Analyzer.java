package io.hotpath.agent.analyze;

import io.hotpath.agent.analyze.detect.AnomalyDetector;
import io.hotpath.agent.analyze.detect.BackPressureDetector;
import io.hotpath.agent.analyze.detect.IntervalPercentile;
import io.hotpath.agent.analyze.detect.ProbeDetector;
import io.hotpath.agent.analyze.detect.ProbeState;
import io.hotpath.agent.analyze.detect.SaturationDetector;
import io.hotpath.agent.analyze.detect.ThresholdDetector;
import io.hotpath.agent.analyze.detect.WorkQueues;
import io.hotpath.agent.analyze.finding.Finding;
import io.hotpath.agent.analyze.finding.FindingKind;
import io.hotpath.agent.analyze.finding.Observation;
import io.hotpath.agent.analyze.health.Health;
import io.hotpath.agent.analyze.health.HealthState;
import io.hotpath.agent.analyze.jvm.JvmDetector;
import io.hotpath.agent.analyze.jvm.JvmSource;
import io.hotpath.agent.analyze.jvm.MxJvmSource;
import io.hotpath.agent.config.Config;
import io.hotpath.agent.config.Settings;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.Snapshot;
import io.hotpath.exporter.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The background bottleneck analyzer. The agent's cold loop calls {@link #onSnapshot} once per tick with the snapshot
 * it took, on its own daemon thread; the analyzer never touches the hot side. Per tick it updates each probe's window
 * (rings of cumulative counters, one p99 from bucket deltas, only for distributions that moved), runs the detectors,
 * confirms observations into findings ({@link FindingTracker}), links findings that share a root cause, scores health
 * and publishes an immutable {@link AnalysisView}. Memory is fixed per probe plus at most {@code findings.max}
 * findings.
 *
 * <p>Root cause: when findings of the flow kinds (saturation, back-pressure, depth, latency, throughput, anomalies) at
 * warning or above sit on two or more probes, the root is the saturation or back-pressure finding seen first —
 * back-pressure travels upstream one stage at a time, so the stage that filled up first is the one whose slowness the
 * others inherit — with ties going to the stage whose producers block, then to pools. A JVM finding (GC, locks, CPU)
 * at warning or above that was seen no later than one second after it is the root instead: it slows every stage. The
 * other flow findings on other probes are linked to the root and carry half their impact.
 */
public final class Analyzer {
    /**
     * Its thresholds are changeable at run time ({@link #thresholds}); the windows, tick and finding limits stay those
     * of the start (the tracker and the smoothing were built from them).
     */
    private volatile AnalyzerConfig config;

    private final ProbeDetector[] detectors = {
        new ThresholdDetector(), new SaturationDetector(), new BackPressureDetector(), new AnomalyDetector()
    };
    private final JvmDetector jvm;
    private final FindingTracker tracker;
    private final WorkQueues workQueues = new WorkQueues();
    private final IntervalPercentile scratch = new IntervalPercentile();
    private final List<Observation> observations = new ArrayList<>();
    private final double longAlpha;
    private ProbeState[] states = new ProbeState[64];
    private long lastNanoTime;
    private volatile AnalysisView view = AnalysisView.empty();
    private final boolean publish;

    /** Builds the analyzer the agent runs, reading the JVM's MXBeans; null when hotpath.analyzer.enabled=false. */
    public static Analyzer create(Config config) {
        if (!config.get(Settings.ANALYZER_ENABLED)) {
            return null;
        }
        final AnalyzerConfig c = AnalyzerConfig.from(config);
        return new Analyzer(c, new MxJvmSource(c.contentionMonitoring()), true);
    }

    /**
     * @param jvm source of the JVM detectors, or null to leave them out
     * @param publish also publish each view to {@link AnalysisView#latest()}
     */
    Analyzer(AnalyzerConfig config, JvmSource jvm, boolean publish) {
        this.config = config;
        this.jvm = jvm == null ? null : new JvmDetector(jvm, config);
        this.tracker = new FindingTracker(config);
        this.longAlpha = Math.min(
                1.0, config.tick().toNanos() / (double) config.longWindow().toNanos());
        this.publish = publish;
    }

    /** For tests and benchmarks: no JVM detectors, nothing published globally. */
    public static Analyzer forSnapshotsOnly(AnalyzerConfig config) {
        return new Analyzer(config, null, false);
    }

    /**
     * Replaces the detectors' thresholds at run time (from the next tick): {@code c}'s thresholds are used, its tick,
     * windows and finding limits are not.
     */
    public void thresholds(AnalyzerConfig c) {
        config = c;
    }

    /** Analyzes one tick's snapshot. Call from one thread, once per tick, with snapshots in order. */
    public void onSnapshot(Snapshot s) {
        final AnalyzerConfig config = this.config;
        final long started = System.nanoTime();
        observations.clear();
        final List<ProbeSample> probes = s.probes();
        for (int i = 0, n = probes.size(); i < n; i++) {
            final ProbeSample sample = probes.get(i);
            final ProbeState p = state(sample);
            p.update(sample, s.nanoTime(), scratch, longAlpha);
            if (p.workQueueOf() != null) {
                continue; // a pool's own work queue: one cause, one finding, on the pool (WorkQueues)
            }
            for (ProbeDetector d : detectors) {
                d.detect(p, config, observations);
            }
        }
        workQueues.refresh(states, probes.size());
        if (jvm != null) {
            jvm.detect(s.nanoTime(), config, observations);
        }
        final long tickNanos = config.tick().toNanos();
        final int ticks = lastNanoTime == 0
                ? 1
                : (int) Math.max(1, Math.min(64, Math.round((s.nanoTime() - lastNanoTime) / (double) tickNanos)));
        lastNanoTime = s.nanoTime();
        tracker.update(observations, s.epochMillis(), ticks);
        linkRootCauses(tracker.active());
        final List<Finding> findings = tracker.findings();
        final double health = Health.overall(findings);
        final AnalysisView v = new AnalysisView(
                s.epochMillis(),
                health,
                HealthState.of(health),
                Health.byProbe(findings),
                findings,
                probes.size(),
                System.nanoTime() - started,
                tracker.overflow());
        view = v;
        if (publish) {
            AnalysisView.publish(v);
        }
    }

    /** The view after the latest tick; readable from any thread. */
    public AnalysisView view() {
        return view;
    }

    private ProbeState state(ProbeSample sample) {
        final int id = sample.id();
        if (id >= states.length) {
            states = Arrays.copyOf(states, Math.max(id + 1, states.length * 2));
        }
        ProbeState p = states[id];
        if (p == null) {
            p = new ProbeState(sample, config.shortTicks(), longAlpha);
            states[id] = p;
        }
        return p;
    }

    static void linkRootCauses(List<FindingTracker.Track> active) {
        FindingTracker.Track root = null;
        int probes = 0;
        String firstProbe = null;
        for (FindingTracker.Track t : active) {
            t.root = null;
            t.linked = List.of();
            if (t.severity == Severity.INFO || !t.last.kind().isFlow()) {
                continue;
            }
            if (firstProbe == null) {
                firstProbe = t.last.probe();
                probes = 1;
            } else if (probes == 1 && !firstProbe.equals(t.last.probe())) {
                probes = 2;
            }
            final FindingKind k = t.last.kind();
            if ((k == FindingKind.SATURATION || k == FindingKind.BACK_PRESSURE) && before(t, root)) {
                root = t;
            }
        }
        if (probes < 2) {
            return;
        }
        long earliestFlow = Long.MAX_VALUE;
        for (FindingTracker.Track t : active) {
            if (t.severity != Severity.INFO && t.last.kind().isFlow()) {
                earliestFlow = Math.min(earliestFlow, t.firstSeen);
            }
        }
        for (FindingTracker.Track t : active) {
            if (t.severity != Severity.INFO
                    && !t.last.kind().isFlow()
                    && t.firstSeen <= earliestFlow + 1000
                    && (root == null || root.last.kind().isFlow() || t.firstSeen < root.firstSeen)) {
                root = t;
            }
        }
        if (root == null) {
            return;
        }
        final List<String> linked = new ArrayList<>();
        for (FindingTracker.Track t : active) {
            if (t != root
                    && t.severity != Severity.INFO
                    && t.last.kind().isFlow()
                    && !t.last.probe().equals(root.last.probe())) {
                t.root = root.key;
                linked.add(t.key);
            }
        }
        root.linked = List.copyOf(linked);
    }

    /** Whether {@code t} is a better root candidate than {@code best}: seen earlier, then blocking, then a pool. */
    private static boolean before(FindingTracker.Track t, FindingTracker.Track best) {
        if (best == null) {
            return true;
        }
        if (t.firstSeen != best.firstSeen) {
            return t.firstSeen < best.firstSeen;
        }
        final int a = rank(t);
        final int b = rank(best);
        return a != b ? a > b : t.last.impact() > best.last.impact();
    }

    private static int rank(FindingTracker.Track t) {
        final Double blocked = t.last.evidence().get("blocked_per_s");
        final Double pushed = t.last.evidence().get("pushed_back_share");
        if ((blocked != null && blocked > 0) || (pushed != null && pushed > 0)) {
            return 2;
        }
        return t.last.evidence().containsKey("busy_share") ? 1 : 0;
    }
}
