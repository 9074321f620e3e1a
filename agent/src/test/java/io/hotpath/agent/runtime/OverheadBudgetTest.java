package io.hotpath.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotpath.agent.config.OverheadLimits;
import io.hotpath.agent.telemetry.AgentEvents;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.exporter.Event;
import io.hotpath.exporter.Events;
import io.hotpath.exporter.Severity;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OverheadBudgetTest {
    private static final OverheadLimits ONE_PERCENT = new OverheadLimits(0.01, 0.01, 0);

    /** The budget's events; attached so they do not wait in the pre-export buffer for a later test. */
    private final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void attach() {
        Events.attach(events::add);
    }

    @AfterEach
    void detach() {
        Events.detach();
    }

    @Test
    void overBudgetSamplesLessFirstThenShedsTheMostExpensiveProbeAndRestoresInReverse() {
        final Probe cheap = Probes.register("budget-test.cheap", PathKind.QUEUE, Dist.bit(Dist.LATENCY));
        final Probe dear = Probes.register("budget-test.dear", PathKind.QUEUE, Dist.bit(Dist.LATENCY));
        final double[] cost = new double[Probes.capacity()];
        cost[cheap.id()] = 10_000; // 10 µs in the last second
        cost[dear.id()] = 1e9; // far above anything else this JVM's tests register
        final SamplingController sampling = new SamplingController(1000);
        final OverheadBudget budget = new OverheadBudget(ONE_PERCENT, sampling, 0);

        for (int step = 0; step < OverheadBudget.SAMPLING_FLOORS.length; step++) {
            budget.decide(0.001, 0.05, cost); // recording 5 % > 1 %
            assertThat(sampling.floorMask()).isEqualTo(OverheadBudget.SAMPLING_FLOORS[step]);
            assertThat(budget.shedCount()).isZero();
        }
        budget.decide(0.02, 0.001, cost); // background 2 % > 1 %
        assertThat(budget.shedCount()).isEqualTo(1);
        assertThat(dear.detailShed()).isTrue();
        assertThat(cheap.detailShed()).isFalse();
        assertThat(events).hasSize(4).allMatch(e -> e.name().equals(AgentEvents.OVERHEAD));
        assertThat(events.get(3).severity()).isEqualTo(Severity.WARNING);
        assertThat(events.get(3).attributes())
                .containsEntry("hotpath.agent.overhead.action", "shed")
                .containsEntry("hotpath.probe.name", "budget-test.dear");
        assertThat(events.get(3).body()).contains("background 2.00 % of a core, limit 1.00 %", "budget-test.dear");

        // Between half the budget and the budget: nothing moves, however long.
        for (int i = 0; i < 3 * OverheadBudget.RESTORE_AFTER; i++) {
            budget.decide(0.007, 0.007, cost);
        }
        assertThat(budget.shedCount()).isEqualTo(1);

        // Under half: one step back per RESTORE_AFTER readings, last shed first, sampling floor last.
        for (int i = 0; i < OverheadBudget.RESTORE_AFTER - 1; i++) {
            budget.decide(0.001, 0.001, cost);
        }
        assertThat(dear.detailShed()).isTrue();
        budget.decide(0.001, 0.001, cost);
        assertThat(dear.detailShed()).isFalse();
        assertThat(budget.shedCount()).isZero();
        assertThat(events.get(4).attributes()).containsEntry("hotpath.agent.overhead.action", "restore");
        assertThat(sampling.floorMask()).isEqualTo(OverheadBudget.SAMPLING_FLOORS[2]);
        for (int i = 0; i < 3 * OverheadBudget.RESTORE_AFTER; i++) {
            budget.decide(0.001, 0.001, cost);
        }
        assertThat(sampling.floorMask()).isZero();
        assertThat(budget.samplingStep()).isZero();
    }

    @Test
    void aProbeThatCostNothingIsNeverShed() {
        // Probes registered at start whose calls never came (a program without sockets has the socket operation
        // probes): shedding them saves nothing, and restores, last shed first, would reach the probe that did cost
        // only after undoing all of them.
        final Probe idle = Probes.register("budget-test.idle", PathKind.IPC, Dist.bit(Dist.LATENCY));
        final Probe busy = Probes.register("budget-test.busy", PathKind.QUEUE, Dist.bit(Dist.LATENCY));
        final double[] cost = new double[Probes.capacity()];
        cost[busy.id()] = 1e9;
        final OverheadBudget budget = new OverheadBudget(ONE_PERCENT, new SamplingController(1000), 0);
        for (int i = 0; i < OverheadBudget.SAMPLING_FLOORS.length + 5; i++) {
            budget.decide(0.001, 0.05, cost);
            if (busy.detailShed()) {
                cost[busy.id()] = 0; // once shed, its detail costs nothing more
            }
        }
        assertThat(busy.detailShed()).isTrue();
        assertThat(idle.detailShed()).isFalse();
        assertThat(budget.shedCount()).isEqualTo(1);
        for (int i = 0; i < OverheadBudget.RESTORE_AFTER; i++) {
            budget.decide(0.001, 0.001, cost);
        }
        assertThat(busy.detailShed())
                .as("the first restore gives the costly probe back")
                .isFalse();
        busy.detailShed(false);
    }

    @Test
    void aProbeWithShedDetailStillCountsEveryCallButTimesAndRecordsNothing() {
        final Probe p = Probes.register("budget-test.counting", PathKind.METHOD, Dist.bit(Dist.LATENCY));
        p.sampleMask(0); // time every call, so that only the shed detail can keep a timing out
        p.detailShed(true);
        for (int i = 0; i < 1000; i++) {
            p.end(p.begin());
            p.record(Dist.LATENCY, 5);
        }
        assertThat(p.total(Slot.CALLS)).isEqualTo(1000);
        final long[] counts = new long[io.hotpath.bootstrap.BucketHistogram.LENGTH];
        p.readDist(Dist.LATENCY, counts);
        assertThat(java.util.Arrays.stream(counts).sum()).isZero();

        p.detailShed(false);
        p.end(p.begin());
        assertThat(p.total(Slot.CALLS)).isEqualTo(1001);
        p.readDist(Dist.LATENCY, counts);
        assertThat(java.util.Arrays.stream(counts).sum()).isPositive();
    }

    @Test
    void budgetTextParsesAndBadPartsAreNamed() {
        assertThat(OverheadLimits.parse("off")).isNull();
        assertThat(OverheadLimits.parse("background=1%;recording=2%"))
                .isEqualTo(new OverheadLimits(0.01, 0.02, 10_000_000_000L));
        assertThat(OverheadLimits.parse("recording=1%;after=0s").afterNanos()).isZero();
        assertThatThrownBy(() -> OverheadLimits.parse("recording=1%;after=soon"))
                .hasMessageContaining("'soon' is not a duration for after");
        assertThat(OverheadLimits.parse(" recording = 0.5% ").backgroundCores()).isInfinite();
        assertThatThrownBy(() -> OverheadLimits.parse("background=1%,recording=1%"))
                .hasMessageContaining("'1%,recording=1%' is not a share for background");
        assertThatThrownBy(() -> OverheadLimits.parse("cpu=1%")).hasMessageContaining("'cpu=1%' is not a budget part");
        assertThatThrownBy(() -> OverheadLimits.parse("background=200%")).hasMessageContaining("'200%'");
        assertThatThrownBy(() -> OverheadLimits.parse(";")).hasMessageContaining("names no budget");
    }
}
