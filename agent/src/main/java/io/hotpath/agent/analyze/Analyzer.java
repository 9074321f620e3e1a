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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The background bottleneck analyzer. The agent's cold loop calls {@link #onSnapshot} once per tick with the snapshot
 * it took, on its own daemon thread; the analyzer never touches the hot side. Per tick it updates each probe's window
 * (rings of cumulative counters, one p99 from bucket deltas, only for distributions that moved), runs the detectors,
 * confirms observations into findings ({@link FindingTracker}), links findings that share a root cause, scores health
 * and publishes an immutable {@link AnalysisView}. Memory is fixed per probe plus at most {@code findings.max}
 * findings.
 *
 * <p>Root cause: the pipeline's edges learned by the recording core ({@link PipelineModel}) place the findings; within
 * one connected part of the pipeline the constraint (the stage furthest downstream that pushes back) is the root, and
 * every finding at warning or above belongs to one {@link Incident}. See {@link RootCause}.
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
    private final PipelineModel pipeline;
    private final Incidents incidents = new Incidents();
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
        return new Analyzer(
                c, new MxJvmSource(c.contentionMonitoring()), io.hotpath.bootstrap.Flows::forEachEdge, true);
    }

    /**
     * @param jvm source of the JVM detectors, or null to leave them out
     * @param edges where the pipeline's edges are read from
     * @param publish also publish each view to {@link AnalysisView#latest()}
     */
    Analyzer(AnalyzerConfig config, JvmSource jvm, PipelineModel.EdgeSource edges, boolean publish) {
        this.config = config;
        this.pipeline = new PipelineModel(edges, config.shortTicks());
        this.jvm = jvm == null ? null : new JvmDetector(jvm, config);
        this.tracker = new FindingTracker(config);
        this.longAlpha = Math.min(
                1.0, config.tick().toNanos() / (double) config.longWindow().toNanos());
        this.publish = publish;
    }

    /** With no pipeline edges: root cause by the order of detection. */
    Analyzer(AnalyzerConfig config, JvmSource jvm, boolean publish) {
        this(config, jvm, PipelineModel.EdgeSource.NONE, publish);
    }

    /** For tests and benchmarks: no JVM detectors, nothing published globally. */
    public static Analyzer forSnapshotsOnly(AnalyzerConfig config) {
        return new Analyzer(config, null, PipelineModel.EdgeSource.NONE, false);
    }

    /**
     * Replaces the detectors' thresholds at run time (from the next tick): {@code c}'s thresholds are used, its tick,
     * windows and finding limits are not.
     */
    public void thresholds(AnalyzerConfig c) {
        config = c;
    }

    /** For tests: no JVM detectors, the pipeline's edges from {@code edges}, nothing published globally. */
    static Analyzer forSnapshots(AnalyzerConfig config, PipelineModel.EdgeSource edges) {
        return new Analyzer(config, null, edges, false);
    }

    /**
     * The tick's work, in order. Each step is called through one call site that sees every step's class, so the JIT
     * compiles each step on its own instead of inlining the whole tick into one compilation: on JDK 25 the tick as one
     * method took one C2 compilation of 28 MB of compiler memory about 90 s into a run, which the C library kept as a
     * lasting RSS step. Steps pass their results on in fields of this analyzer.
     */
    private static final Step[] STEPS = {
        Analyzer::updateProbes,
        Analyzer::detectJvm,
        Analyzer::trackFindings,
        Analyzer::linkRootCauses,
        Analyzer::updateIncidents,
        Analyzer::markPipeline,
        Analyzer::viewPipelineStages,
        Analyzer::viewPipeline,
        Analyzer::publishView
    };

    /** One step of a tick. */
    @FunctionalInterface
    private interface Step {
        void run(Analyzer a, Snapshot s);
    }

    /** The tick in progress: its thresholds, when it started, and the steps' results for the later steps. */
    private AnalyzerConfig tickConfig;

    private long tickStarted;

    private List<FindingTracker.Track> active = List.of();
    private List<Incident> incidentList = List.of();
    private List<Pipeline.Stage> pipelineStages = List.of();
    private Pipeline pipelineView;

    /** Analyzes one tick's snapshot. Call from one thread, once per tick, with snapshots in order. */
    public void onSnapshot(Snapshot s) {
        tickConfig = config;
        tickStarted = System.nanoTime();
        for (Step step : STEPS) {
            step.run(this, s);
        }
    }

    /** The pipeline's stages, each probe's window and the per-probe detectors. */
    private void updateProbes(Snapshot s) {
        observations.clear();
        final List<ProbeSample> probes = s.probes();
        pipeline.update(probes, s.nanoTime());
        for (int i = 0, n = probes.size(); i < n; i++) {
            final ProbeSample sample = probes.get(i);
            final ProbeState p = state(sample);
            p.update(sample, s.nanoTime(), scratch, longAlpha);
            if (p.workQueueOf() != null) {
                continue; // a pool's own work queue: one cause, one finding, on the pool (WorkQueues)
            }
            for (ProbeDetector d : detectors) {
                d.detect(p, tickConfig, observations);
            }
        }
        workQueues.refresh(states, probes.size());
    }

    private void detectJvm(Snapshot s) {
        if (jvm != null) {
            jvm.detect(s.nanoTime(), tickConfig, observations);
            if (jvm.warmingUp(tickConfig)) {
                WarmUp.hold(observations, jvm.jitShare());
            }
        }
    }

    /** Observations into findings, by the ticks that passed since the last snapshot. */
    private void trackFindings(Snapshot s) {
        final long tickNanos = tickConfig.tick().toNanos();
        final int ticks = lastNanoTime == 0
                ? 1
                : (int) Math.max(1, Math.min(64, Math.round((s.nanoTime() - lastNanoTime) / (double) tickNanos)));
        lastNanoTime = s.nanoTime();
        tracker.update(observations, s.epochMillis(), ticks);
        active = tracker.active();
    }

    private void linkRootCauses(Snapshot s) {
        RootCause.link(active, pipeline);
    }

    private void updateIncidents(Snapshot s) {
        incidentList = incidents.update(active, s.epochMillis(), pipeline);
    }

    private void markPipeline(Snapshot s) {
        pipeline.markGraph();
    }

    private void viewPipelineStages(Snapshot s) {
        pipelineStages = pipeline.viewStages();
    }

    private void viewPipeline(Snapshot s) {
        pipelineView = pipeline.viewEdges(pipelineStages);
    }

    /** Health and the immutable view of this tick. */
    private void publishView(Snapshot s) {
        final List<Finding> findings = tracker.findings();
        final double health = Health.overall(findings);
        final AnalysisView v = new AnalysisView(
                s.epochMillis(),
                health,
                HealthState.of(health),
                probeHealth(findings),
                findings,
                s.probes().size(),
                System.nanoTime() - tickStarted,
                tracker.overflow(),
                incidentList,
                pipelineView);
        view = v;
        if (publish) {
            AnalysisView.publish(v);
        }
    }

    /**
     * Health by probe for this tick's view: the previous tick's immutable map when the scores read the same (the
     * usual case while findings hold steady), which the view then keeps without copying it again.
     */
    private Map<String, Double> probeHealth(List<Finding> findings) {
        final Map<String, Double> now = Health.byProbe(findings);
        if (!sameScores(now, lastProbeHealth)) {
            lastProbeHealth = Map.copyOf(now);
        }
        return lastProbeHealth;
    }

    /**
     * Whether two health maps hold the same scores. Not {@code Map.equals}: that is an {@code Object} method called
     * through an interface, which the interpreter resolves afresh at every call, and this code runs ten times a second,
     * so it stays interpreted for minutes.
     */
    private static boolean sameScores(Map<String, Double> a, Map<String, Double> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, Double> e : a.entrySet()) {
            final Double was = b.get(e.getKey());
            if (was == null || Double.compare(was, e.getValue()) != 0) {
                return false;
            }
        }
        return true;
    }

    private Map<String, Double> lastProbeHealth = Map.of();

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
}
