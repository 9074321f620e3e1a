package io.hotpath.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.Snapshot;
import io.hotpath.bootstrap.snapshot.SnapshotTaker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sample mask of every probe kind follows the rate of the counter its timing ticks, whichever that is: a probe
 * that ticks {@code in} (a Netty outbound buffer) must not stay timed on every call because its {@code calls} are 0.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SamplingAdaptsTest {
    private static final int TARGET = 1000;

    @Test
    void everyKindAdaptsOnEveryTickedSlot() {
        final List<Probe> probes = new ArrayList<>();
        final List<Integer> slots = new ArrayList<>();
        for (PathKind kind : PathKind.values()) {
            for (int slot : SamplingController.TICKED) {
                probes.add(Probes.register(
                        "test.sampling." + kind.label() + "." + Slot.name(slot), kind, Dist.bit(Dist.LATENCY)));
                slots.add(slot);
            }
        }
        final SamplingController controller = new SamplingController(TARGET);
        controller.update(snapshot(0L, probes, slots, 0L));
        // One second later each probe has ticked its slot a million times: about one call in 1024 is to be timed.
        controller.update(snapshot(1_000_000_000L, probes, slots, 1_000_000L));
        for (int i = 0; i < probes.size(); i++) {
            assertThat(probes.get(i).sampleMask())
                    .as(probes.get(i).name())
                    .isEqualTo(SamplingController.maskFor(1_000_000, TARGET))
                    .isEqualTo(1023);
        }
        // Idle for a while: the mask comes back down to timing every call.
        for (int s = 2; s < 60; s++) {
            controller.update(snapshot(s * 1_000_000_000L, probes, slots, 1_000_000L));
        }
        for (Probe p : probes) {
            assertThat(p.sampleMask()).as(p.name()).isZero();
        }
    }

    @Test
    void aProbeTickingInIsSampledOnceItsRateIsSeen() {
        final Probe outbound = Probes.register("test.sampling.outbound", PathKind.IPC, Dist.bit(Dist.SIZE));
        assertThat(outbound.sampleMask()).as("not 0 before the first tick").isEqualTo(Probe.INITIAL_SAMPLE_MASK);
        final SnapshotTaker taker = new SnapshotTaker();
        final SamplingController controller = new SamplingController(TARGET);
        controller.update(taker.take());
        final long start = System.nanoTime();
        int n = 0;
        // At least 10 ms of ticks at well over the target rate.
        while (n < 200_000 || System.nanoTime() - start < 10_000_000L) {
            outbound.tick(Slot.IN);
            n++;
        }
        controller.update(taker.take());
        final int mask = outbound.sampleMask();
        assertThat(mask).isPositive();
        int timed = 0;
        final long before = outbound.total(Slot.IN);
        for (int i = 0; i < 100_000; i++) {
            if (outbound.tick(Slot.IN) != 0L) {
                timed++;
            }
        }
        assertThat(outbound.total(Slot.IN) - before).isEqualTo(100_000);
        // One thread writes one stripe: exactly every (mask + 1)-th tick is timed.
        assertThat(timed).isBetween(100_000 / (mask + 1), 100_000 / (mask + 1) + 1);
    }

    /**
     * A probe whose counters did not move comes back from the snapshot as the very same sample, and the controller
     * then skips the per-slot work: the masks it sets, tick by tick, must be those of the full update fed an equal
     * sample in a new object, through a burst, the decay after it, and floors raised and lifted while idle.
     */
    @Test
    void anIdleProbeHandedBackAsTheSameSampleGetsTheMasksOfAFullUpdate() {
        final Probe probe = Probes.register("test.sampling.idle", PathKind.QUEUE, Dist.bit(Dist.LATENCY));
        final List<Probe> probes = List.of(probe);
        final List<Integer> slots = List.of(Slot.OUT);
        // Events by tick (cumulative): a burst of 200k a second, then nothing moves for the rest of the run.
        final long[] events = new long[80];
        for (int t = 1; t < events.length; t++) {
            events[t] = t <= 3 ? events[t - 1] + 20_000 : events[t - 1];
        }
        final int[] shared = masks(probes, slots, events, true);
        final int[] fresh = masks(probes, slots, events, false);
        assertThat(shared).containsExactly(fresh);
        assertThat(fresh[3]).as("the burst is sampled").isPositive();
        assertThat(fresh[35]).as("idle, back to timing every call").isZero();
        assertThat(fresh[50]).as("a floor raised while idle").isEqualTo(7);
        assertThat(fresh[events.length - 1]).as("the floor lifted").isZero();
    }

    /** The mask after each 100 ms tick; {@code reuse} hands an unchanged sample back as the same object. */
    private static int[] masks(List<Probe> probes, List<Integer> slots, long[] events, boolean reuse) {
        probes.get(0).sampleMask(Probe.INITIAL_SAMPLE_MASK);
        final SamplingController controller = new SamplingController(TARGET);
        final int[] out = new int[events.length];
        Snapshot last = null;
        for (int t = 0; t < events.length; t++) {
            controller.floorMask(t >= 40 && t < 60 ? 7 : 0);
            Snapshot s = snapshot(t * 100_000_000L, probes, slots, events[t]);
            if (reuse && last != null && t > 0 && events[t] == events[t - 1]) {
                s = new Snapshot(s.nanoTime(), 0L, last.probes(), 0L);
            }
            controller.update(s);
            last = s;
            out[t] = probes.get(0).sampleMask();
        }
        return out;
    }

    private static Snapshot snapshot(long nanoTime, List<Probe> probes, List<Integer> slots, long events) {
        final List<ProbeSample> samples = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            final long[] counters = new long[Slot.COUNT];
            counters[slots.get(i)] = events;
            final long[] gauges = new long[Gauge.COUNT];
            Arrays.fill(gauges, Gauge.ABSENT);
            final Probe p = probes.get(i);
            samples.add(new ProbeSample(p.id(), p.name(), p.kind(), counters, new long[Dist.COUNT][], gauges));
        }
        return new Snapshot(nanoTime + 1, 0L, samples, 0L);
    }
}
