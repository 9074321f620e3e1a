package io.hotpath.agent.optimize.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.optimize.tunable.FakeTunable;
import io.hotpath.agent.optimize.tunable.Role;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class GuardrailTest {
    private static final Objective SLO = new Objective(100);
    /** The mechanics are tested with slower settings than the defaults, where each phase is easy to see. */
    private static final GuardrailConfig CONFIG = new GuardrailConfig(4, 3, 2, 0.05, 2, 30, 0.05);

    /** A controller that always wants {@code current * 2} (or a fixed target). */
    private static Controller wants(java.util.function.LongUnaryOperator f) {
        return new Controller() {
            @Override
            public long propose(long current, Window w, int hint, long nowNanos) {
                return f.applyAsLong(current);
            }

            @Override
            public String reason() {
                return "test";
            }
        };
    }

    @Test
    void harmfulChangeIsRolledBackWithinAFewWindows() {
        final Random noise = new Random(1);
        final FakeTunable t = new FakeTunable("batch", Role.BATCH_SIZE, "p", 1, 512, 8);
        // Above 8 the latency objective breaks.
        final Sim sim = new Sim(t, wants(v -> v * 2), SLO, CONFIG, 7)
                .run(30, v -> Window.of(Sim.noisy(noise, 1000, 0.02), v > 8 ? 180 : 20), 1);
        final int change = indexOf(sim, Guardrail.Action.PROPOSE);
        final int rollback = indexOf(sim, Guardrail.Action.ROLLBACK);
        assertThat(change).isGreaterThanOrEqualTo(0);
        assertThat(rollback).isGreaterThan(change);
        final int windowsToRollback = windowOf(sim, rollback) - windowOf(sim, change);
        assertThat(windowsToRollback).isLessThanOrEqualTo(2); // early rollback: two broken windows
        assertThat(sim.events.get(rollback).reason()).contains("latency objective broken");
        assertThat(sim.values.get(sim.values.size() - 1)).isEqualTo(8);
    }

    @Test
    void lowerThroughputIsRolledBackByTheTestNotByOneSample() {
        final Random noise = new Random(2);
        final FakeTunable t = new FakeTunable("x", Role.GENERIC, "p", 1, 512, 8);
        final Sim sim = new Sim(t, wants(v -> v * 2), SLO, CONFIG, 7)
                .run(12, v -> Window.of(Sim.noisy(noise, v > 8 ? 700 : 1000, 0.03), 20), 1);
        final Guardrail.Event rb = sim.events.stream()
                .filter(e -> e.action() == Guardrail.Action.ROLLBACK)
                .findFirst()
                .orElseThrow();
        assertThat(rb.reason()).contains("throughput lower").contains("p=");
        assertThat(rb.from()).isEqualTo(16);
        assertThat(rb.to()).isEqualTo(8);
    }

    @Test
    void largeDropIsRolledBackEvenWhenNoiseHidesItFromTheTest() {
        // Throughput so noisy (40%) that halving it is not significant over four windows: the change still goes.
        final Random noise = new Random(11);
        final FakeTunable t = new FakeTunable("x", Role.GENERIC, "p", 1, 512, 8);
        final Sim sim = new Sim(t, wants(v -> v * 2), SLO, CONFIG, 7)
                .run(12, v -> Window.of(Sim.noisy(noise, v > 8 ? 500 : 1000, 0.4), 20), 1);
        final Guardrail.Event rb = sim.events.stream()
                .filter(e -> e.action() == Guardrail.Action.ROLLBACK)
                .findFirst()
                .orElseThrow();
        assertThat(rb.from()).isEqualTo(16);
        assertThat(rb.to()).isEqualTo(8);
        assertThat(sim.values.get(sim.values.size() - 1)).isEqualTo(8);
    }

    @Test
    void freezeAfterTwoRollbacksThenHalfOpenRetry() {
        final FakeTunable t = new FakeTunable("x", Role.GENERIC, "p", 1, 512, 8);
        final GuardrailConfig cfg = CONFIG.withFreezeWindows(10).withCooldown(2, 0);
        final Random noise = new Random(3);
        final Sim sim = new Sim(t, wants(v -> v * 2), SLO, cfg, 7)
                .run(60, v -> Window.of(Sim.noisy(noise, 1000, 0.02), v > 8 ? 300 : 20), 1);
        final List<Guardrail.Action> actions =
                sim.events.stream().map(Guardrail.Event::action).toList();
        assertThat(actions)
                .startsWith(
                        Guardrail.Action.PROPOSE,
                        Guardrail.Action.ROLLBACK,
                        Guardrail.Action.PROPOSE,
                        Guardrail.Action.ROLLBACK,
                        Guardrail.Action.FREEZE,
                        Guardrail.Action.RETRY,
                        Guardrail.Action.PROPOSE,
                        Guardrail.Action.ROLLBACK,
                        Guardrail.Action.FREEZE);
        // No proposal while frozen: between FREEZE and RETRY at least freezeWindows windows pass.
        final int freeze = windowOf(sim, actions.indexOf(Guardrail.Action.FREEZE));
        final int retry = windowOf(sim, actions.indexOf(Guardrail.Action.RETRY));
        assertThat(retry - freeze).isGreaterThanOrEqualTo(10);
        // A failed half-open retry doubles the freeze.
        assertThat(sim.events.get(8).reason()).contains("frozen for 20 windows");
        assertThat(t.value).isEqualTo(8);
    }

    @Test
    void successfulHalfOpenRetryClosesTheBreaker() {
        final FakeTunable t = new FakeTunable("x", Role.GENERIC, "p", 1, 512, 8);
        final GuardrailConfig cfg = CONFIG.withFreezeWindows(5).withCooldown(1, 0);
        final Random noise = new Random(4);
        final boolean[] broken = {true};
        final Sim sim = new Sim(t, wants(v -> v * 2), SLO, cfg, 7);
        sim.run(20, v -> Window.of(Sim.noisy(noise, 1000, 0.02), v > 8 && broken[0] ? 300 : 20), 1);
        assertThat(sim.count(Guardrail.Action.FREEZE)).isGreaterThanOrEqualTo(1);
        broken[0] = false; // the load changed: a larger value is fine now
        sim.run(40, v -> Window.of(Sim.noisy(noise, 1000, 0.02), v > 8 && broken[0] ? 300 : 20), 1);
        assertThat(sim.count(Guardrail.Action.ACCEPT)).isGreaterThanOrEqualTo(1);
        assertThat(t.value).isGreaterThan(8);
        assertThat(sim.guard.halfOpen()).isFalse();
    }

    @Test
    void deadBandBoundsAndBoundedStep() {
        final FakeTunable t = new FakeTunable("x", Role.GENERIC, "p", 1, 100, 50);
        final Guardrail g = new Guardrail(t, wants(v -> v), SLO, CONFIG, new Random(1));
        assertThat(g.bound(50, 51)).isEqualTo(50); // 2% < 5% dead band
        assertThat(g.bound(50, 49)).isEqualTo(50);
        assertThat(g.bound(50, 53)).isEqualTo(53);
        assertThat(g.bound(50, 1000)).isEqualTo(100); // hard bound
        assertThat(g.bound(40, 1000)).isEqualTo(80); // at most doubled
        assertThat(g.bound(40, 1)).isEqualTo(20); // at most halved
        assertThat(g.bound(1, 5)).isEqualTo(2);
        assertThat(g.bound(2, -7)).isEqualTo(1);
        final FakeTunable small = new FakeTunable("y", Role.GENERIC, "p", 1, 100, 3);
        final Guardrail gs = new Guardrail(small, wants(v -> v), SLO, CONFIG, new Random(1));
        assertThat(gs.bound(3, 4)).isEqualTo(4); // a step of 1 always passes the dead band
    }

    @Test
    void defaultsStepAtMostX4AndChangeEveryFiveOrSixWindows() {
        final GuardrailConfig d = GuardrailConfig.defaults();
        final FakeTunable t = new FakeTunable("x", Role.GENERIC, "p", 1, 1 << 30, 40);
        final Guardrail g = new Guardrail(t, wants(v -> v), SLO, d, new Random(1));
        assertThat(g.bound(40, 1000)).isEqualTo(160);
        assertThat(g.bound(40, 1)).isEqualTo(10);
        // 3 windows after the change, then a cooldown of 1 + up to 1 window of jitter, then the next proposal.
        final FakeTunable u = new FakeTunable("y", Role.GENERIC, "p", 1, 1 << 30, 1);
        final Sim sim = new Sim(u, wants(v -> v * 4), SLO, d, 11).run(40, v -> Window.of(1000, 10), 1);
        final List<Integer> proposals = new java.util.ArrayList<>();
        for (int i = 0; i < sim.events.size(); i++) {
            if (sim.events.get(i).action() == Guardrail.Action.PROPOSE) {
                proposals.add(windowOf(sim, i));
            }
        }
        assertThat(proposals.get(0)).isEqualTo(2); // the third window: a full before-sample of 3
        for (int i = 1; i < proposals.size(); i++) {
            assertThat(proposals.get(i) - proposals.get(i - 1)).isBetween(5, 6);
        }
    }

    @Test
    void seededBeforeWindowsAllowTheFirstProposalAtOnce() {
        final FakeTunable t = new FakeTunable("x", Role.GENERIC, "p", 1, 512, 8);
        final Guardrail g = new Guardrail(t, wants(v -> v * 2), SLO, GuardrailConfig.defaults(), new Random(1));
        g.seed(List.of(Window.of(1000, 10), Window.of(1000, 10)));
        assertThat(g.step(8, Window.of(1000, 10), 1, null, 0, false))
                .singleElement()
                .extracting(Guardrail.Event::action)
                .isEqualTo(Guardrail.Action.PROPOSE);
        // Seeding after the start changes nothing.
        g.applied();
        g.seed(List.of(Window.of(1, 1000), Window.of(1, 1000), Window.of(1, 1000)));
        assertThat(g.state()).isEqualTo(Guardrail.State.VERIFYING);
    }

    @Test
    void noisyPlateauDoesNotChatter() {
        // The controller keeps asking for +10%, and the plant does not care: every change is "not worse", so it is
        // kept, but changes come at most once per verify+cooldown period, never back and forth.
        final Random noise = new Random(5);
        final FakeTunable t = new FakeTunable("x", Role.GENERIC, "p", 1, 10_000, 100);
        final Sim sim = new Sim(t, wants(v -> v + v / 10), SLO, CONFIG, 9)
                .run(120, v -> Window.of(Sim.noisy(noise, 1000, 0.1), Sim.noisy(noise, 40, 0.2)), 1);
        assertThat(sim.reversals(0)).isLessThanOrEqualTo(2);
        assertThat(sim.count(Guardrail.Action.PROPOSE)).isLessThanOrEqualTo(120 / (4 + 3));
    }

    @Test
    void cooldownJitterIsSeededAndBounded() {
        final int[] a = cooldowns(11);
        final int[] b = cooldowns(11);
        assertThat(a).isEqualTo(b);
        for (int gap : a) {
            assertThat(gap).isBetween(4 + 3, 4 + 3 + 2 + 1);
        }
    }

    private static int[] cooldowns(long seed) {
        final FakeTunable t = new FakeTunable("x", Role.GENERIC, "p", 1, 1 << 30, 1);
        final Sim sim = new Sim(t, wants(v -> v * 2), SLO, CONFIG, seed).run(80, v -> Window.of(1000, 10), 1);
        final List<Integer> proposals = new java.util.ArrayList<>();
        for (int i = 0; i < sim.events.size(); i++) {
            if (sim.events.get(i).action() == Guardrail.Action.PROPOSE) {
                proposals.add(windowOf(sim, i));
            }
        }
        final int[] gaps = new int[proposals.size() - 1];
        for (int i = 1; i < proposals.size(); i++) {
            gaps[i - 1] = proposals.get(i) - proposals.get(i - 1);
        }
        return gaps;
    }

    @Test
    void faultsRisingIsARollback() {
        final FakeTunable t = new FakeTunable("x", Role.GENERIC, "p", 1, 512, 8);
        final Sim sim = new Sim(t, wants(v -> v * 2), SLO, CONFIG, 7)
                .run(12, v -> Window.of(1000, 20).withFaults(0, v > 8 ? 5 : 0), 1);
        assertThat(sim.events)
                .anyMatch(e ->
                        e.action() == Guardrail.Action.ROLLBACK && e.reason().contains("overflow rose"));
    }

    @Test
    void moreRejectionsAtManyTimesTheThroughputAreKept() {
        // 1 -> 2 threads: ten times the work gets through, and rejections rise from 35/s to 200/s, a smaller share.
        final Random noise = new Random(8);
        final FakeTunable t = new FakeTunable("x", Role.GENERIC, "p", 1, 512, 1);
        final Sim sim = new Sim(t, wants(v -> v * 2), SLO, CONFIG, 7)
                .run(
                        12,
                        v -> Window.of(Sim.noisy(noise, v > 1 ? 5000 : 500, 0.05), 20)
                                .withFaults(0, Sim.noisy(noise, v > 1 ? 200 : 35, 0.1)),
                        1);
        assertThat(sim.events).anyMatch(e -> e.action() == Guardrail.Action.ACCEPT);
        assertThat(sim.count(Guardrail.Action.ROLLBACK)).isZero();
    }

    @Test
    void restoringTheObjectiveIsKeptEvenAtLowerThroughput() {
        final Random noise = new Random(6);
        final FakeTunable t = new FakeTunable("x", Role.GENERIC, "p", 1, 512, 64);
        final Sim sim = new Sim(t, wants(v -> v / 2), SLO, CONFIG, 7)
                .run(10, v -> Window.of(Sim.noisy(noise, v >= 64 ? 1000 : 900, 0.01), v >= 64 ? 150 : 60), -1);
        assertThat(sim.events)
                .anyMatch(
                        e -> e.action() == Guardrail.Action.ACCEPT && e.reason().contains("restored"));
        assertThat(t.value).isEqualTo(32);
    }

    private static int indexOf(Sim sim, Guardrail.Action a) {
        for (int i = 0; i < sim.events.size(); i++) {
            if (sim.events.get(i).action() == a) {
                return i;
            }
        }
        return -1;
    }

    /** The window in which event {@code i} happened, found by replaying the value series. */
    private static int windowOf(Sim sim, int eventIndex) {
        return sim.windowOfEvent.get(eventIndex);
    }
}
