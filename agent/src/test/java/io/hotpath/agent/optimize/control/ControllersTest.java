package io.hotpath.agent.optimize.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotpath.agent.optimize.tunable.FakeTunable;
import io.hotpath.agent.optimize.tunable.Role;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each controller inside its guardrail against synthetic plants: noisy plateaus, step changes, oscillation traps. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ControllersTest {
    private static final Objective SLO = new Objective(100);
    private static final GuardrailConfig CONFIG = GuardrailConfig.defaults();

    // ---------------------------------------------------------------- batch size

    /** Throughput grows with batch size up to 64, latency grows linearly and breaks 100 ms above 256. */
    private static Window batchPlant(Random noise, long b) {
        final double tp = 10_000 * Math.min(b, 64) / 64.0;
        final double p99 = 10 + b * 0.35;
        return Window.of(Sim.noisy(noise, tp, 0.03), Sim.noisy(noise, p99, 0.05))
                .withBacklog(500);
    }

    @Test
    void batchSizeGrowsWhileItPaysAndStopsOnThePlateau() {
        final Random noise = new Random(1);
        final FakeTunable t = new FakeTunable("batch", Role.BATCH_SIZE, "p", 1, 512, 1);
        final Sim sim = new Sim(t, new BatchSizeController(SLO), SLO, CONFIG, 3).run(150, b -> batchPlant(noise, b), 1);
        // Reaches the knee (64) in three x4 steps and goes at most one step beyond it; a size that breaks the
        // objective (above 256) is only tried when the learned ceiling is forgotten (every two minutes), and is
        // rolled back after two windows.
        // 1, 4, 16, 64; 256 breaks the objective and is rolled back; 128 is kept (it costs nothing) and learned as
        // the ceiling because it gained nothing; that ceiling is forgotten after 120 windows, when a re-probe starts.
        assertThat(sim.values.get(140)).isBetween(64L, 256L);
        assertThat(sim.values.subList(40, 140)).containsOnly(sim.values.get(140));
        assertThat(sim.values.subList(0, 15)).contains(64L);
        assertThat(sim.values.stream().filter(v -> v > 256).count()).isLessThanOrEqualTo(3);
        assertThat(sim.reversals(60)).isLessThanOrEqualTo(2);
    }

    @Test
    void batchSizeOscillationTrapLearnsTheCeiling() {
        // Up to 31 is fine (throughput grows with the size), 32 breaks the objective: a naive controller would go
        // 8, 32, 8, 32...
        final Random noise = new Random(2);
        final FakeTunable t = new FakeTunable("batch", Role.BATCH_SIZE, "p", 1, 512, 2);
        final Sim sim = new Sim(t, new BatchSizeController(SLO), SLO, CONFIG, 3)
                .run(
                        180,
                        b -> Window.of(Sim.noisy(noise, 1000.0 * Math.min(b, 32), 0.03), b >= 32 ? 160 : 30)
                                .withBacklog(1000),
                        1);
        // x4 to 32 (rolled back), then half steps below the learned ceiling: ends just under it.
        assertThat(t.value).isBetween(16L, 31L);
        // The ceiling is forgotten after 120 windows, so at most one re-probe per two minutes of one-second windows.
        assertThat(sim.count(Guardrail.Action.ROLLBACK)).isBetween(1L, 3L);
        assertThat(sim.count(Guardrail.Action.FREEZE)).isLessThanOrEqualTo(1);
    }

    @Test
    void batchSizeBacksOffAfterAStepChangeInLoad() {
        final Random noise = new Random(3);
        final FakeTunable t = new FakeTunable("batch", Role.BATCH_SIZE, "p", 1, 512, 1);
        final Sim sim = new Sim(t, new BatchSizeController(SLO), SLO, CONFIG, 3);
        sim.run(100, b -> batchPlant(noise, b), 1);
        final long settled = t.value;
        // Step change: each item now costs 4x the latency; the settled size now breaks the objective.
        sim.run(60, b -> Window.of(Sim.noisy(noise, 5000, 0.03), 10 + b * 1.5).withBacklog(500), 1);
        assertThat(t.value).isLessThan(settled);
        assertThat(10 + t.value * 1.5).isLessThanOrEqualTo(100);
    }

    // ---------------------------------------------------------------- concurrency

    /** A pool: throughput ~ min(n, 8) x 100/s, CPU saturates at 8 threads, queueing latency high below 8. */
    private static Window poolPlant(Random noise, long n) {
        final double tp = 100 * Math.min(n, 8);
        final double cpu = Math.min(1, n / 8.0);
        final double p99 = n < 8 ? 400.0 / n : 50 + (n - 8) * 10;
        return Window.of(Sim.noisy(noise, tp, 0.03), Sim.noisy(noise, p99, 0.05))
                .withCpu(cpu)
                .withBacklog(n < 8 ? 200 : 0);
    }

    @Test
    void concurrencyGrowsToTheCpuLimitAndNoFurther() {
        final Random noise = new Random(4);
        final FakeTunable t = new FakeTunable("pool", Role.CONCURRENCY, "p", 1, 256, 1);
        final Sim sim =
                new Sim(t, new ConcurrencyController(SLO), SLO, CONFIG, 3).run(200, n -> poolPlant(noise, n), 1);
        assertThat(t.value).isBetween(8L, 10L);
        assertThat(sim.values).allMatch(v -> v <= 12);
    }

    @Test
    void concurrencyGrowthIsBoundedPerSecond() {
        final ConcurrencyController c = new ConcurrencyController(SLO, 1, 0.9, 0.05);
        final Window busy = Window.of(100, 500).withCpu(0.2).withBacklog(1000);
        assertThat(c.propose(16, busy, 1, 0)).isEqualTo(20); // +sqrt(16)
        assertThat(c.propose(20, busy, 1, 500_000_000L)).isEqualTo(20); // 0.5 s later: 1/s allows none
        assertThat(c.propose(20, busy, 1, 2_500_000_000L)).isEqualTo(22); // 2 s after the last increase: +2
        assertThat(c.reason()).contains("+2");
    }

    @Test
    void noGrowthWhenCpuIsSaturated() {
        final ConcurrencyController c = new ConcurrencyController(SLO);
        final Window saturated = Window.of(100, 50).withCpu(0.97).withBacklog(1000);
        assertThat(c.propose(8, saturated, 1, 0)).isEqualTo(8);
        assertThat(c.reason()).contains("saturated");
        // ...and a decrease by the latency gradient when the objective breaks too.
        c.propose(8, Window.of(100, 40).withCpu(0.5), 0, 1_000_000_000L); // learns no-load p99 40 ms
        final long next = c.propose(8, Window.of(100, 200).withCpu(0.97), 1, 2_000_000_000L);
        assertThat(next).isBetween(4L, 7L);
    }

    // ---------------------------------------------------------------- flush interval

    @Test
    void flushIntervalConvergesOnTheTargetInFlightTime() {
        final Random noise = new Random(5);
        final FakeTunable t = new FakeTunable("flush", Role.FLUSH_INTERVAL, "p", 1, 1000, 200);
        // In-flight time is half the interval plus 5 ms of work; target 25 ms → interval 40.
        final Sim sim = new Sim(t, new FlushIntervalController(SLO), SLO, CONFIG, 3)
                .run(
                        120,
                        f -> Window.of(Sim.noisy(noise, 1000, 0.02), 20 + f)
                                .withInFlight(Sim.noisy(noise, f / 2.0 + 5, 0.03)),
                        -1);
        assertThat(t.value).isBetween(34L, 46L);
        assertThat(sim.reversals(70)).isLessThanOrEqualTo(1);
    }

    @Test
    void flushIntervalOnlyShortensWhenLatencyIsBroken() {
        final FlushIntervalController c = new FlushIntervalController(SLO);
        // In-flight well below target would lengthen it, but p99 is above the objective.
        assertThat(c.propose(40, Window.of(1000, 150).withInFlight(5), 0, 0)).isLessThan(40);
        assertThat(c.propose(40, Window.of(1000, 50).withInFlight(5), 0, 0)).isGreaterThan(40);
        assertThat(c.propose(40, Window.of(1000, 50).withInFlight(24), 0, 0)).isEqualTo(40); // dead band
    }

    @Test
    void aLatencyObjectiveChangedAtRunTimeAppliesFromTheNextWindow() {
        final Objective slo = new Objective(100);
        final FlushIntervalController c = new FlushIntervalController(slo);
        // Target a quarter of 100 ms: in-flight 24 ms is within the dead band, p99 80 ms meets the objective.
        assertThat(c.propose(40, Window.of(1000, 80).withInFlight(24), 0, 0)).isEqualTo(40);
        slo.sloP99Millis(60);
        // Now p99 80 ms breaks it (only shorter), and the target follows: a quarter of 60 ms.
        assertThat(c.propose(40, Window.of(1000, 80).withInFlight(24), 0, 0)).isLessThan(40);
        assertThat(c.reason()).contains("toward target 15.0 ms");
        assertThatThrownBy(() -> slo.sloP99Millis(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("p99 objective 0.0 ms not allowed; allowed: a duration above 0");
        assertThat(slo.sloP99Millis()).isEqualTo(60);
    }

    // ---------------------------------------------------------------- try and verify

    @Test
    void compressionIsTriedAndKeptWhenItHelps() {
        final Random noise = new Random(6);
        final FakeTunable t = new FakeTunable("zip", Role.COMPRESSION, "p", 0, 1, 0);
        new Sim(t, new TryVerifyController(SLO, true, 300), SLO, CONFIG, 3)
                .run(30, z -> Window.of(Sim.noisy(noise, z == 1 ? 1300 : 1000, 0.03), 30), 1);
        assertThat(t.value).isEqualTo(1);
    }

    @Test
    void compressionThatHurtsIsRolledBackAndNotRetriedSoon() {
        final Random noise = new Random(7);
        final FakeTunable t = new FakeTunable("zip", Role.COMPRESSION, "p", 0, 1, 0);
        final Sim sim = new Sim(t, new TryVerifyController(SLO, true, 300), SLO, CONFIG, 3)
                .run(100, z -> Window.of(Sim.noisy(noise, z == 1 ? 700 : 1000, 0.03), 30), 1);
        assertThat(t.value).isZero();
        assertThat(sim.count(Guardrail.Action.PROPOSE)).isEqualTo(1);
        assertThat(sim.count(Guardrail.Action.ROLLBACK)).isEqualTo(1);
    }

    @Test
    void shardsDoubleWhileTheyPay() {
        final Random noise = new Random(8);
        final FakeTunable t = new FakeTunable("shards", Role.SHARDS, "p", 1, 16, 1);
        new Sim(t, new TryVerifyController(SLO, false, 300), SLO, CONFIG, 3)
                .run(60, s -> Window.of(Sim.noisy(noise, 1000 * Math.min(s, 4), 0.03), 30), 1);
        assertThat(t.value).isBetween(4L, 16L);
    }
}
