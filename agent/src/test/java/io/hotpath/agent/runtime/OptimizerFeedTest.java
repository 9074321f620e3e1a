package io.hotpath.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hotpath.agent.analyze.AnalysisView;
import io.hotpath.agent.analyze.finding.Finding;
import io.hotpath.agent.analyze.finding.FindingKind;
import io.hotpath.agent.analyze.health.HealthState;
import io.hotpath.agent.optimize.AuditEntry;
import io.hotpath.agent.optimize.AuditTrail;
import io.hotpath.agent.optimize.Mode;
import io.hotpath.agent.optimize.Optimizer;
import io.hotpath.agent.optimize.control.GuardrailConfig;
import io.hotpath.agent.optimize.control.Objective;
import io.hotpath.agent.optimize.control.Window;
import io.hotpath.agent.optimize.rule.Symptom;
import io.hotpath.agent.optimize.tunable.FakeTunable;
import io.hotpath.agent.optimize.tunable.Role;
import io.hotpath.agent.optimize.tunable.TunableRegistry;
import io.hotpath.bootstrap.BucketHistogram;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.Snapshot;
import io.hotpath.exporter.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The optimizer's feed: windows computed from two snapshots, findings adapted to symptoms, one optimizer call per
 * window, and a mis-tuned batch size driven up by a queue-depth finding end to end (apply), or only recommended
 * (advise).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class OptimizerFeedTest {
    private static final String QUEUE = "com.acme.Broadcaster.inbox";
    private static final String POOL = "com.acme.Dispatcher.pool";
    private static final long SECOND = 1_000_000_000L;

    /** Cumulative state of the two synthetic probes. */
    private static final class Plant {
        final long[] queue = new long[Slot.COUNT];
        final long[] pool = new long[Slot.COUNT];
        final long[] poolRun = new long[BucketHistogram.LENGTH];
        final long[] poolWait = new long[BucketHistogram.LENGTH];
        long queueDepth;
        long poolDepth;
        long nanos;

        void record(long[] h, long nanos, int times) {
            h[BucketHistogram.bucketOf(nanos)] += times;
            h[BucketHistogram.SUM_INDEX] += nanos * times;
        }

        Snapshot snapshot() {
            final long[] qg = new long[Gauge.COUNT];
            Arrays.fill(qg, Gauge.ABSENT);
            qg[Gauge.DEPTH] = queueDepth;
            final long[] pg = new long[Gauge.COUNT];
            Arrays.fill(pg, Gauge.ABSENT);
            pg[Gauge.DEPTH] = poolDepth;
            final long[][] qd = new long[Dist.COUNT][];
            final long[][] pd = new long[Dist.COUNT][];
            pd[Dist.LATENCY] = poolRun.clone();
            pd[Dist.WAIT] = poolWait.clone();
            return new Snapshot(
                    nanos,
                    nanos / 1_000_000,
                    List.of(
                            new ProbeSample(1, QUEUE, PathKind.QUEUE, queue.clone(), qd, qg),
                            new ProbeSample(2, POOL, PathKind.EXECUTOR, pool.clone(), pd, pg)),
                    0);
        }
    }

    private static Finding finding(FindingKind kind, String probe, Severity severity) {
        return finding(kind, probe, severity, false);
    }

    private static Finding finding(FindingKind kind, String probe, Severity severity, boolean recurring) {
        return new Finding(
                kind.label() + ":" + probe,
                kind,
                probe,
                severity,
                severity,
                0.7,
                0.9,
                Map.of(),
                probe + " backs up",
                "bigger batches",
                1,
                2,
                3,
                0,
                null,
                List.of(),
                recurring);
    }

    private static AnalysisView view(Finding... findings) {
        return new AnalysisView(
                1,
                findings.length == 0 ? 1 : 0.4,
                findings.length == 0 ? HealthState.HEALTHY : HealthState.UNHEALTHY,
                Map.of(),
                List.of(findings),
                2,
                0,
                0);
    }

    /** Records the calls the feed makes. */
    private static final class Recorder {
        final List<Map<String, Window>> windows = new ArrayList<>();
        final List<List<Symptom>> symptoms = new ArrayList<>();
    }

    private static Optimizer optimizer(Mode mode, TunableRegistry registry, AuditTrail audit) {
        return new Optimizer(
                mode, registry, List.of(), new Objective(100), GuardrailConfig.defaults(), new Random(3), audit, null);
    }

    @Test
    void windowsComeFromTheSnapshotsAtTheWindowsEnds() {
        final Plant plant = new Plant();
        final OptimizerFeed feed = new OptimizerFeed(
                optimizer(Mode.ADVISE, new TunableRegistry(List.of()), new AuditTrail(() -> 0L, false)),
                SECOND,
                () -> -1,
                2);
        final Snapshot a = plant.snapshot();
        plant.nanos += 2 * SECOND;
        plant.queue[Slot.IN] += 9000;
        plant.queue[Slot.OUT] += 8000;
        plant.queue[Slot.DROPPED] += 400;
        plant.queueDepth = 2000;
        plant.pool[Slot.OUT] += 500;
        plant.pool[Slot.ERRORS] += 10;
        plant.record(plant.poolRun, 2_000_000, 990); // 2 ms runs ...
        plant.record(plant.poolRun, 40_000_000, 10); // ... and a 1% tail of 40 ms
        plant.record(plant.poolWait, 1_000_000, 1000);
        final Map<String, Window> w = feed.windows(a, plant.snapshot(), 0.5, false);

        final Window q = w.get(QUEUE);
        assertThat(q.seconds()).isEqualTo(2.0);
        assertThat(q.throughput()).isEqualTo(4000.0);
        assertThat(q.overflowPerSecond()).isEqualTo(200.0);
        assertThat(q.backlog()).isEqualTo(2000.0);
        // Little's law: mean depth (0 + 2000) / 2 over 4000/s = 250 ms.
        assertThat(q.inFlightMillis()).isCloseTo(250.0, within(1e-9));
        assertThat(q.p99Millis()).isNaN(); // producers never blocked
        assertThat(q.cpu()).isEqualTo(0.5);
        assertThat(q.messages()).isTrue();

        final Window p = w.get(POOL);
        assertThat(p.throughput()).isEqualTo(250.0);
        assertThat(p.messages()).isFalse(); // tasks, each may carry a batch
        assertThat(p.errorsPerSecond()).isEqualTo(5.0);
        // The p99 of the run-time distribution (its 40 ms tail bucket), above the 1 ms wait.
        assertThat(p.p99Millis()).isBetween(2.0, 45.0);
        assertThat(p.p99Millis()).isGreaterThan(1.5);
    }

    @Test
    void findingsBecomeSymptomsWithoutInfoAndAQuietPathBecomesStable() {
        final OptimizerFeed feed = new OptimizerFeed(
                optimizer(Mode.ADVISE, new TunableRegistry(List.of()), new AuditTrail(() -> 0L, false)),
                SECOND,
                () -> -1,
                2);
        final List<Symptom> s = feed.symptoms(
                view(
                        finding(FindingKind.QUEUE_DEPTH, QUEUE, Severity.CRITICAL),
                        finding(FindingKind.LATENCY, POOL, Severity.WARNING),
                        finding(FindingKind.SATURATION, POOL, Severity.INFO),
                        finding(FindingKind.BACK_PRESSURE, QUEUE, Severity.INFO, true)),
                Map.of(QUEUE, Window.of(100, 1)));
        // Info is left out, unless it is a recurring burst.
        assertThat(s)
                .containsExactly(
                        new Symptom("queue_depth", QUEUE, 0.7, 1),
                        new Symptom("latency", POOL, 0.7, -1),
                        new Symptom("back_pressure", QUEUE, 0.7, 1));
        assertThat(feed.symptoms(null, Map.of())).isEmpty();

        List<Symptom> quiet = List.of();
        for (int i = 0; i < OptimizerFeed.STABLE_WINDOWS; i++) {
            quiet = feed.symptoms(view(), Map.of(QUEUE, Window.of(100, 1), POOL, Window.of(0, Double.NaN)));
        }
        assertThat(quiet).containsExactly(new Symptom("stable", QUEUE, 0.1, 1));
        // One finding resets the count.
        feed.symptoms(view(finding(FindingKind.LATENCY, POOL, Severity.WARNING)), Map.of());
        assertThat(feed.symptoms(view(), Map.of(QUEUE, Window.of(100, 1)))).isEmpty();
    }

    /** A batch size the optimizer may change, standing for every class of the batcher's package. */
    private static FakeTunable batch() {
        final FakeTunable batch = new FakeTunable("batch", Role.BATCH_SIZE, "com.acme.Batcher", 1, 1024, 1);
        batch.packageWide = true;
        return batch;
    }

    /**
     * A batcher whose drain rate grows with the batch size up to the offered 40k/s: with a finding on the queue its
     * broadcaster built (another class of the package), apply mode drives the batch size up and keeps it.
     */
    private static List<AuditEntry> drive(Mode mode, FakeTunable batch, int seconds) {
        final TunableRegistry registry = new TunableRegistry(List.of());
        registry.add(batch);
        final AuditTrail audit = new AuditTrail(() -> 0L, false);
        final OptimizerFeed feed = new OptimizerFeed(optimizer(mode, registry, audit), SECOND, () -> -1, 2);
        final Plant plant = new Plant();
        final Random noise = new Random(7);
        for (int tick = 0; tick < seconds * 10; tick++) {
            final double capacity = Math.min(40_000, 6_000.0 * batch.value);
            final long out = (long) (capacity / 10 * (1 + 0.03 * noise.nextGaussian()));
            plant.nanos += SECOND / 10;
            plant.queue[Slot.IN] += 4000;
            plant.queue[Slot.OUT] += Math.min(out, 4000 + plant.queueDepth);
            plant.queueDepth = Math.max(0, Math.min(10_000, plant.queueDepth + 4000 - out));
            plant.queue[Slot.DROPPED] += plant.queueDepth >= 10_000 ? 4000 - out : 0;
            final AnalysisView v =
                    plant.queueDepth > 1000 ? view(finding(FindingKind.QUEUE_DEPTH, QUEUE, Severity.CRITICAL)) : view();
            feed.onTick(plant.snapshot(), v);
        }
        return audit.entries();
    }

    @Test
    void applyModeDrivesAMisTunedBatchSizeUpWithin15Seconds() {
        final FakeTunable batch = batch();
        final List<AuditEntry> audit = drive(Mode.APPLY, batch, 15);
        assertThat(batch.value).as(audit.toString()).isGreaterThanOrEqualTo(8);
        assertThat(audit).extracting(AuditEntry::action).contains("change", "accept");
        assertThat(audit.get(0).reason()).contains("rule default-batch on queue_depth at " + QUEUE);
    }

    @Test
    void adviseModeRecordsTheSameFirstRecommendationAndChangesNothing() {
        final FakeTunable applied = batch();
        final List<AuditEntry> apply = drive(Mode.APPLY, applied, 6);
        final FakeTunable advised = batch();
        final List<AuditEntry> advise = drive(Mode.ADVISE, advised, 6);
        assertThat(advised.value).isEqualTo(1);
        assertThat(advised.overridden).isFalse();
        assertThat(advise).isNotEmpty().allMatch(e -> e.action().equals("recommend"));
        final AuditEntry first = apply.get(0);
        assertThat(first.action()).isEqualTo("change");
        assertThat(advise.get(0).from()).isEqualTo(first.from());
        assertThat(advise.get(0).to()).isEqualTo(first.to());
        assertThat(advise.get(0).reason()).isEqualTo(first.reason());
    }

    @Test
    void oneCallPerWindowNotPerTick() {
        final int[] calls = {0};
        final Optimizer o = new Optimizer(
                Mode.ADVISE,
                new TunableRegistry(List.of()),
                List.of(),
                new Objective(100),
                GuardrailConfig.defaults(),
                new Random(1),
                new AuditTrail(() -> 0L, false),
                () -> {
                    calls[0]++;
                    return Mode.ADVISE;
                });
        final OptimizerFeed feed = new OptimizerFeed(o, SECOND, () -> -1, 2);
        final Plant plant = new Plant();
        int windows = 0;
        for (int tick = 0; tick <= 50; tick++) {
            plant.nanos = tick * (SECOND / 10);
            if (feed.onTick(plant.snapshot(), view())) {
                windows++;
            }
        }
        assertThat(windows).isEqualTo(5);
        assertThat(calls[0]).isEqualTo(5);
    }
}
