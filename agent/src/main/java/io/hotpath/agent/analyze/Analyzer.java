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
    private final AnalyzerConfig config;
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

    /** For tests: no JVM detectors, the pipeline's edges from {@code edges}, nothing published globally. */
    static Analyzer forSnapshots(AnalyzerConfig config, PipelineModel.EdgeSource edges) {
        return new Analyzer(config, null, edges, false);
    }

    /** Analyzes one tick's snapshot. Call from one thread, once per tick, with snapshots in order. */
    public void onSnapshot(Snapshot s) {
        final long started = System.nanoTime();
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
        final List<FindingTracker.Track> active = tracker.active();
        RootCause.link(active, pipeline);
        final List<Incident> incidentList = incidents.update(active, s.epochMillis(), pipeline);
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
                tracker.overflow(),
                incidentList,
                pipeline.view());
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
}
