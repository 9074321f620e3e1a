package io.hotpath.agent.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hotpath.agent.optimize.control.GuardrailConfig;
import io.hotpath.agent.optimize.control.Objective;
import io.hotpath.agent.optimize.control.Window;
import io.hotpath.agent.optimize.rule.Symptom;
import io.hotpath.agent.optimize.tunable.FakeTunable;
import io.hotpath.agent.optimize.tunable.Role;
import io.hotpath.agent.optimize.tunable.TunableRegistry;
import io.hotpath.agent.optimize.whatif.Outcome;
import io.hotpath.agent.optimize.whatif.StageFigures;
import io.hotpath.bootstrap.PathKind;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The optimizer's use of the what-if estimates: the claimed tunable with the largest estimated gain changes first,
 * a change carries its estimate into the audit trail and its verdict the estimate beside what was observed.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class OptimizerWhatIfTest {
    private static final String POOL = "com.acme.Dispatcher.pool";
    private static final String INBOX = "com.acme.Batcher.inbox";
    private static final String SUBSCRIBER = "com.acme.Subscriber.queue";

    private final AuditTrail audit = new AuditTrail(() -> 0L, false);

    private Optimizer optimizer(FakeTunable... ts) {
        final TunableRegistry r = new TunableRegistry(List.of());
        for (FakeTunable t : ts) {
            r.add(t);
        }
        return new Optimizer(
                Mode.APPLY, r, List.of(), new Objective(100), GuardrailConfig.defaults(), new Random(1), audit, null);
    }

    private static Window tasks(double perS) {
        return new Window(1, perS, 20, 0, 0, Double.NaN, Double.NaN, 0, false);
    }

    @Test
    void theChangeWithTheLargestEstimatedGainGoesFirst() {
        // One package, two claims: the saturated pool asks for a thread (2 -> 3: capacity x 3/2, +50 %), the deep
        // inbox for bigger batches (1 -> 2 with a fixed cost per batch: capacity x 2, +100 %). The pool comes first
        // in the registry; the estimate puts the batch first.
        final FakeTunable pool = new FakeTunable("pool.core:" + POOL, Role.CONCURRENCY, POOL, 1, 256, 2);
        final FakeTunable batch = new FakeTunable("batch", Role.BATCH_SIZE, "com.acme.Batcher", 1, 512, 1);
        batch.packageWide = true;
        final Optimizer o = optimizer(pool, batch);
        final List<Symptom> symptoms = List.of(
                new Symptom("saturation", POOL, 0.9, 1, PathKind.EXECUTOR),
                new Symptom("queue_depth", INBOX, 0.8, 1, PathKind.QUEUE));
        for (int i = 0; i < 10 && audit.entries().isEmpty(); i++) {
            o.onWindow(
                    i * 1_000_000_000L,
                    Map.of(POOL, tasks(4000), INBOX, Window.of(4000, 20).withBacklog(900)),
                    symptoms,
                    Map.of(
                            POOL, new StageFigures(2, 4000, 4000, 2, false),
                            INBOX, new StageFigures(0, 4000, 4000, Double.NaN, true)));
        }
        // The dump's estimates, beside the findings that claimed each tunable, in the order tried.
        assertThat(o.report().estimates())
                .extracting(Optimizer.Estimate::tunable, Optimizer.Estimate::kind, Optimizer.Estimate::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("batch", "queue_depth", 2L),
                        org.assertj.core.groups.Tuple.tuple("pool.core:" + POOL, "saturation", 3L));
        final AuditEntry first = audit.entries().get(0);
        assertThat(first.action()).isEqualTo("change");
        assertThat(first.tunable()).isEqualTo("batch");
        assertThat(first.reason())
                .contains("; estimated gain of each claimed step: this +100%, pool.core:" + POOL + " +50%");
        // The estimate for the step the controller took (1 -> 4 here): x / u x 4 / 1 = 16000/s, held producers
        // leave the demand unknown.
        assertThat(first.whatIf().predictedThroughputPerS())
                .isCloseTo(4000.0 * first.to() / first.from(), within(1e-6));
        assertThat(first.whatIf().throughputBeforePerS()).isCloseTo(4000, within(1e-9));
        assertThat(first.whatIf().windows()).isZero();
    }

    @Test
    void theVerdictRecordsPredictedBesideObserved() {
        // A pool alone; the simulated pool delivers 700 tasks/s per thread up to a demand of 2500/s. At 2 threads:
        // 1400/s, both busy. After the change to c threads it measures min(2500, 700 c).
        final FakeTunable pool = new FakeTunable("pool.core:" + POOL, Role.CONCURRENCY, POOL, 1, 256, 2);
        final Optimizer o = optimizer(pool);
        final List<Symptom> saturated = List.of(new Symptom("saturation", POOL, 0.9, 1, PathKind.EXECUTOR));
        for (int i = 0; i < 30; i++) {
            final long c = pool.value;
            final double x = Math.min(2500, 700.0 * c);
            o.onWindow(
                    i * 1_000_000_000L,
                    Map.of(POOL, tasks(x)),
                    saturated,
                    Map.of(POOL, new StageFigures((int) c, x, x, Math.min(c, x / 700), false)));
        }
        final AuditEntry change = audit.entries().stream()
                .filter(e -> e.action().equals("change"))
                .findFirst()
                .orElseThrow();
        // Saturated: demand unknown, capacity 1400 x to / 2.
        assertThat(change.whatIf().predictedThroughputPerS()).isCloseTo(1400.0 * change.to() / 2, within(1e-6));
        assertThat(change.whatIf().model()).isEqualTo("M/M/c");
        final AuditEntry verdict = audit.entries().stream()
                .filter(e -> e.action().equals("accept") || e.action().equals("rollback"))
                .findFirst()
                .orElseThrow();
        final Outcome seen = verdict.whatIf();
        assertThat(seen.predictedThroughputPerS()).isEqualTo(change.whatIf().predictedThroughputPerS());
        assertThat(seen.windows()).isPositive();
        assertThat(seen.observedThroughputPerS()).isCloseTo(Math.min(2500, 700.0 * change.to()), within(1e-6));
        assertThat(seen.observedP99Millis()).isCloseTo(20, within(1e-9));
        assertThat(verdict.line()).contains("predicted ").contains(", observed ");
    }

    /**
     * Feeds a saturated pool of 2 (both threads busy) one window per throughput until the first audit entry; returns
     * that window's number (from 1), or -1 when nothing was changed.
     */
    private int firstChange(Optimizer o, double[] throughputs) {
        final List<Symptom> saturated = List.of(new Symptom("saturation", POOL, 0.9, 1, PathKind.EXECUTOR));
        for (int i = 0; i < throughputs.length; i++) {
            final double x = throughputs[i];
            o.onWindow(
                    i * 1_000_000_000L,
                    Map.of(POOL, tasks(x)),
                    saturated,
                    Map.of(POOL, new StageFigures(2, x, x, 2, false)));
            if (!audit.entries().isEmpty()) {
                return i + 1;
            }
        }
        return -1;
    }

    @Test
    void theFirstChangeWaitsForASettledSampleAndStartsFromIt() {
        // A saturated pool of 2 warming up: 400, 800, 1200 tasks/s, then 1400 from the fourth window on. The first
        // full sample [400, 800, 1200] (mean 800) and the next [800, 1200, 1400] (mean 1133, 800 is 29 % off) are
        // not settled; [1200, 1400, 1400] (mean 1333.3, every window within 10 %) is, in the fifth window. The
        // estimate starts from that mean: 1333.3 x 3 / 2 = 2000 for one more thread.
        final FakeTunable pool = new FakeTunable("pool.core:" + POOL, Role.CONCURRENCY, POOL, 1, 256, 2);
        final Optimizer o = optimizer(pool);
        assertThat(firstChange(o, new double[] {400, 800, 1200, 1400, 1400, 1400}))
                .isEqualTo(5);
        final AuditEntry change = audit.entries().get(0);
        assertThat(change.action()).isEqualTo("change");
        assertThat(change.reason()).doesNotContain("not settled");
        assertThat(change.whatIf().throughputBeforePerS()).isCloseTo(4000.0 / 3, within(1e-6));
        assertThat(change.whatIf().predictedThroughputPerS())
                .isCloseTo(4000.0 / 3 * change.to() / change.from(), within(1e-6));
    }

    @Test
    void aPathThatNeverSettlesIsChangedAfterTheLimitAndTheReasonSaysSo() {
        // 1000 and 1400 tasks/s by turns: every sample of three is 1133 or 1267 on average, with a window 24 % or
        // 21 % off. The change waits for the limit: made in window 11, the first more than 10 windows after start.
        final FakeTunable pool = new FakeTunable("pool.core:" + POOL, Role.CONCURRENCY, POOL, 1, 256, 2);
        final Optimizer o = optimizer(pool);
        final double[] byTurns = new double[20];
        for (int i = 0; i < byTurns.length; i++) {
            byTurns[i] = i % 2 == 0 ? 1000 : 1400;
        }
        assertThat(firstChange(o, byTurns)).isEqualTo((int) Optimizer.SETTLE_LIMIT + 1);
        assertThat(audit.entries().get(0).reason())
                .endsWith("; before-sample not settled (a window off its mean by more than 15 %) after 10 windows,"
                        + " taken as it is");
    }

    @Test
    void aSampleIsSettledWhenThroughputAndServiceTimeHoldOrAfterTheLimit() {
        final Map<String, StageFigures> steady = Map.of(POOL, new StageFigures(2, 1000, 1000, 2, false));
        // Service time 2 / 1000 = 2 ms in every window, throughput 950..1050: within 15 % of the mean 1000.
        final Optimizer.Sample held = new Optimizer.Sample(
                List.of(tasks(950), tasks(1000), tasks(1050)), List.of(steady, steady, steady), 3, "com.acme");
        assertThat(held.settled(3)).isTrue();
        // Same throughput, but the pool's busy threads fall from 2 to 1.2: service time 2, 2, 1.2 ms, mean 1.73 ms,
        // the first two 15.4 % above it: not settled (the pool was still warming up its tasks' code).
        final Map<String, StageFigures> faster = Map.of(POOL, new StageFigures(2, 1000, 1000, 1.2, false));
        final Optimizer.Sample moving = new Optimizer.Sample(
                List.of(tasks(1000), tasks(1000), tasks(1000)), List.of(steady, steady, faster), 3, "com.acme");
        assertThat(moving.settled(3)).isFalse();
        // Two windows only: not a full sample, however steady.
        final Optimizer.Sample short2 =
                new Optimizer.Sample(List.of(tasks(1000), tasks(1000)), List.of(steady, steady), 3, "com.acme");
        assertThat(short2.settled(2)).isFalse();
        // Past the limit any sample is taken.
        assertThat(moving.settled(Optimizer.SETTLE_LIMIT + 1)).isTrue();
        // The estimate's figures are the means of the sample: busy (2 + 2 + 1.2) / 3.
        assertThat(moving.constraint().busy()).isCloseTo(5.2 / 3, within(1e-9));
        assertThat(held.throughput()).isCloseTo(1000, within(1e-9));
    }

    @Test
    void theDemandComesFromTheIngressOverTheSampleNotFromThePoolsOwnQueue() {
        // The pool's own work queue refused 370 submissions a second that the application submitted again (offered
        // 1370, completed 1000): counted once per attempt, it would put the demand at 1.37 x. The inbox refused
        // producers for real: 1100 and 1300 offered against 1000 and 1000 taken, 2400 / 2000 = 1.2 over the sample.
        final String queue = POOL + ".queue";
        final Map<String, Window> kinds =
                Map.of(POOL, tasks(1000), queue, Window.of(1000, 20), INBOX, Window.of(1000, 20));
        final Map<String, StageFigures> first = Map.of(
                POOL, new StageFigures(2, 1370, 1000, 1.2, false),
                queue, new StageFigures(0, 1370, 1000, Double.NaN, false),
                INBOX, new StageFigures(0, 1100, 1000, Double.NaN, false));
        final Map<String, StageFigures> second = Map.of(
                POOL, new StageFigures(2, 1370, 1000, 1.2, false),
                queue, new StageFigures(0, 1370, 1000, Double.NaN, false),
                INBOX, new StageFigures(0, 1300, 1000, Double.NaN, false));
        final Optimizer.Sample sample =
                new Optimizer.Sample(List.of(tasks(1000), tasks(1000)), List.of(first, second), 2, "com.acme");
        assertThat(sample.demandFactor(kinds)).isCloseTo(1.2, within(1e-9));
        // Pool 2 -> 3 at 1000 tasks/s with 1.2 of 2 threads busy: capacity 1000 / 0.6 x 3 / 2 = 2500, demand 1200.
        final var p = io.hotpath.agent.optimize.whatif.WhatIf.pool(
                sample.throughput(), sample.constraint(), sample.demandFactor(kinds), 2, 3);
        assertThat(p.throughputPerS()).isCloseTo(1200, within(1e-9));
        // Producers held in a put in one window and nothing pushed back: the demand is unknown.
        final Map<String, StageFigures> held = Map.of(
                POOL, new StageFigures(2, 1000, 1000, 1.2, false),
                INBOX, new StageFigures(0, 1000, 1000, Double.NaN, true));
        assertThat(new Optimizer.Sample(List.of(tasks(1000), tasks(1000)), List.of(held, held), 2, "com.acme")
                        .demandFactor(kinds))
                .isInfinite();
        // The pool's threads held on a full subscriber queue while the inbox refused producers: the inbox still shows
        // the demand, (1300 + 1000) / 2000 with the held window's 1000 / 1000 in it = 1.15.
        final Map<String, StageFigures> heldDownstream = Map.of(
                POOL, new StageFigures(2, 1000, 1000, 1.2, false),
                INBOX, new StageFigures(0, 1000, 1000, Double.NaN, false),
                SUBSCRIBER, new StageFigures(0, 4000, 4000, Double.NaN, true));
        final Map<String, Window> withSubscriber =
                Map.of(POOL, tasks(1000), INBOX, Window.of(1000, 20), SUBSCRIBER, Window.of(4000, 20));
        assertThat(new Optimizer.Sample(
                                List.of(tasks(1000), tasks(1000)), List.of(second, heldDownstream), 2, "com.acme")
                        .demandFactor(withSubscriber))
                .isCloseTo(1.15, within(1e-9));
    }

    @Test
    void withoutStageFiguresNothingIsEstimated() {
        final FakeTunable pool = new FakeTunable("pool.core:" + POOL, Role.CONCURRENCY, POOL, 1, 256, 2);
        final Optimizer o = optimizer(pool);
        final List<Symptom> saturated = List.of(new Symptom("saturation", POOL, 0.9, 1, PathKind.EXECUTOR));
        for (int i = 0; i < 10; i++) {
            o.onWindow(i * 1_000_000_000L, Map.of(POOL, tasks(1400)), saturated);
        }
        assertThat(audit.entries()).isNotEmpty().allMatch(e -> e.whatIf() == null);
    }
}
